package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * Multi-head attention, as PyTorch's {@code nn.MultiheadAttention} with equal query, key and value widths:
 * parameters {@code in_proj_weight} [3E, E], {@code in_proj_bias} [3E] and the submodule {@code out_proj}
 * (weight [E, E], bias [E]), initialised as PyTorch's {@code _reset_parameters} (Xavier-uniform in-projection,
 * zero biases, out_proj's weight as Linear's). Rules:
 * <ul>
 *   <li>Inputs are [L, N, E] (or [N, L, E] with {@code batchFirst}), or unbatched [L, E]; key and value are
 *       [S, N, E] likewise. The output has the query's layout.</li>
 *   <li>Masks follow PyTorch's MultiheadAttention convention, the opposite of
 *       {@link F#scaledDotProductAttention}'s: a bool {@code keyPaddingMask} [N, S] or {@code attnMask}
 *       ([L, S] or [N*H, L, S]) is true where attention is <em>not</em> allowed; a floating one is added to the
 *       scores.</li>
 *   <li>{@code isCausal} is a hint that {@code attnMask} is the causal mask, and needs it, as in PyTorch: without
 *       a key padding mask and with {@code needWeights} false the mask is dropped and causal attention used.</li>
 *   <li>With {@code needWeights} the weights come back averaged over heads ([N, L, S]) or per head
 *       ([N, H, L, S]), and a fully masked query row gives NaN as PyTorch's does; without, the attention runs as
 *       SDPA, whose fully masked rows give zeros (Note [fully masked rows] in {@link Attention}).</li>
 *   <li>Dropout on the attention weights applies in training mode only.</li>
 * </ul>
 */
public class MultiheadAttention extends Module {
    public final int embedDim, numHeads, headDim;
    public final double dropout;
    public final boolean batchFirst;
    public final Tensor inProjWeight;
    /** Null when made with {@code bias = false}. */
    public final Tensor inProjBias;
    public final NonDynamicallyQuantizableLinear outProj;

    /** The attention output and, when asked for, the attention weights (else null). */
    public record Output(Tensor output, Tensor weights) {}

    /** PyTorch's name for out_proj's class, kept so that printed models read the same; it is a plain Linear. */
    public static final class NonDynamicallyQuantizableLinear extends Linear {
        public NonDynamicallyQuantizableLinear(int in, int out, boolean bias) { super(in, out, bias); }
    }

    public MultiheadAttention(int embedDim, int numHeads) { this(embedDim, numHeads, 0.0, true, false); }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0)
            throw new IllegalArgumentException("MultiheadAttention: embedDim and numHeads must be greater than 0, got "
                    + "embedDim=" + embedDim + " and numHeads=" + numHeads);
        if (embedDim % numHeads != 0)
            throw new IllegalArgumentException("MultiheadAttention: embedDim must be divisible by numHeads, got "
                    + "embedDim=" + embedDim + " and numHeads=" + numHeads);
        Basic.checkProbability(dropout);
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.inProjWeight = registerParameter("in_proj_weight", Tensor.empty(3 * embedDim, embedDim));
        this.inProjBias = registerParameter("in_proj_bias", bias ? Tensor.empty(3 * embedDim) : null);
        this.outProj = registerModule("out_proj", new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias));
        resetParameters();
    }

    /** PyTorch's {@code _reset_parameters}: Xavier-uniform in_proj_weight, zero biases. */
    public void resetParameters() {
        try (GradMode off = GradMode.disable()) {
            Init.xavierUniform_(inProjWeight);
            if (inProjBias != null) {
                Init.zeros_(inProjBias);
                Init.zeros_(outProj.bias);
            }
        }
    }

    // ---------------------------------------------------------------- forward

    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null, true, false);
    }

    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask) {
        return forward(query, key, value, keyPaddingMask, true, null, true, false);
    }

    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                          Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, true, false);
    }

    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                          Tensor attnMask, boolean averageAttnWeights, boolean isCausal) {
        boolean batched = checkShapes(query, key, value, keyPaddingMask, attnMask);
        if (!batched) {
            Output o = attention(query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0), true,
                    keyPaddingMask == null ? null : keyPaddingMask.unsqueeze(0), needWeights, attnMask,
                    averageAttnWeights, isCausal);
            return new Output(o.output().squeeze(0), o.weights() == null ? null : o.weights().squeeze(0));
        }
        return attention(query, key, value, batchFirst, keyPaddingMask, needWeights, attnMask, averageAttnWeights,
                isCausal);
    }

    /** Batched inputs in the given layout ({@code nlFirst}: [N, L, E], else [L, N, E]). */
    private Output attention(Tensor query, Tensor key, Tensor value, boolean nlFirst, Tensor keyPaddingMask,
                             boolean needWeights, Tensor attnMask, boolean average, boolean isCausal) {
        int n = query.size(nlFirst ? 0 : 1), l = query.size(nlFirst ? 1 : 0), s = key.size(nlFirst ? 1 : 0);
        if (isCausal && attnMask == null)
            throw new IllegalArgumentException("MultiheadAttention: need attnMask if specifying the isCausal hint; "
                    + "TransformerEncoder.generateSquareSubsequentMask makes the causal mask");
        Tensor padding = keyPaddingMask == null ? null : checkPadding(keyPaddingMask, n, s, query.dtype());
        boolean causal = isCausal && padding == null && !needWeights;   // the hint stands in for the mask
        Tensor mask = causal ? null : canonicalAttnMask(attnMask, n, l, s, query.dtype());
        if (padding != null) mask = mask == null ? padding : mask.add(padding);

        Tensor[] qkv = project(query, key, value, nlFirst);
        Attention.Weighted a = Attention.attend(qkv[0], qkv[1], qkv[2], mask, training ? dropout : 0, causal, null,
                !needWeights);
        // [N, H, L, hd] back to the query's layout, heads side by side
        Tensor heads = nlFirst ? a.output().permute(0, 2, 1, 3) : a.output().permute(2, 0, 1, 3);
        Tensor out = outProj.forward(heads.reshape(nlFirst ? n : l, nlFirst ? l : n, embedDim));
        if (!needWeights) return new Output(out, null);
        return new Output(out, average ? a.weights().mean(1) : a.weights());
    }

    /**
     * The in-projection, split into heads: q [N, H, L, hd], k and v [N, H, S, hd]. Self-attention (one tensor for
     * all three) runs one product against the packed weight, as PyTorch's {@code _in_projection_packed} does.
     */
    private Tensor[] project(Tensor query, Tensor key, Tensor value, boolean nlFirst) {
        int e = embedDim;
        if (query == key && key == value) {
            Tensor[] qkv = new Tensor[3];
            Tensor packed = heads(Basic.linear(query, inProjWeight, inProjBias), 3, nlFirst);
            for (int i = 0; i < 3; i++) qkv[i] = packed.select(0, i);
            return qkv;
        }
        Tensor q = heads(Basic.linear(query, inProjWeight.narrow(0, 0, e), slice(0)), 1, nlFirst).select(0, 0);
        if (key == value) {
            Tensor kv = heads(Basic.linear(key, inProjWeight.narrow(0, e, 2 * e), inProjBias == null ? null
                    : inProjBias.narrow(0, e, 2 * e)), 2, nlFirst);
            return new Tensor[]{q, kv.select(0, 0), kv.select(0, 1)};
        }
        Tensor k = heads(Basic.linear(key, inProjWeight.narrow(0, e, e), slice(1)), 1, nlFirst).select(0, 0);
        Tensor v = heads(Basic.linear(value, inProjWeight.narrow(0, 2 * e, e), slice(2)), 1, nlFirst).select(0, 0);
        return new Tensor[]{q, k, v};
    }

    private Tensor slice(int i) { return inProjBias == null ? null : inProjBias.narrow(0, i * embedDim, embedDim); }

    /** [A, B, parts*E] projections to [parts, N, H, len, hd] views. */
    private Tensor heads(Tensor proj, int parts, boolean nlFirst) {
        Tensor split = proj.view(proj.size(0), proj.size(1), parts, numHeads, headDim);
        return nlFirst ? split.permute(2, 0, 3, 1, 4) : split.permute(2, 1, 3, 0, 4);
    }

    // ---------------------------------------------------------------- masks and shapes

    /** An additive [N, 1, 1, S] mask from a bool (true = padding, -inf) or floating key padding mask. */
    private static Tensor checkPadding(Tensor kpm, int n, int s, DType dtype) {
        if (!Arrays.equals(kpm.shapeRef(), new int[]{n, s}))
            throw new IllegalArgumentException("MultiheadAttention: expected keyPaddingMask of shape "
                    + Shapes.str(new int[]{n, s}) + " [N, S], got " + Shapes.str(kpm.shapeRef()));
        return canonical(kpm, "keyPaddingMask", dtype).view(n, 1, 1, s);
    }

    /** An additive mask that broadcasts over [N, H, L, S], from [L, S] or [N*H, L, S]; null for none. */
    private Tensor canonicalAttnMask(Tensor mask, int n, int l, int s, DType dtype) {
        if (mask == null) return null;
        if (mask.dim() == 2) {
            if (mask.size(0) != l || mask.size(1) != s)
                throw new IllegalArgumentException("MultiheadAttention: the shape of the 2D attnMask is "
                        + Shapes.str(mask.shapeRef()) + ", but should be " + Shapes.str(new int[]{l, s}) + " [L, S]");
            return canonical(mask, "attnMask", dtype);
        }
        if (mask.dim() == 3) {
            if (!Arrays.equals(mask.shapeRef(), new int[]{n * numHeads, l, s}))
                throw new IllegalArgumentException("MultiheadAttention: the shape of the 3D attnMask is "
                        + Shapes.str(mask.shapeRef()) + ", but should be " + Shapes.str(new int[]{n * numHeads, l, s})
                        + " [N*numHeads, L, S]");
            return canonical(mask, "attnMask", dtype).view(n, numHeads, l, s);
        }
        throw new IllegalArgumentException("MultiheadAttention: attnMask's dimension " + mask.dim()
                + " is not supported; expected [L, S] or [N*numHeads, L, S]");
    }

    /** PyTorch's {@code _canonical_mask}: bool true becomes -inf and false 0; floating masks pass (cast to dtype). */
    private static Tensor canonical(Tensor mask, String name, DType dtype) {
        if (mask.dtype() == DType.BOOL)
            return Tensor.zeros(mask.shapeRef(), dtype, mask.device()).maskedFill(mask, Double.NEGATIVE_INFINITY);
        if (!mask.dtype().isFloatingPoint())
            throw new IllegalArgumentException("MultiheadAttention: only bool and floating types of " + name
                    + " are supported, got " + mask.dtype());
        return mask.to(dtype);
    }

    /** PyTorch's {@code _mha_shape_check}: true for batched (3-D) inputs, false for unbatched (2-D). */
    private boolean checkShapes(Tensor query, Tensor key, Tensor value, Tensor kpm, Tensor attnMask) {
        int qd = query.dim();
        if (qd != 2 && qd != 3)
            throw new IllegalArgumentException("MultiheadAttention: query should be unbatched 2D or batched 3D, got "
                    + "shape " + Shapes.str(query.shapeRef()));
        if (key.dim() != qd || value.dim() != qd)
            throw new IllegalArgumentException("MultiheadAttention: for " + qd + "-D query, expected key and value to "
                    + "be " + qd + "-D, got shapes " + Shapes.str(key.shapeRef()) + " and " + Shapes.str(value.shapeRef()));
        if (kpm != null && kpm.dim() != qd - 1)
            throw new IllegalArgumentException("MultiheadAttention: for " + qd + "-D query, expected keyPaddingMask "
                    + "to be " + (qd - 1) + "-D, got shape " + Shapes.str(kpm.shapeRef()));
        if (attnMask != null && attnMask.dim() != 2 && attnMask.dim() != 3)
            throw new IllegalArgumentException("MultiheadAttention: expected attnMask to be 2-D or 3-D, got shape "
                    + Shapes.str(attnMask.shapeRef()));
        if (query.size(-1) != embedDim)
            throw new IllegalArgumentException("MultiheadAttention: was expecting embedding dimension of " + embedDim
                    + ", but got query of shape " + Shapes.str(query.shapeRef()));
        if (!Arrays.equals(key.shapeRef(), value.shapeRef()))
            throw new IllegalArgumentException("MultiheadAttention: key shape " + Shapes.str(key.shapeRef())
                    + " does not match value shape " + Shapes.str(value.shapeRef()));
        if (key.size(-1) != embedDim)
            throw new IllegalArgumentException("MultiheadAttention: was expecting key and value embedding dimension of "
                    + embedDim + ", got shape " + Shapes.str(key.shapeRef()));
        int batchDim = qd == 2 ? -1 : batchFirst ? 0 : 1;
        if (batchDim >= 0 && key.size(batchDim) != query.size(batchDim))
            throw new IllegalArgumentException("MultiheadAttention: query and key batch sizes differ: shapes "
                    + Shapes.str(query.shapeRef()) + " and " + Shapes.str(key.shapeRef()));
        return qd == 3;
    }
}
