package dev.gpush.ops;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Graph;
import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.ReduceOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/** Reductions over all dims or some, softmax and its relatives, and cumulative sums. */
public final class Reductions {
    private Reductions() {}

    /** The result of {@code max(dim)} and {@code min(dim)}: the values and their int64 positions. */
    public record ValuesIndices(Tensor values, Tensor indices) {}

    /** {@code a}'s shape with the reduced dims set to 1. */
    static int[] keptShape(int[] shape, int[] dims) {
        int[] s = shape.clone();
        for (int d : dims) s[d] = 1;
        return s;
    }

    /**
     * The dims to reduce, wrapped and sorted (null: all). A 0-dim tensor accepts dim 0 and -1, as in PyTorch,
     * and has no dim to reduce over.
     */
    static int[] reducedDims(int[] dims, int rank) {
        int[] ds = Shapes.wrapDims(dims, rank);
        return rank == 0 ? new int[0] : ds;
    }

    static int[] droppedShape(int[] shape, int[] dims) {
        int[] s = new int[shape.length - dims.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) if (Arrays.binarySearch(dims, i) < 0) s[k++] = shape[i];
        return s;
    }

    /** Runs a backend reduction; the result has the kept shape, or the dropped one when !keepdim. */
    static Tensor reduce(ReduceOp op, Tensor a, int[] dims, boolean keepdim, DType out) {
        int[] kept = keptShape(a.shapeRef(), dims);
        if (count(a, dims) == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN || op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN))
            throw new IllegalArgumentException(op.name().toLowerCase() + "(): expected a non-empty tensor (or a dim "
                    + "to reduce that is not of size 0)");
        Tensor r = Creation.empty(kept, out, a.device());
        Creation.backend(r).reduce(op, r, a, dims);
        return keepdim ? r : r.view(droppedShape(a.shapeRef(), dims));
    }

    /** A gradient of the reduced shape, read back at the input's shape. */
    static Tensor expandBack(Tensor g, int[] inShape, int[] dims) {
        return g.reshape(keptShape(inShape, dims)).expand(inShape);
    }

    public static Tensor sum(Tensor a, int[] dims, boolean keepdim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> sum(t[0], dims, keepdim), a);
        int[] ds = reducedDims(dims, a.dim());
        DType out = a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        int[] in = a.shape();
        return Graph.record("sum", reduce(ReduceOp.SUM, a, ds, keepdim, out), a, g -> expandBack(g, in, ds));
    }

    /** Sums a broadcast gradient back to {@code shape} (the engine's unbroadcast). */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        if (Arrays.equals(g.shapeRef(), shape)) return g;
        int lead = g.dim() - shape.length;
        if (lead < 0) return g.reshape(shape);
        int[] dims = new int[g.dim()];
        int n = 0;
        for (int i = 0; i < g.dim(); i++) if (i < lead || (shape[i - lead] == 1 && g.shapeRef()[i] != 1)) dims[n++] = i;
        Tensor s = n == 0 ? g : sum(g, Arrays.copyOf(dims, n), true);
        return s.reshape(shape);
    }

    private static int count(Tensor a, int[] ds) {
        int n = 1;
        for (int d : ds) n *= a.shapeRef()[d];
        return n;
    }

    public static Tensor mean(Tensor a, int[] dims, boolean keepdim) {
        if (!a.dtype().isFloatingPoint())
            throw new IllegalArgumentException("mean(): could not infer output dtype: the input dtype must be floating "
                    + "point, got " + a.dtype() + "; convert with .to(DType.FLOAT32) first");
        if (a.dtype().isHalf()) return mean(a.to(DType.FLOAT32), dims, keepdim).to(a.dtype()); // Note [half accumulation]
        int[] ds = reducedDims(dims, a.dim());
        return sum(a, ds, keepdim).div(count(a, ds));
    }

    /**
     * Note [half accumulation]: float16 and bfloat16 inputs of mean, var, std, norm, logsumexp and the softmaxes
     * compute in float32 and round once at the end, as PyTorch's CPU kernels do. Rounding each step instead
     * loses too much: the float16 mean of [1000, 1000, 1000.5, 1000.5] rounds to 1000, doubling their variance.
     */
    public static Tensor var(Tensor a, int[] dims, boolean unbiased, boolean keepdim) {
        if (a.dtype().isHalf()) return var(a.to(DType.FLOAT32), dims, unbiased, keepdim).to(a.dtype());
        int[] ds = reducedDims(dims, a.dim());
        Tensor d = a.sub(mean(a, ds, true));
        int n = count(a, ds) - (unbiased ? 1 : 0);
        return sum(d.mul(d), ds, keepdim).div(Math.max(n, 0));
    }

    public static Tensor std(Tensor a, int[] dims, boolean unbiased, boolean keepdim) {
        if (a.dtype().isHalf()) return std(a.to(DType.FLOAT32), dims, unbiased, keepdim).to(a.dtype()); // Note [half accumulation]
        Tensor v = var(a, dims, unbiased, keepdim);
        Tensor out;
        try (GradMode ng = GradMode.disable()) {
            out = v.sqrt();
        }
        // d/dv sqrt(v) = 1 / (2 sqrt(v)), taken as 0 where the std is 0 (constant inputs) as in PyTorch, where
        // sqrt's own rule would give inf * 0 = NaN
        return Graph.record("std", out, v, g -> Pointwise.where(out.eq(0), Creation.operand(0.0), g.div(out.mul(2))), out);
    }

    public static Tensor prod(Tensor a, int[] dims, boolean keepdim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> prod(t[0], dims, keepdim), a);
        int[] ds = reducedDims(dims, a.dim());
        DType out = a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        int[] in = a.shape();
        return Graph.record("prod", reduce(ReduceOp.PROD, a, ds, keepdim, out), a, g -> {
            // d/da_i prod(a) = product of the others, computed without dividing by zero
            Tensor zero = a.eq(0);
            Tensor safe = Pointwise.where(zero, Creation.operand(1.0), a);
            Tensor others = prod(safe, ds, true);
            Tensor zeros = sum(zero, ds, true);
            Tensor grad = Pointwise.where(zeros.eq(0), others.div(safe),
                    Pointwise.where(zeros.eq(1).logicalAnd(zero), others, Creation.operand(0.0)));
            return expandBack(g, in, ds).mul(grad);
        }, a);
    }

    /** max or min over dims; ties share the gradient equally (PyTorch's amax). */
    public static Tensor amax(Tensor a, int[] dims, boolean keepdim, boolean max) {
        int[] ds = reducedDims(dims, a.dim());
        Tensor out = reduce(max ? ReduceOp.MAX : ReduceOp.MIN, a, ds, keepdim, a.dtype());
        int[] in = a.shape();
        return Graph.record(max ? "amax" : "amin", out, a, g -> {
            Tensor hit = a.eq(out.reshape(keptShape(in, ds))).to(g.dtype());
            return expandBack(g, in, ds).mul(hit).div(sum(hit, ds, true));
        }, a, out);
    }

    public static Tensor extreme(Tensor a, boolean max) {
        return amax(a, null, false, max);
    }

    public static ValuesIndices extreme(Tensor a, int dim, boolean keepdim, boolean max) {
        Tensor idx = argExtreme(a, dim, true, max);
        Tensor values = a.dim() == 0 ? a : a.gather(dim, idx);
        if (!keepdim && a.dim() > 0) {
            values = values.squeeze(dim);
            idx = idx.squeeze(dim);
        }
        return new ValuesIndices(values, idx);
    }

    public static Tensor argExtreme(Tensor a, Integer dim, boolean keepdim, boolean max) {
        ReduceOp op = max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN;
        if (dim == null) return reduce(op, a.reshape(-1), new int[]{0}, false, DType.INT64);
        if (a.dim() == 0) {
            Shapes.wrapDim(dim, 0);   // only 0 and -1 name the dim of a 0-dim tensor
            return Tensor.scalar(0L);
        }
        return reduce(op, a, new int[]{Shapes.wrapDim(dim, a.dim())}, keepdim, DType.INT64);
    }

    public static Tensor norm(Tensor a, double p, int[] dims, boolean keepdim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> norm(t[0], p, dims, keepdim), a);
        if (!a.dtype().isFloatingPoint()) throw new IllegalArgumentException("norm: expected a floating point tensor, got " + a.dtype());
        if (a.dtype().isHalf()) return norm(a.to(DType.FLOAT32), p, dims, keepdim).to(a.dtype()); // Note [half accumulation]
        int[] ds = reducedDims(dims, a.dim());
        if (Double.isInfinite(p)) return amax(a.abs(), ds, keepdim, p > 0);
        if (p == 1) return sum(a.abs(), ds, keepdim);
        if (p == 0) {
            // the count of non-zero elements (|x|^0 would count them all); its gradient is zero, as in PyTorch
            Tensor count = sum(a.ne(0).to(a.dtype()), ds, keepdim);
            return Graph.record("norm", count, a, g -> Tensor.zeros(a.shapeRef(), g.dtype(), g.device()));
        }
        Tensor out;
        try (GradMode ng = GradMode.disable()) {
            out = sum(a.abs().pow(p), ds, keepdim).pow(1 / p);
        }
        int[] in = a.shape();
        return Graph.record("norm", out, a, g -> {
            // d/dx ||x||_p = sign(x) |x|^(p-1) / ||x||^(p-1), taken as 0 where x is 0 (|0|^(p-1) is infinite
            // for p < 1) and where the norm is 0
            Tensor n = out.reshape(keptShape(in, ds));
            Tensor num = p == 2 ? a
                    : Pointwise.where(a.eq(0), Creation.operand(0.0), a.sign().mul(a.abs().pow(p - 1)));
            Tensor r = num.div(p == 2 ? n : n.pow(p - 1));
            return expandBack(g, in, ds).mul(Pointwise.where(n.eq(0), Creation.operand(0.0), r));
        }, a, out);
    }

    public static Tensor logsumexp(Tensor a, int dim, boolean keepdim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> logsumexp(t[0], dim, keepdim), a);
        if (a.dtype().isHalf()) return logsumexp(a.to(DType.FLOAT32), dim, keepdim).to(a.dtype()); // Note [half accumulation]
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor m = amax(a, new int[]{d}, true, true).detach();
        m = Pointwise.where(m.isnan().logicalOr(m.abs().eq(Double.POSITIVE_INFINITY)), Creation.operand(0.0), m);
        Tensor r = sum(a.sub(m).exp(), new int[]{d}, true).log().add(m);
        return keepdim ? r : r.squeeze(d);
    }

    public static Tensor softmax(Tensor a, int dim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> softmax(t[0], dim), a);
        if (a.dtype().isHalf()) return softmax(a.to(DType.FLOAT32), dim).to(a.dtype()); // Note [half accumulation]
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor in = a.dtype().isFloatingPoint() ? a : a.to(DType.DEFAULT);
        Tensor fused = fusedSoftmax(in, d, false);
        if (fused != null) return fused;
        Tensor out;
        try (GradMode ng = GradMode.disable()) {
            Tensor e = in.sub(amax(in, new int[]{d}, true, true)).exp();
            out = e.div(sum(e, new int[]{d}, true));
        }
        return Graph.record("softmax", out, in, g -> out.mul(g.sub(sum(g.mul(out), new int[]{d}, true))), out);
    }

    public static Tensor logSoftmax(Tensor a, int dim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> logSoftmax(t[0], dim), a);
        if (a.dtype().isHalf()) return logSoftmax(a.to(DType.FLOAT32), dim).to(a.dtype()); // Note [half accumulation]
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor in = a.dtype().isFloatingPoint() ? a : a.to(DType.DEFAULT);
        Tensor fused = fusedSoftmax(in, d, true);
        if (fused != null) return fused;
        Tensor out;
        try (GradMode ng = GradMode.disable()) {
            Tensor shifted = in.sub(amax(in, new int[]{d}, true, true));
            out = shifted.sub(sum(shifted.exp(), new int[]{d}, true).log());
        }
        return Graph.record("log_softmax", out, in, g -> g.sub(out.exp().mul(sum(g, new int[]{d}, true))), out);
    }

    /**
     * Note [fused softmax]: softmax and log_softmax over the last dim of a contiguous, non-empty float32 or float64
     * tensor run one backend kernel forward and one backward (two passes over memory where the composite makes
     * five), on a backend that has them; anything else, or a backend without them, returns null and the caller
     * runs its composite. The backward runs the composite formula under createGraph, so higher derivatives still
     * flow through {@code out}'s own node.
     */
    private static Tensor fusedSoftmax(Tensor in, int d, boolean log) {
        DType dt = in.dtype();
        if (d != in.dim() - 1 || !in.isContiguous() || in.numel() == 0 || (dt != DType.FLOAT32 && dt != DType.FLOAT64))
            return null;
        Tensor out = Creation.empty(in.shapeRef(), dt, in.device());
        if (!Creation.backend(in).softmax(out, in, log)) {
            out.close();
            return null;
        }
        return Graph.record(log ? "log_softmax" : "softmax", out, in, g -> softmaxGrad(g, out, d, log), out);
    }

    private static Tensor softmaxGrad(Tensor g, Tensor out, int d, boolean log) {
        if (!GradMode.isEnabled() && g.dtype() == out.dtype() && g.device().equals(out.device())
                && Arrays.equals(g.shapeRef(), out.shapeRef())) {
            Tensor gi = Creation.empty(out.shapeRef(), out.dtype(), out.device());
            if (Creation.backend(out).softmaxBackward(gi, g.contiguous(), out, log)) return gi;
            gi.close();
        }
        return log ? g.sub(out.exp().mul(sum(g, new int[]{d}, true)))
                : out.mul(g.sub(sum(g.mul(out), new int[]{d}, true)));
    }

    public static Tensor cumsum(Tensor a, int dim) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> cumsum(t[0], dim), a);
        int d = Shapes.wrapDim(dim, a.dim());
        DType dt = a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        Tensor out = Creation.empty(a.shapeRef(), dt, a.device());
        if (a.dim() == 0) Creation.backend(out).copy(out, a);
        else Creation.backend(out).cumsum(out, a, d);
        return Graph.record("cumsum", out, a, g -> a.dim() == 0 ? g : cumsum(g.flip(d), d).flip(d));
    }

    public static Tensor all(Tensor a) {
        if (a.numel() == 0) return Creation.scalar(1, DType.BOOL, a.device());   // vacuously true, as in PyTorch
        return reduce(ReduceOp.MIN, a.ne(0), Shapes.wrapDims(null, a.dim()), false, DType.BOOL);
    }

    public static Tensor any(Tensor a) {
        if (a.numel() == 0) return Creation.scalar(0, DType.BOOL, a.device());
        return reduce(ReduceOp.MAX, a.ne(0), Shapes.wrapDims(null, a.dim()), false, DType.BOOL);
    }

    public static Tensor countNonzero(Tensor a) {
        return sum(a.ne(0), null, false);
    }

    public static boolean equal(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shapeRef(), b.shapeRef())) return false;
        if (a.numel() == 0) return true;
        try (GradMode ng = GradMode.disable()) {
            return all(Pointwise.compare(BinaryOp.EQ, a, b)).item() != 0;
        }
    }

    public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
        try (GradMode ng = GradMode.disable()) {
            Shapes.broadcast(a.shapeRef(), b.shapeRef());
            Tensor x = a.to(DType.FLOAT64), y = b.to(DType.FLOAT64);
            Tensor close = x.sub(y).abs().le(y.abs().mul(rtol).add(atol)).logicalOr(x.eq(y));
            return close.numel() == 0 || all(close).item() != 0;
        }
    }
}
