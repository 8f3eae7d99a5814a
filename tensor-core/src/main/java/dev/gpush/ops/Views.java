package dev.gpush.ops;

import dev.gpush.autograd.Graph;
import dev.gpush.autograd.Node;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that change how a storage is read (views share it and its version counter), and the copies among them:
 * clone, to, contiguous, cat, stack, repeat, flip.
 */
public final class Views {
    private Views() {}

    static Tensor viewOf(Tensor base, int[] shape, int[] strides, int offset) {
        Creation.checkInterrupt();
        return new Tensor(base.storage(), shape, strides, offset, true);
    }

    public static Tensor detach(Tensor a) {
        return viewOf(a, a.shapeRef(), a.strideRef(), a.storageOffset());
    }

    /** A differentiable copy with its own contiguous storage. */
    public static Tensor clone(Tensor a) {
        Tensor out = Creation.empty(a.shapeRef(), a.dtype(), a.device());
        Creation.backend(out).copy(out, a);
        return Graph.record("clone", out, a, g -> g);
    }

    public static Tensor to(Tensor a, Device device, DType dtype) {
        if (a.device().equals(device) && a.dtype() == dtype) return a;
        if (a.requiresGrad() && !dtype.isFloatingPoint() && Graph.needsGrad(a))
            ; // allowed: the result simply does not require grad
        Tensor out;
        if (a.device().equals(device)) {
            out = Creation.empty(a.shapeRef(), dtype, device);
            Creation.backend(out).copy(out, a);
        } else {
            // cross-device: the destination backend takes a contiguous host array
            Tensor src = a.dtype() == dtype ? a : to(a, a.device(), dtype);
            Object array = Creation.backend(src).toArray(src);
            out = new Tensor(dev.gpush.backend.Backends.of(device).fromArray(dtype, array), a.shape(),
                    Shapes.contiguousStrides(a.shapeRef()), 0, false);
        }
        if (!dtype.isFloatingPoint()) return out;
        DType from = a.dtype();
        Device fromDevice = a.device();
        return Graph.record("to", out, a, g -> to(g, fromDevice, from));
    }

    // ---------------------------------------------------------------- shape views

    /** The shape with a single -1 inferred from the element count. */
    static int[] inferShape(int[] shape, int numel) {
        int[] r = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (r[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + r[i]);
            } else known *= r[i];
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0)
                throw new IllegalArgumentException("shape '" + Shapes.str(shape) + "' is invalid for input of size " + numel);
            r[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException("shape '" + Shapes.str(shape) + "' is invalid for input of size " + numel);
        }
        return r;
    }

    /** Strides that read the old layout with the new shape without a copy, or null (PyTorch's computeStride). */
    static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] ns = new int[newShape.length];
        if (oldShape.length == 0 || Shapes.numel(oldShape) == 0) return Shapes.contiguousStrides(newShape);
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides.length > 0 ? oldStrides[oldStrides.length - 1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            if (d == 0 || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return ns;
    }

    public static Tensor view(Tensor a, int[] shape) {
        int[] s = inferShape(shape, a.numel());
        int[] st = viewStrides(a.shapeRef(), a.strideRef(), s);
        if (st == null)
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at "
                    + "least one dimension spans across two contiguous subspaces); use reshape(...) instead");
        int[] in = a.shape();
        return Graph.record("view", viewOf(a, s, st, a.storageOffset()), a, g -> g.reshape(in));
    }

    public static Tensor reshape(Tensor a, int[] shape) {
        int[] s = inferShape(shape, a.numel());
        if (viewStrides(a.shapeRef(), a.strideRef(), s) != null) return view(a, s);
        return view(clone(a), s);
    }

    public static Tensor flatten(Tensor a, int start, int end) {
        if (a.dim() == 0) return reshape(a, new int[]{1});
        start = Shapes.wrapDim(start, a.dim());
        end = Shapes.wrapDim(end, a.dim());
        if (start > end) throw new IllegalArgumentException("flatten: startDim cannot come after endDim");
        int[] s = a.shapeRef();
        int[] r = new int[s.length - (end - start)];
        int k = 0;
        for (int i = 0; i < start; i++) r[k++] = s[i];
        int m = 1;
        for (int i = start; i <= end; i++) m *= s[i];
        r[k++] = m;
        for (int i = end + 1; i < s.length; i++) r[k++] = s[i];
        return reshape(a, r);
    }

    public static Tensor unflatten(Tensor a, int dim, int[] sizes) {
        dim = Shapes.wrapDim(dim, a.dim());
        int[] s = a.shapeRef();
        int[] inner = inferShape(sizes, s[dim]);
        int[] r = new int[s.length - 1 + inner.length];
        System.arraycopy(s, 0, r, 0, dim);
        System.arraycopy(inner, 0, r, dim, inner.length);
        System.arraycopy(s, dim + 1, r, dim + inner.length, s.length - dim - 1);
        return view(a, r);
    }

    public static Tensor unsqueeze(Tensor a, int dim) {
        dim = Shapes.wrapDim(dim, a.dim() + 1);
        int n = a.dim();
        int[] s = new int[n + 1], st = new int[n + 1];
        for (int i = 0, j = 0; i <= n; i++) {
            if (i == dim) {
                s[i] = 1;
                st[i] = j < n ? a.strideRef()[j] * a.shapeRef()[j] : 1;
            } else {
                s[i] = a.shapeRef()[j];
                st[i] = a.strideRef()[j];
                j++;
            }
        }
        int d = dim;
        return Graph.record("unsqueeze", viewOf(a, s, st, a.storageOffset()), a, g -> g.squeeze(d));
    }

    public static Tensor squeeze(Tensor a) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < a.dim(); i++) if (a.shapeRef()[i] != 1) keep.add(i);
        return keepDims(a, keep, "squeeze");
    }

    public static Tensor squeeze(Tensor a, int dim) {
        if (a.dim() == 0) return a;
        dim = Shapes.wrapDim(dim, a.dim());
        if (a.shapeRef()[dim] != 1) return a;
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < a.dim(); i++) if (i != dim) keep.add(i);
        return keepDims(a, keep, "squeeze");
    }

    private static Tensor keepDims(Tensor a, List<Integer> keep, String name) {
        int[] s = new int[keep.size()], st = new int[keep.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.shapeRef()[keep.get(i)];
            st[i] = a.strideRef()[keep.get(i)];
        }
        int[] in = a.shape();
        return Graph.record(name, viewOf(a, s, st, a.storageOffset()), a, g -> g.reshape(in));
    }

    public static Tensor permute(Tensor a, int[] dims) {
        int n = a.dim();
        if (dims.length != n)
            throw new IllegalArgumentException("permute: number of dims don't match: the tensor has " + n
                    + " dims but " + dims.length + " were given");
        int[] p = new int[n], s = new int[n], st = new int[n], inv = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = Shapes.wrapDim(dims[i], n);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: repeated dim " + p[i]);
            seen[p[i]] = true;
            s[i] = a.shapeRef()[p[i]];
            st[i] = a.strideRef()[p[i]];
            inv[p[i]] = i;
        }
        return Graph.record("permute", viewOf(a, s, st, a.storageOffset()), a, g -> g.permute(inv));
    }

    public static Tensor transpose(Tensor a, int d0, int d1) {
        int n = a.dim();
        if (n == 0) return a;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        d0 = Shapes.wrapDim(d0, n);
        d1 = Shapes.wrapDim(d1, n);
        p[d0] = d1;
        p[d1] = d0;
        return permute(a, p);
    }

    public static Tensor t(Tensor a) {
        if (a.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + a.dim() + "D");
        return a.dim() < 2 ? a : transpose(a, 0, 1);
    }

    public static Tensor slice(Tensor a, int dim, int start, int end, int step) {
        dim = Shapes.wrapDim(dim, a.dim());
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        int size = a.shapeRef()[dim];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.clamp(start, 0, size);
        end = Math.clamp(end, start, size);
        int len = (end - start + step - 1) / step;
        int[] s = a.shape(), st = a.stride();
        s[dim] = len;
        st[dim] *= step;
        int d = dim, from = start, k = step;
        int[] in = a.shape();
        Tensor out = viewOf(a, s, st, a.storageOffset() + start * a.strideRef()[dim]);
        return Graph.record("slice", out, a, g -> {
            Tensor z = Tensor.zeros(in, g.dtype(), g.device());
            return sliceScatter(z, g, d, from, k);
        });
    }

    /** A copy of {@code base} whose slice {@code [start::step]} along {@code dim} is replaced by {@code src}. */
    public static Tensor sliceScatter(Tensor base, Tensor src, int dim, int start, int step) {
        int len = src.shapeRef()[dim];
        Tensor out = Creation.empty(base.shapeRef(), base.dtype(), base.device());
        Creation.backend(out).copy(out, base);
        int[] s = out.shape(), st = out.stride();
        s[dim] = len;
        st[dim] *= step;
        Tensor dst = Tensor.borrow(out, s, st, start * out.strideRef()[dim]);
        Creation.backend(out).copy(dst, Pointwise.operandAs(src, s, out.device()));
        int end = start + len * step;
        return Graph.record("slice_scatter", out,
                base, g -> sliceScatter(g, Tensor.zeros(s, g.dtype(), g.device()), dim, start, step),
                src, g -> slice(g, dim, start, end, step));
    }

    public static Tensor narrow(Tensor a, int dim, int start, int length) {
        dim = Shapes.wrapDim(dim, a.dim());
        int size = a.shapeRef()[dim];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size)
            throw new IndexOutOfBoundsException("narrow: start (" + start + ") + length (" + length
                    + ") exceeds dimension size (" + size + ") of dim " + dim);
        return slice(a, dim, start, start + length, 1);
    }

    public static Tensor select(Tensor a, int dim, int index) {
        if (a.dim() == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor");
        dim = Shapes.wrapDim(dim, a.dim());
        int size = a.shapeRef()[dim];
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + dim + " with size " + size);
        if (index < 0) index += size;
        return squeeze(narrow(a, dim, index, 1), dim);
    }

    public static Tensor expand(Tensor a, int[] shape) {
        if (shape.length < a.dim())
            throw new IllegalArgumentException("expand: the number of sizes provided (" + shape.length + ") must be "
                    + "greater or equal to the number of dimensions in the tensor (" + a.dim() + ")");
        int[] s = shape.clone();
        int lead = s.length - a.dim();
        for (int i = 0; i < s.length; i++) if (s[i] == -1) {
            if (i < lead) throw new IllegalArgumentException("expand: -1 is not allowed in a leading, non-existing dimension");
            s[i] = a.shapeRef()[i - lead];
        }
        int[] st = Shapes.broadcastStrides(a.shapeRef(), a.strideRef(), s);
        return Graph.record("expand", viewOf(a, s, st, a.storageOffset()), a, g -> g);
    }

    public static List<Tensor> split(Tensor a, int splitSize, int dim) {
        dim = Shapes.wrapDim(dim, a.dim());
        if (splitSize <= 0) throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize);
        List<Tensor> r = new ArrayList<>();
        int size = a.shapeRef()[dim];
        for (int s = 0; s < size || (size == 0 && r.isEmpty()); s += splitSize) r.add(narrow(a, dim, s, Math.min(splitSize, size - s)));
        return r;
    }

    public static List<Tensor> split(Tensor a, int[] sizes, int dim) {
        dim = Shapes.wrapDim(dim, a.dim());
        int total = Arrays.stream(sizes).sum();
        if (total != a.shapeRef()[dim])
            throw new IllegalArgumentException("split: sizes " + Shapes.str(sizes) + " sum to " + total
                    + " but dim " + dim + " has size " + a.shapeRef()[dim]);
        List<Tensor> r = new ArrayList<>();
        int s = 0;
        for (int len : sizes) {
            r.add(narrow(a, dim, s, len));
            s += len;
        }
        return r;
    }

    public static List<Tensor> chunk(Tensor a, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        int size = a.shapeRef()[Shapes.wrapDim(dim, a.dim())];
        return split(a, Math.max(1, (size + chunks - 1) / chunks), dim);
    }

    public static List<Tensor> unbind(Tensor a, int dim) {
        List<Tensor> r = new ArrayList<>();
        for (int i = 0; i < a.size(dim); i++) r.add(select(a, dim, i));
        return r;
    }

    // ---------------------------------------------------------------- copies that combine tensors

    public static Tensor cat(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("cat expects a non-empty list of tensors");
        Tensor first = ts.getFirst();
        int d = Shapes.wrapDim(dim, first.dim());
        DType dtype = first.dtype();
        int total = 0;
        for (int i = 0; i < ts.size(); i++) {
            Tensor t = ts.get(i);
            if (!t.device().equals(first.device()))
                throw new IllegalArgumentException("expected all tensors on one device, got " + first.device()
                        + " and " + t.device() + " (tensor " + i + ")");
            if (t.dim() != first.dim())
                throw new IllegalArgumentException("cat: tensors must have the same number of dimensions: got "
                        + first.dim() + " and " + t.dim() + " (tensor " + i + ")");
            for (int k = 0; k < t.dim(); k++)
                if (k != d && t.shapeRef()[k] != first.shapeRef()[k])
                    throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + d
                            + ": expected size " + first.shapeRef()[k] + " but got size " + t.shapeRef()[k]
                            + " for tensor number " + i + " in the list (shapes " + Shapes.str(first.shapeRef())
                            + " and " + Shapes.str(t.shapeRef()) + ")");
            dtype = DType.promote(dtype, t.dtype());
            total += t.shapeRef()[d];
        }
        int[] s = first.shape();
        s[d] = total;
        Tensor out = Creation.empty(s, dtype, first.device());
        int at = 0;
        Node.Grad[] grads = new Node.Grad[ts.size()];
        for (int i = 0; i < ts.size(); i++) {
            Tensor t = ts.get(i);
            int len = t.shapeRef()[d], from = at;
            Tensor dst = narrowBorrow(out, d, at, len);
            Creation.backend(out).copy(dst, t);
            grads[i] = g -> g.narrow(d, from, len);
            at += len;
        }
        return Graph.record("cat", out, ts.toArray(new Tensor[0]), grads);
    }

    public static Tensor stack(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty list of tensors");
        int[] s0 = ts.getFirst().shapeRef();
        for (int i = 1; i < ts.size(); i++)
            if (!Arrays.equals(ts.get(i).shapeRef(), s0))
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Shapes.str(s0) + " at entry 0 and " + Shapes.str(ts.get(i).shapeRef()) + " at entry " + i);
        int d = Shapes.wrapDim(dim, s0.length + 1);
        List<Tensor> u = new ArrayList<>();
        for (Tensor t : ts) u.add(unsqueeze(t, d));
        return cat(u, d);
    }

    static Tensor narrowBorrow(Tensor t, int dim, int start, int len) {
        int[] s = t.shape();
        s[dim] = len;
        return Tensor.borrow(t, s, t.strideRef(), t.storageOffset() + start * t.strideRef()[dim]);
    }

    public static Tensor repeat(Tensor a, int[] repeats) {
        if (repeats.length < a.dim())
            throw new IllegalArgumentException("repeat: number of repeat dims (" + repeats.length
                    + ") can not be smaller than the number of dimensions of the tensor (" + a.dim() + ")");
        int n = repeats.length, lead = n - a.dim();
        // view as [1, s0, 1, s1, ...], expand to [r0, s0, r1, s1, ...], then merge pairs
        int[] padded = new int[n];
        for (int i = 0; i < n; i++) padded[i] = i < lead ? 1 : a.shapeRef()[i - lead];
        Tensor x = a.reshape(padded);
        int[] inter = new int[2 * n], target = new int[2 * n], out = new int[n];
        for (int i = 0; i < n; i++) {
            inter[2 * i] = 1;
            inter[2 * i + 1] = padded[i];
            target[2 * i] = repeats[i];
            target[2 * i + 1] = padded[i];
            out[i] = repeats[i] * padded[i];
        }
        return x.reshape(inter).expand(target).contiguous().view(out);
    }

    public static Tensor flip(Tensor a, int[] dims) {
        int[] ds = Shapes.wrapDims(dims, a.dim());
        int[] st = a.stride();
        int off = a.storageOffset();
        for (int d : ds) {
            if (a.shapeRef()[d] > 0) off += (a.shapeRef()[d] - 1) * st[d];
            st[d] = -st[d];
        }
        Tensor out = Creation.empty(a.shapeRef(), a.dtype(), a.device());
        Creation.backend(out).copy(out, Tensor.borrow(a, a.shapeRef(), st, off));
        return Graph.record("flip", out, a, g -> g.flip(ds));
    }
}
