package dev.gpush.nn;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Graph;
import dev.gpush.autograd.Node.Grad;
import dev.gpush.ops.Creation;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * The functional forms of the basic layers (linear, embedding, layer norm, dropout, activations), reached through
 * {@link F}. Each is a composition of tensor ops, so its backward is the ops' own and gradchecks with them, except
 * layer norm where the backend fuses it (Note [fused layer norm]).
 */
final class Basic {
    private Basic() {}

    // ---------------------------------------------------------------- linear

    /** {@code x @ w^T + b} over any leading dims of {@code x}: [..., in] with w [out, in] and b [out] gives [..., out]. */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (Autocast.isActive()) return Autocast.lowPrecision(t -> linear(t[0], t[1], t[2]), x, w, b);
        if (w.dim() != 2)
            throw new IllegalArgumentException("linear: expected a 2-D weight [out_features, in_features], got shape "
                    + Shapes.str(w.shapeRef()));
        if (x.dim() == 0 || x.size(-1) != w.size(1))
            throw new IllegalArgumentException("linear: input of shape " + Shapes.str(x.shapeRef()) + " can't be "
                    + "multiplied by a weight of shape " + Shapes.str(w.shapeRef()) + ": expected "
                    + w.size(1) + " input features");
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0)))
            throw new IllegalArgumentException("linear: expected a bias of shape " + Shapes.str(new int[]{w.size(0)})
                    + ", got " + Shapes.str(b.shapeRef()));
        Tensor out;
        if (x.dim() <= 2) {
            out = x.matmul(w.t());
        } else {
            // one GEMM over all leading dims, so the weight's gradient is one product rather than a batch summed
            int[] lead = Arrays.copyOf(x.shapeRef(), x.dim());
            lead[lead.length - 1] = w.size(0);
            out = x.reshape(-1, w.size(1)).matmul(w.t()).view(lead);
        }
        return b == null ? out : out.add(b);
    }

    // ---------------------------------------------------------------- embedding

    /**
     * Rows of {@code weight} picked by integer {@code indices} of any shape: shape {@code indices.shape + [dim]}.
     * Positions whose index is {@code paddingIdx} (negative counts from the end) send no gradient to the table.
     */
    static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32)
            throw new IllegalArgumentException("embedding: expected indices of dtype int64 or int32, got "
                    + indices.dtype());
        if (weight.dim() != 2)
            throw new IllegalArgumentException("embedding: expected a 2-D weight [num_embeddings, embedding_dim], got "
                    + "shape " + Shapes.str(weight.shapeRef()));
        Integer pad = paddingIdx == null ? null : normalisePaddingIdx(paddingIdx, weight.size(0));
        Tensor flat = indices.reshape(-1);
        Tensor rows = weight.indexSelect(0, flat);
        if (pad != null && weight.requiresGrad() && GradMode.isEnabled()) {
            // the same values, but padding positions read a detached copy, so their gradient goes nowhere
            rows = Tensor.where(flat.eq(pad).unsqueeze(1), rows.detach(), rows);
        }
        int[] shape = Arrays.copyOf(indices.shapeRef(), indices.dim() + 1);
        shape[indices.dim()] = weight.size(1);
        return rows.view(shape);
    }

    /** {@code paddingIdx} in {@code [0, n)}, counting negative ones from the end; an error outside {@code [-n, n)}. */
    static int normalisePaddingIdx(int paddingIdx, int n) {
        if (paddingIdx >= n || paddingIdx < -n)
            throw new IllegalArgumentException("paddingIdx must be within num_embeddings: got " + paddingIdx
                    + " for " + n + " embeddings");
        return paddingIdx < 0 ? paddingIdx + n : paddingIdx;
    }

    // ---------------------------------------------------------------- normalisation

    /**
     * Normalises over the trailing dims {@code shape} with the biased variance, then scales by {@code w} and shifts
     * by {@code b} (either may be null). float16 and bfloat16 inputs compute in float32 and round once.
     */
    static Tensor layerNorm(Tensor x, int[] shape, Tensor w, Tensor b, double eps) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> layerNorm(t[0], shape, t[1], t[2], eps), x, w, b);
        int k = shape.length, n = x.dim();
        boolean fits = k > 0 && k <= n
                && Arrays.equals(shape, Arrays.copyOfRange(x.shapeRef(), n - k, n));
        if (!fits)
            throw new IllegalArgumentException("layerNorm: given normalized shape " + Shapes.str(shape)
                    + ", expected an input of shape [*, " + Shapes.str(shape).replaceAll("[\\[\\]]", "")
                    + "], got " + Shapes.str(x.shapeRef()));
        checkAffine("weight", w, shape);
        checkAffine("bias", b, shape);
        if (x.dtype().isHalf()) {
            DType f = DType.FLOAT32;
            return layerNorm(x.to(f), shape, w == null ? null : w.to(f), b == null ? null : b.to(f), eps).to(x.dtype());
        }
        Tensor fused = fusedLayerNorm(x, k, w, b, eps);
        if (fused != null) return fused;
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = n - k + i;
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor var = centred.mul(centred).mean(dims, true);
        Tensor y = centred.mul(var.add(eps).rsqrt());
        if (w != null) y = y.mul(w);
        if (b != null) y = y.add(b);
        return y;
    }

    /**
     * Note [fused layer norm]: a contiguous, non-empty float32 or float64 input, with a weight and bias (where
     * given) contiguous and of its dtype and device, runs one backend kernel forward, which keeps each row's mean
     * and rstd (float64), and one backward for all three gradients, on a backend that has them. Anything else, or
     * a backend without them, returns null and the caller runs the composite. Under createGraph the backward is
     * the same formula in differentiable ops, with mean and rstd recomputed from x, so higher derivatives are
     * right.
     */
    private static Tensor fusedLayerNorm(Tensor x, int k, Tensor w, Tensor b, double eps) {
        DType dt = x.dtype();
        if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || x.numel() == 0 || !x.isContiguous()
                || !fusable(w, x) || !fusable(b, x)) return null;
        int n = x.dim(), cols = 1;
        for (int i = n - k; i < n; i++) cols *= x.size(i);
        int[] rowsShape = {x.numel() / cols};
        Tensor y = Tensor.emptyLike(x);
        Tensor mean = Creation.empty(rowsShape, DType.FLOAT64, x.device());
        Tensor rstd = Creation.empty(rowsShape, DType.FLOAT64, x.device());
        if (!Creation.backend(x).layerNorm(y, mean, rstd, x, w, b, eps)) {
            y.close();
            mean.close();
            rstd.close();
            return null;
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = n - k + i;
        Tensor[] seen = new Tensor[1], grads = new Tensor[3];
        java.util.function.IntFunction<Grad> grad = i -> g -> {
            if (GradMode.isEnabled()) return layerNormGrad(i, g, x, w, dims, eps);
            if (seen[0] != g) {  // the first of the three formulas called for this gradient computes all three
                seen[0] = g;
                boolean wantX = x.requiresGrad(), wantW = w != null && w.requiresGrad();
                boolean wantB = b != null && b.requiresGrad();
                grads[0] = wantX ? Tensor.emptyLike(x) : null;
                grads[1] = wantW ? Tensor.emptyLike(w) : null;
                grads[2] = wantB ? Tensor.emptyLike(b) : null;
                Tensor gc = g.to(dt).contiguous();
                if (!Creation.backend(x).layerNormBackward(grads[0], grads[1], grads[2], gc, x, mean, rstd, w))
                    throw new IllegalStateException("layerNorm: the backend ran the fused forward but not its backward");
            }
            return grads[i];
        };
        return Graph.record("native_layer_norm", y, new Tensor[]{x, w, b},
                new Grad[]{grad.apply(0), w == null ? null : grad.apply(1), b == null ? null : grad.apply(2)},
                x, mean, rstd);
    }

    /** Input {@code i}'s gradient (0 x, 1 weight, 2 bias) in differentiable ops, recomputing mean and rstd. */
    private static Tensor layerNormGrad(int i, Tensor g, Tensor x, Tensor w, int[] dims, double eps) {
        if (i == 2) return g;
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor rstd = centred.mul(centred).mean(dims, true).add(eps).rsqrt();
        Tensor xh = centred.mul(rstd);
        if (i == 1) return g.mul(xh);
        Tensor d = w == null ? g : g.mul(w);
        return rstd.mul(d.sub(d.mean(dims, true)).sub(xh.mul(d.mul(xh).mean(dims, true))));
    }

    private static boolean fusable(Tensor t, Tensor x) {
        return t == null || t.dtype() == x.dtype() && t.isContiguous() && t.device().equals(x.device());
    }

    private static void checkAffine(String name, Tensor t, int[] shape) {
        if (t != null && !Arrays.equals(t.shapeRef(), shape))
            throw new IllegalArgumentException("layerNorm: expected " + name + " of shape " + Shapes.str(shape)
                    + ", got " + Shapes.str(t.shapeRef()));
    }

    // ---------------------------------------------------------------- dropout

    /**
     * Inverted dropout: in training each element is zeroed with probability {@code p} and the rest scaled by
     * {@code 1/(1-p)}, so the expected value is unchanged; otherwise (or for p = 0) {@code x} itself.
     */
    static Tensor dropout(Tensor x, double p, boolean training) {
        checkProbability(p);
        if (!training || p == 0 || x.numel() == 0) return x;
        if (p == 1) return x.mul(0.0); // as PyTorch: keeps the graph, and NaN/inf inputs stay NaN
        Tensor keep;
        try (GradMode ng = GradMode.disable()) {
            keep = Tensor.emptyLike(x).bernoulli_(1 - p).div_(1 - p);
        }
        return x.mul(keep);
    }

    static void checkProbability(double p) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
    }

    // ---------------------------------------------------------------- activations

    /** GELU, exact ({@code "none"}) or with the tanh approximation ({@code "tanh"}). */
    static Tensor gelu(Tensor x, String approximate) {
        return x.gelu(tanhApproximation(approximate));
    }

    static boolean tanhApproximation(String approximate) {
        return switch (approximate) {
            case "none" -> false;
            case "tanh" -> true;
            default -> throw new IllegalArgumentException("approximate argument must be either 'none' or 'tanh', got '"
                    + approximate + "'");
        };
    }
}
