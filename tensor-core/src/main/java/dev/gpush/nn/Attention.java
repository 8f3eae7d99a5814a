package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Graph;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * Scaled dot-product attention, PyTorch's {@code F.scaled_dot_product_attention} (the "math" reference) and the
 * core that {@link MultiheadAttention} runs on. Rules:
 * <ul>
 *   <li>query [..., L, E], key [..., S, E], value [..., S, Ev] give [..., L, Ev]; the batch dims broadcast.</li>
 *   <li>A bool mask marks the pairs that <em>take part</em> (true = attend, as in PyTorch's SDPA; the opposite of
 *       MultiheadAttention's convention); a floating mask is added to the scores. Either broadcasts to [..., L, S].</li>
 *   <li>{@code isCausal} masks the upper triangle of the top-left aligned [L, S] matrix (query i sees keys 0..i);
 *       it excludes an explicit mask, as in PyTorch.</li>
 *   <li>Note [fully masked rows]: since PyTorch 2.5 SDPA runs a "safe" softmax: a query row whose scores are all
 *       -inf gets zero weights, so its output is 0 (not NaN) and no gradient flows through it. Only a mask makes
 *       such rows from finite inputs, so unmasked attention runs the plain softmax and skips the row check.
 *       {@link MultiheadAttention} with {@code needWeights} uses the plain softmax and gives NaN there, as
 *       PyTorch's does.</li>
 *   <li>Dropout on the weights runs whenever {@code dropoutP > 0}: SDPA has no training flag (modules pass 0 in
 *       eval mode).</li>
 * </ul>
 */
public final class Attention {
    private Attention() {}

    /** The output and the (post-dropout) attention weights [..., L, S]. */
    record Weighted(Tensor output, Tensor weights) {}

    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask,
                                                   double dropoutP, boolean isCausal, Double scale) {
        return attend(query, key, value, attnMask, dropoutP, isCausal, scale, true).output();
    }

    /**
     * softmax(query keyᵀ · scale + mask) (dropped out) @ value. {@code safe} chooses SDPA's softmax (zeros on
     * fully masked rows) over the plain one (NaN there), see Note [fully masked rows].
     */
    static Weighted attend(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
                           boolean isCausal, Double scale, boolean safe) {
        check(query, key, value, attnMask, dropoutP, isCausal);
        int l = query.size(-2), s = key.size(-2);
        double factor = scale != null ? scale : 1 / Math.sqrt(query.size(-1));
        Tensor scores = query.mul(factor).matmul(key.mT());
        boolean masked = isCausal || attnMask != null;
        if (isCausal) scores = scores.maskedFill(causalBlocked(l, s, query), Double.NEGATIVE_INFINITY);
        if (attnMask != null)
            scores = attnMask.dtype() == DType.BOOL
                    ? scores.maskedFill(attnMask.logicalNot(), Double.NEGATIVE_INFINITY)
                    : scores.add(attnMask);
        Tensor weights = masked && safe ? safeSoftmax(scores) : scores.softmax(-1);
        if (dropoutP > 0) weights = Basic.dropout(weights, dropoutP, true);
        return new Weighted(weights.matmul(value), weights);
    }

    /** [L, S] bool, true above the diagonal: the keys a causal query may not see. */
    static Tensor causalBlocked(int l, int s, Tensor like) {
        return Tensor.ones(new int[]{l, s}, DType.BOOL, like.device()).triu(1);
    }

    /**
     * Softmax over the last dim whose all -inf rows give zeros (PyTorch's {@code _safe_softmax}). One node with
     * softmax's backward, {@code out * (g - sum(g * out))}, which is zero on those rows because {@code out} is.
     */
    static Tensor safeSoftmax(Tensor scores) {
        Tensor out;
        try (GradMode off = GradMode.disable()) {
            Tensor dead = scores.amax(-1, true).eq(Double.NEGATIVE_INFINITY);
            out = Tensor.where(dead, 0.0, scores.softmax(-1));
        }
        return Graph.record("safe_softmax", out, scores, g -> out.mul(g.sub(g.mul(out).sum(-1, true))), out);
    }

    private static void check(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, boolean isCausal) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2)
            throw new IllegalArgumentException("scaledDotProductAttention: query, key and value need at least 2 dims "
                    + "[..., L, E], got shapes " + shapes(q, k, v));
        if (q.dtype() != k.dtype() || q.dtype() != v.dtype())
            throw new IllegalArgumentException("scaledDotProductAttention: expected query, key and value to have the "
                    + "same dtype, got " + q.dtype() + ", " + k.dtype() + " and " + v.dtype());
        if (!q.dtype().isFloatingPoint())
            throw new IllegalArgumentException("scaledDotProductAttention: expected floating point inputs, got " + q.dtype());
        if (q.size(-1) != k.size(-1))
            throw new IllegalArgumentException("scaledDotProductAttention: query and key must have the same embedding "
                    + "size (last dim), got shapes " + shapes(q, k, v));
        if (k.size(-2) != v.size(-2))
            throw new IllegalArgumentException("scaledDotProductAttention: key and value must have the same sequence "
                    + "length (dim -2), got shapes " + shapes(q, k, v));
        if (!(dropoutP >= 0 && dropoutP <= 1))
            throw new IllegalArgumentException("scaledDotProductAttention: dropout probability has to be between 0 "
                    + "and 1, but got " + dropoutP);
        if (mask == null) return;
        if (isCausal)
            throw new IllegalArgumentException("scaledDotProductAttention: explicit attnMask should not be set when "
                    + "isCausal=true");
        if (mask.dtype() != DType.BOOL && mask.dtype() != q.dtype())
            throw new IllegalArgumentException("scaledDotProductAttention: expected attnMask dtype to be bool or to "
                    + "match the query dtype " + q.dtype() + ", got " + mask.dtype());
        int[] batch = Shapes.broadcast(Arrays.copyOf(q.shapeRef(), q.dim() - 2), Arrays.copyOf(k.shapeRef(), k.dim() - 2));
        int[] scores = Arrays.copyOf(batch, batch.length + 2);
        scores[batch.length] = q.size(-2);
        scores[batch.length + 1] = k.size(-2);
        int[] joint;
        try {
            joint = Shapes.broadcast(scores, mask.shapeRef());
        } catch (IllegalArgumentException e) {
            joint = null;
        }
        if (joint == null || !Arrays.equals(joint, scores))
            throw new IllegalArgumentException("scaledDotProductAttention: attnMask of shape "
                    + Shapes.str(mask.shapeRef()) + " does not broadcast to the attention scores' shape "
                    + Shapes.str(scores));
    }

    private static String shapes(Tensor q, Tensor k, Tensor v) {
        return Shapes.str(q.shapeRef()) + ", " + Shapes.str(k.shapeRef()) + " and " + Shapes.str(v.shapeRef());
    }
}
