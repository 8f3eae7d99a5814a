package dev.gpush.ops;

import dev.gpush.autograd.Graph;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * Indexing ops: selection by index tensors and masks, gather/scatter, one-hot, triangles. Rules, as in PyTorch:
 * <ul>
 *   <li>Index tensors are int64 or int32 (bool where a mask is meant), on the indexed tensor's device, and never
 *       take gradients. The backend checks their values and throws IndexOutOfBoundsException naming the index,
 *       the dim and its size.</li>
 *   <li>gather, scatter, scatterAdd, indexSelect and indexAdd take indices in {@code [0, size)}; {@link #index}
 *       ({@code x[idx]}) also takes {@code [-size, 0)}, counting from the end.</li>
 *   <li>For gather and scatter a 0-d tensor counts as 1-d of size 1. The index may be smaller than the input in
 *       every dim but {@code dim}, and smaller than src in every dim: only index's extent of src is read.</li>
 *   <li>scatter, scatterAdd and indexAdd return new tensors; {@code a} is never written.</li>
 *   <li>Gradients are written with these same ops, so they are differentiable again: gather and scatterAdd are
 *       each other's adjoints, and so are indexSelect and indexAdd.</li>
 * </ul>
 */
public final class Indexing {
    private Indexing() {}

    // ---------------------------------------------------------------- gather and scatter

    public static Tensor gather(Tensor a, int dim, Tensor index) {
        checkIndex("gather", a, index);
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor a1 = atLeast1d(a), i1 = atLeast1d(index);
        if (i1.dim() != a1.dim())
            throw new IllegalArgumentException("gather: index tensor must have the same number of dimensions as input "
                    + "tensor, got index of shape " + Shapes.str(index.shapeRef()) + " and input of shape "
                    + Shapes.str(a.shapeRef()));
        for (int k = 0; k < a1.dim(); k++)
            if (k != d && i1.size(k) > a1.size(k))
                throw new IllegalArgumentException("gather: size does not match at dimension " + k + ": expected index "
                        + Shapes.str(index.shapeRef()) + " to be no larger than input " + Shapes.str(a.shapeRef())
                        + " apart from dimension " + d);
        Tensor out = Creation.empty(index.shapeRef(), a.dtype(), a.device());
        Creation.backend(out).gather(atLeast1d(out), a1, d, i1);
        int[] in = a.shape();
        return Graph.record("gather", out, a, g -> scatterAddToZeros(in, d, index, g), index);
    }

    /**
     * {@code zeros(shape).scatterAdd(d, index, src)} for a src of index's shape, accumulated into the fresh zeros
     * rather than into a copy of them: gather's gradient, which is as large as gather's input (logits).
     */
    private static Tensor scatterAddToZeros(int[] shape, int d, Tensor index, Tensor src) {
        Tensor out = Tensor.zeros(shape, src.dtype(), src.device());
        Creation.backend(out).scatter(atLeast1d(out), d, atLeast1d(index), atLeast1d(src), true);
        return Graph.record("scatter_add", out, src, g -> g.gather(d, index), index);
    }

    /** A copy of {@code a} with {@code src}'s elements written where {@code index} points along {@code dim}. */
    public static Tensor scatter(Tensor a, int dim, Tensor index, Tensor src) {
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor out = scatterCopy("scatter", a, d, index, src, false);
        int[] srcShape = src.shape();
        return Graph.record("scatter", out,
                a, g -> g.scatter(d, index, 0),
                src, g -> padTo(g.gather(d, index), srcShape), index);
    }

    /** A copy of {@code a} with {@code src}'s elements added where {@code index} points; duplicates add up. */
    public static Tensor scatterAdd(Tensor a, int dim, Tensor index, Tensor src) {
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor out = scatterCopy("scatterAdd", a, d, index, src, true);
        int[] srcShape = src.shape();
        return Graph.record("scatter_add", out, a, g -> g, src, g -> padTo(g.gather(d, index), srcShape), index);
    }

    private static Tensor scatterCopy(String op, Tensor a, int d, Tensor index, Tensor src, boolean add) {
        checkIndex(op, a, index);
        sameDevice(op, a, src);
        if (src.dtype() != a.dtype())
            throw new IllegalArgumentException(op + ": expected src to have the dtype of self (" + a.dtype() + "), got "
                    + src.dtype());
        Tensor a1 = atLeast1d(a), i1 = atLeast1d(index), s1 = atLeast1d(src);
        if (i1.dim() != a1.dim() || s1.dim() != a1.dim())
            throw new IllegalArgumentException(op + ": index, self and src must have the same number of dimensions, "
                    + "got index of shape " + Shapes.str(index.shapeRef()) + ", self of shape "
                    + Shapes.str(a.shapeRef()) + " and src of shape " + Shapes.str(src.shapeRef()));
        for (int k = 0; k < a1.dim(); k++)
            if (i1.size(k) > s1.size(k) || (k != d && i1.size(k) > a1.size(k)))
                throw new IllegalArgumentException(op + ": expected index " + Shapes.str(index.shapeRef())
                        + " to be no larger than self " + Shapes.str(a.shapeRef()) + " apart from dimension " + d
                        + " and no larger than src " + Shapes.str(src.shapeRef()) + " (dimension " + k + ")");
        Tensor out = copyOf(a);
        Creation.backend(out).scatter(atLeast1d(out), d, i1, s1, add);
        return out;
    }

    /** {@code g} zero-padded at the end of each dim up to {@code shape}: src's gradient outside index's extent. */
    private static Tensor padTo(Tensor g, int[] shape) {
        for (int d = 0; d < shape.length; d++) {
            if (g.size(d) == shape[d]) continue;
            int[] s = g.shape();
            s[d] = shape[d];
            g = Views.sliceScatter(Tensor.zeros(s, g.dtype(), g.device()), g, d, 0, 1);
        }
        return g;
    }

    // ---------------------------------------------------------------- whole slices

    /** The slices of {@code a} along {@code dim} at the positions in {@code index} (0-d or 1-d). */
    public static Tensor indexSelect(Tensor a, int dim, Tensor index) {
        checkIndex("indexSelect", a, index);
        checkVector("indexSelect", index);
        int d = Shapes.wrapDim(dim, a.dim());
        int n = index.numel();
        if (a.dim() == 0 && n != 1)
            throw new IllegalArgumentException("indexSelect: index to a 0-d tensor can have only 1 value, got " + n);
        int[] s = a.shape();
        if (a.dim() > 0) s[d] = n;
        Tensor out = Creation.empty(s, a.dtype(), a.device());
        Creation.backend(out).indexSelect(atLeast1d(out), atLeast1d(a), d, atLeast1d(index));
        int[] in = a.shape();
        return Graph.record("index_select", out, a, g -> indexAddToZeros(in, d, index, g), index);
    }

    /**
     * {@code zeros(shape).indexAdd(d, index, src)}, accumulated into the fresh zeros rather than into a copy of
     * them: indexSelect's gradient, which is as large as the indexed tensor (an embedding table).
     */
    private static Tensor indexAddToZeros(int[] shape, int d, Tensor index, Tensor src) {
        Tensor out = Tensor.zeros(shape, src.dtype(), src.device());
        Creation.backend(out).indexAdd(atLeast1d(out), d, atLeast1d(index), atLeast1d(src));
        return Graph.record("index_add", out, src, g -> g.indexSelect(d, index), index);
    }

    /** A copy of {@code a} with {@code src.select(dim, i)} added to the slice at {@code index[i]}; duplicates add up. */
    public static Tensor indexAdd(Tensor a, int dim, Tensor index, Tensor src) {
        checkIndex("indexAdd", a, index);
        checkVector("indexAdd", index);
        sameDevice("indexAdd", a, src);
        int d = Shapes.wrapDim(dim, a.dim());
        if (src.dtype() != a.dtype())
            throw new IllegalArgumentException("indexAdd: self (" + a.dtype() + ") and source (" + src.dtype()
                    + ") must have the same dtype");
        Tensor a1 = atLeast1d(a), s1 = atLeast1d(src);
        if (s1.dim() != a1.dim())
            throw new IllegalArgumentException("indexAdd: source and self must have the same number of dimensions, got "
                    + "source of shape " + Shapes.str(src.shapeRef()) + " and self of shape " + Shapes.str(a.shapeRef()));
        if (index.numel() != s1.size(d))
            throw new IllegalArgumentException("indexAdd: number of indices (" + index.numel() + ") should be equal to "
                    + "source.size(" + d + ") (" + s1.size(d) + ")");
        for (int k = 0; k < a1.dim(); k++)
            if (k != d && s1.size(k) != a1.size(k))
                throw new IllegalArgumentException("indexAdd: source shape must match self shape except in dimension "
                        + d + ", got self of shape " + Shapes.str(a.shapeRef()) + " and source of shape "
                        + Shapes.str(src.shapeRef()));
        Tensor out = copyOf(a);
        Creation.backend(out).indexAdd(atLeast1d(out), d, atLeast1d(index), s1);
        return Graph.record("index_add", out, a, g -> g, src, g -> g.indexSelect(d, index), index);
    }

    // ---------------------------------------------------------------- advanced indexing and masks

    /**
     * {@code a[index]}. An integer index of any shape picks rows along dim 0 (negative ones count from the end):
     * the result has shape {@code index.shape + a.shape[1:]}. A bool index covering {@code a}'s leading dims is a
     * mask: the result holds the selected sub-tensors in row-major order, shape {@code [count] + a.shape[k:]}.
     */
    public static Tensor index(Tensor a, Tensor index) {
        Tensor idx = index.device().equals(a.device()) ? index : index.to(a.device());
        if (idx.dtype() == DType.BOOL) return maskIndex(a, idx);
        if (idx.dtype() != DType.INT64 && idx.dtype() != DType.INT32)
            throw new IllegalArgumentException("index: tensors used as indices must be int64, int32 or bool tensors, "
                    + "got " + idx.dtype());
        if (a.dim() == 0) throw new IndexOutOfBoundsException("index: too many indices for a tensor of dimension 0");
        int size = a.size(0);
        Tensor flat = idx.reshape(-1);
        if (flat.numel() > 0) {
            long hi = (long) flat.max().item(), lo = (long) flat.min().item();
            if (hi >= size) throw outOfBounds(hi, 0, size);
            if (lo < -size) throw outOfBounds(lo, 0, size);
            if (lo < 0) flat = Pointwise.where(flat.lt(0), flat.add(size), flat);
        }
        int[] rest = Arrays.copyOfRange(a.shapeRef(), 1, a.dim());
        return indexSelect(a, 0, flat).reshape(concat(idx.shapeRef(), rest));
    }

    /** {@code a[mask]} for a bool mask whose shape is {@code a}'s leading dims. */
    private static Tensor maskIndex(Tensor a, Tensor mask) {
        int k = mask.dim();
        if (k > a.dim())
            throw new IndexOutOfBoundsException("index: too many indices for a tensor of dimension " + a.dim()
                    + " (a mask of shape " + Shapes.str(mask.shapeRef()) + ")");
        for (int i = 0; i < k; i++)
            if (mask.size(i) != a.size(i))
                throw new IndexOutOfBoundsException("index: the shape of the mask " + Shapes.str(mask.shapeRef())
                        + " at index " + i + " does not match the shape of the indexed tensor "
                        + Shapes.str(a.shapeRef()) + " at index " + i);
        int[] rest = Arrays.copyOfRange(a.shapeRef(), k, a.dim());
        Tensor rows = a.reshape(concat(new int[]{mask.numel()}, rest));
        return indexSelect(rows, 0, positions(mask));
    }

    /** The elements of {@code a} where {@code mask} is true, 1-d; {@code a} and {@code mask} broadcast together. */
    public static Tensor maskedSelect(Tensor a, Tensor mask) {
        int[] shape = maskShape("maskedSelect", a, mask);
        Tensor m = mask.device().equals(a.device()) ? mask : mask.to(a.device());
        return indexSelect(a.expand(shape).reshape(-1), 0, positions(m.expand(shape)));
    }

    /** {@code a} with {@code value} where {@code mask} is true; keeps {@code a}'s dtype. */
    public static Tensor maskedFill(Tensor a, Tensor mask, Number value) {
        maskShape("maskedFill", a, mask);
        return Pointwise.where(mask, Creation.scalar(value, a.dtype(), a.device()), a);
    }

    /** The broadcast shape of a tensor and its mask, after checking that the mask is bool. */
    private static int[] maskShape(String op, Tensor a, Tensor mask) {
        if (mask.dtype() != DType.BOOL)
            throw new IllegalArgumentException(op + ": expected a bool mask, got " + mask.dtype());
        try {
            return Shapes.broadcast(a.shapeRef(), mask.shapeRef());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the mask of shape " + Shapes.str(mask.shapeRef())
                    + " does not broadcast with the tensor of shape " + Shapes.str(a.shapeRef()) + ": " + e.getMessage(), e);
        }
    }

    /** The row-major positions of the true elements of a bool tensor, int64 1-d. */
    private static Tensor positions(Tensor mask) {
        return nonzero(mask.reshape(-1)).view(-1);
    }

    public static Tensor nonzero(Tensor a) {
        return Creation.backend(a).nonzero(a);
    }

    // ---------------------------------------------------------------- triangles and one-hot

    /** The lower triangle of the last two dims: elements with {@code col - row <= diagonal}; the rest zero. */
    public static Tensor tril(Tensor a, int diagonal) {
        return triangle("tril", a, diagonal, true);
    }

    /** The upper triangle of the last two dims: elements with {@code col - row >= diagonal}; the rest zero. */
    public static Tensor triu(Tensor a, int diagonal) {
        return triangle("triu", a, diagonal, false);
    }

    private static Tensor triangle(String op, Tensor a, int diagonal, boolean lower) {
        if (a.dim() < 2)
            throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got shape "
                    + Shapes.str(a.shapeRef()));
        int rows = a.size(-2), cols = a.size(-1);
        Tensor offset = Tensor.arange(cols).unsqueeze(0).sub(Tensor.arange(rows).unsqueeze(1));   // col - row
        Tensor keep = (lower ? offset.le(diagonal) : offset.ge(diagonal)).to(a.device());
        // where's gradient applies the same mask
        return Pointwise.where(keep, a, Creation.scalar(0, a.dtype(), a.device()));
    }

    /** int64 with a new last dim of {@code numClasses} (-1: max + 1) holding 1 at each value's position. */
    public static Tensor oneHot(Tensor a, int numClasses) {
        if (a.dtype() != DType.INT64)
            throw new IllegalArgumentException("oneHot: expected an int64 tensor of class values, got " + a.dtype());
        if (numClasses < -1)
            throw new IllegalArgumentException("oneHot: numClasses must be -1 (one more than the largest value) or "
                    + "non-negative, got " + numClasses);
        long max = -1;
        if (a.numel() > 0) {
            long min = (long) a.min().item();
            max = (long) a.max().item();
            if (min < 0) throw new IllegalArgumentException("oneHot: class values must be non-negative, got " + min);
        } else if (numClasses == -1) {
            throw new IllegalArgumentException("oneHot: cannot infer the number of classes from an empty tensor; pass numClasses");
        }
        int c = numClasses == -1 ? Math.toIntExact(max + 1) : numClasses;
        if (max >= c)
            throw new IllegalArgumentException("oneHot: class values must be smaller than numClasses (" + c + "), got " + max);
        int[] shape = concat(a.shapeRef(), new int[]{c});
        Tensor out = Creation.full(shape, 0, DType.INT64, a.device());
        Tensor at = a.reshape(concat(a.shapeRef(), new int[]{1}));
        Tensor one = Creation.scalar(1, DType.INT64, a.device());
        Tensor ones = Tensor.borrow(one, at.shapeRef(), new int[at.dim()], one.storageOffset());
        Creation.backend(out).scatter(out, shape.length - 1, at, ones, false);
        return out;
    }

    // ---------------------------------------------------------------- checks and small helpers

    private static void checkIndex(String op, Tensor a, Tensor index) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32)
            throw new IllegalArgumentException(op + ": expected an int64 or int32 index tensor, got " + index.dtype());
        sameDevice(op, a, index);
    }

    private static void checkVector(String op, Tensor index) {
        if (index.dim() > 1)
            throw new IllegalArgumentException(op + ": index is supposed to be a vector (0-d or 1-d), got shape "
                    + Shapes.str(index.shapeRef()));
    }

    private static void sameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device()))
            throw new IllegalArgumentException(op + ": expected all tensors on one device, got " + a.device() + " and "
                    + b.device());
    }

    static IndexOutOfBoundsException outOfBounds(long index, int dim, int size) {
        return new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + dim + " with size " + size);
    }

    /** A 0-d tensor read as 1-d of size 1 (a borrowed view, for a backend call); others as they are. */
    private static Tensor atLeast1d(Tensor t) {
        return t.dim() > 0 ? t : Tensor.borrow(t, new int[]{1}, new int[]{1}, t.storageOffset());
    }

    /** A contiguous copy outside the graph, for ops that write their result in place. */
    private static Tensor copyOf(Tensor a) {
        Tensor out = Creation.empty(a.shapeRef(), a.dtype(), a.device());
        Creation.backend(out).copy(out, a);
        return out;
    }

    private static int[] concat(int[] x, int[] y) {
        int[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}
