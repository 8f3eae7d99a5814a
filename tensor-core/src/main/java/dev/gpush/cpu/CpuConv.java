package dev.gpush.cpu;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-d convolution on the CPU, forward and backward, each one op (the backend's conv2d hooks, Note [fused windows]
 * in {@code nn.FusedWindows}), one image and group at a time, every product by OpenBLAS. Rules:
 * <ul>
 *   <li>float32 and float64, with OpenBLAS loaded; any stride, padding, dilation and groups. Anything else answers
 *       false before writing, and the composite (unfold, batched matmul, fold) runs instead.</li>
 *   <li>Stride 1 (ResNet's 3x3 convolutions) needs no im2col: the forward, and the input's gradient, which is
 *       itself a stride-1 convolution, are kh*kw products over a zero-padded copy of the image (Note [shifted
 *       products]). That saves the windows' K x L copy (K = C/groups * kh * kw, L = oh * ow), and col2im's adds.</li>
 *   <li>Other strides, and the weight's gradient, put the windows of one image and group into a scratch cols
 *       [K, L] (im2col by {@link CpuWindows}), reused for the whole batch: written and read while it is still in
 *       cache, where the composite holds the windows of the whole batch (58 MB for the bench's block) from the
 *       forward to the backward.</li>
 *   <li>The products: forward {@code y[n, g] = W_g [O/g, K] @ cols}, into y in place, the bias filled in first and
 *       the product added to it; the weight's gradient {@code gW_g += gy[n, g] [O/g, L] @ cols^T}, summed by the
 *       product itself (beta 1) image after image, so the order of the sum is fixed; the input's gradient
 *       {@code gcols = W_g^T @ gy[n, g]}, added into a zeroed {@code gx[n, g]} by col2im.</li>
 *   <li>Images run one after another: OpenBLAS threads each product by itself from {@link Blas#THREADED_MNK}
 *       (Note [batches and OpenBLAS threads] in {@link Gemm}), and im2col and col2im split the channels over the
 *       pool.</li>
 * </ul>
 */
final class CpuConv {
    private CpuConv() {}

    /** The sizes of one convolution: x [N, C, H, W], w [O, C/groups, kh, kw], y [N, O, oh, ow]. */
    private record Shape(int n, int c, int o, int groups, int kh, int kw, int oh, int ow) {
        static Shape of(Tensor x, Tensor w, int oh, int ow, int groups) {
            return new Shape(x.size(0), x.size(1), w.size(0), groups, w.size(2), w.size(3), oh, ow);
        }
        int cg() { return c / groups; }            // input channels per group
        int og() { return o / groups; }            // output channels per group
        int k() { return cg() * kh * kw; }         // rows of cols
        int l() { return oh * ow; }                // columns of cols: the output positions
    }

    static boolean forward(Tensor y, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                           int groups) {
        if (!supported(x, w, b, y) || !y.isContiguous()) return false;
        Shape s = Shape.of(x, w, y.size(2), y.size(3), groups);
        Tensor bd = b == null ? null : dense(b);
        if (unitStride(stride) && x.strideRef()[3] == 1) {
            shifted(y, x, taps(w, groups, false), bd, padding, dilation, groups, false);
            return true;
        }
        int og = s.og(), k = s.k(), l = s.l();
        Tensor wd = dense(w), cols = scratch(x.dtype(), k * l);
        Object wa = data(wd), ca = data(cols), ya = data(y);
        for (int n = 0; n < s.n(); n++)
            for (int g = 0; g < groups; g++) {
                int yOff = y.storageOffset() + (n * s.o() + g * og) * l;
                if (bd != null) fillRows(ya, yOff, og, l, data(bd), bd.storageOffset() + g * og);
                CpuWindows.unfold2d(windows(cols, s), image(x, n, g, s.cg()), stride, padding, dilation, false);
                Blas.gemm(false, false, og, l, k, wa, wd.storageOffset() + g * og * k, k, ca, 0, l,
                        ya, yOff, l, bd != null);
            }
        return true;
    }

    static boolean backward(Tensor gx, Tensor gw, Tensor gy, Tensor x, Tensor w, int[] stride, int[] padding,
                            int[] dilation, int groups) {
        if (!supported(x, w, null, gy) || (gx != null && !gx.isContiguous()) || (gw != null && !gw.isContiguous())
                || (gx != null && gx.dtype() != x.dtype()) || (gw != null && gw.dtype() != x.dtype())) return false;
        Shape s = Shape.of(x, w, gy.size(2), gy.size(3), groups);
        int og = s.og(), k = s.k(), l = s.l();
        Tensor wd = dense(w), gd = dense(gy);
        Object wa = data(wd), ga = data(gd);
        int[] fullPad = {(s.kh() - 1) * dilation[0] - padding[0], (s.kw() - 1) * dilation[1] - padding[1]};
        // the input's gradient is a convolution too: with stride 1, gx is gy convolved with w flipped in space
        // and transposed in channels, padded by (k-1)*d - p, so it takes the forward's shifted products
        boolean shiftedGx = gx != null && unitStride(stride) && fullPad[0] >= 0 && fullPad[1] >= 0;
        boolean shiftedGw = gw != null && unitStride(stride) && x.strideRef()[3] == 1;
        if (shiftedGx) shifted(gx, gd, taps(w, groups, true), null, fullPad, dilation, groups, true);
        if (shiftedGw) shiftedWeightGrad(gw, gd, x, padding, dilation, groups);
        boolean colsGx = gx != null && !shiftedGx, colsGw = gw != null && !shiftedGw;
        if (!colsGx && !colsGw) return true;
        Tensor cols = scratch(x.dtype(), k * l);
        Object ca = data(cols);
        if (colsGx) Elementwise.fill(gx, 0);
        for (int n = 0; n < s.n(); n++)
            for (int g = 0; g < groups; g++) {
                int gyOff = gd.storageOffset() + (n * s.o() + g * og) * l, wOff = wd.storageOffset() + g * og * k;
                if (colsGw) {
                    CpuWindows.unfold2d(windows(cols, s), image(x, n, g, s.cg()), stride, padding, dilation, false);
                    Blas.gemm(false, true, og, k, l, ga, gyOff, l, ca, 0, l,
                            data(gw), gw.storageOffset() + g * og * k, k, n > 0);
                }
                if (colsGx) {
                    Blas.gemm(true, false, k, l, og, wa, wOff, k, ga, gyOff, l, ca, 0, l, false);
                    CpuWindows.unfold2d(windows(cols, s), image(gx, n, g, s.cg()), stride, padding, dilation, true);
                }
            }
        return true;
    }

    /**
     * Note [shifted products]: a stride-1 convolution without im2col. Each input plane is copied once into a
     * zero-bordered plane of {@code wp = W + 2 pw} columns, laid out flat. Output (r, c) at flat position
     * {@code q = r * wp + c} then reads tap (i, j) at {@code q + i*dh*wp + j*dw} for every q, a constant shift: so
     * the output, kept {@code wp} wide, is a sum of kh*kw products {@code tap_ij [Co, Ci] @ padded[:, shift_ij ..]},
     * each reading the padded planes in place (ld the plane's size), the BLAS adding each into the last (beta 1).
     * The {@code wp - ow} extra columns of each row are computed and dropped on the copy out. Each plane carries
     * {@code (kw-1)*dw} more zeros so the last row's extra columns stay inside it.
     *
     * <p>{@code out} [N, G*Co, oh, ow] from {@code in} [N, G*Ci, H, W] (unit last stride) and {@code taps}
     * [G, kh, kw, Co, Ci]; with {@code flip}, tap (i, j) is read from (kh-1-i, kw-1-j). {@code bias} [G*Co] or null.
     */
    private static void shifted(Tensor out, Tensor in, Tensor taps, Tensor bias, int[] padding, int[] dilation,
                                int groups, boolean flip) {
        int n = in.size(0), ci = in.size(1) / groups, kh = taps.size(1), kw = taps.size(2), co = taps.size(3);
        int oh = out.size(2), ow = out.size(3), wp = in.size(3) + 2 * padding[1], lp = oh * wp;
        int plane = plane(in, padding, kw, dilation);
        Tensor padded = scratch(in.dtype(), ci * plane), wide = scratch(in.dtype(), co * lp);
        Object pa = data(padded), wa = data(wide), ta = data(taps), oa = data(out);
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++) {
                place(pa, plane, wp, padding, in, b, g, ci);
                if (bias != null) fillRows(wa, 0, co, lp, data(bias), bias.storageOffset() + g * co);
                for (int t = 0; t < kh * kw; t++) {
                    int shift = t / kw * dilation[0] * wp + t % kw * dilation[1], tap = flip ? kh * kw - 1 - t : t;
                    Blas.gemm(false, false, co, lp, ci, ta, (g * kh * kw + tap) * co * ci, ci,
                            pa, shift, plane, wa, 0, lp, t > 0 || bias != null);
                }
                int outOff = out.storageOffset() + (b * groups + g) * co * oh * ow;
                for (int r = 0; r < co * oh; r++) System.arraycopy(wa, r * wp, oa, outOff + r * ow, ow);
            }
    }

    /**
     * The weight's gradient by the shifted products of Note [shifted products] (stride 1): tap (i, j)'s gradient
     * [Co, Ci] is gy, kept {@code wp} wide with its extra columns zero, times the padded planes shifted by
     * {@code shift_ij}, transposed; the product sums it over the images (beta 1), in order.
     */
    private static void shiftedWeightGrad(Tensor gw, Tensor gy, Tensor x, int[] padding, int[] dilation, int groups) {
        int n = x.size(0), ci = x.size(1) / groups, co = gw.size(0) / groups, kh = gw.size(2), kw = gw.size(3);
        int wp = x.size(3) + 2 * padding[1], lp = gy.size(2) * wp, plane = plane(x, padding, kw, dilation);
        int[] none = {0, 0}, shape = {groups, kh, kw, co, ci};
        Tensor padded = scratch(x.dtype(), ci * plane), wide = scratch(x.dtype(), co * lp);
        Tensor sums = scratch(x.dtype(), groups * kh * kw * co * ci);   // [G, kh, kw, Co, Ci]
        Object pa = data(padded), wa = data(wide), sa = data(sums);
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++) {
                place(pa, plane, wp, padding, x, b, g, ci);
                place(wa, lp, wp, none, gy, b, g, co);   // the extra columns are never written: they stay zero
                for (int t = 0; t < kh * kw; t++)
                    Blas.gemm(false, true, co, ci, lp, wa, 0, lp, pa, t / kw * dilation[0] * wp + t % kw * dilation[1],
                            plane, sa, (g * kh * kw + t) * co * ci, ci, b > 0);
            }
        Elementwise.copy(tapView(gw, groups, false), Tensor.borrow(sums, shape, Shapes.contiguousStrides(shape), 0));
    }

    /** The length of one padded plane of {@code in}: its padded rows, and the zeros the last row's shifts read. */
    private static int plane(Tensor in, int[] padding, int kw, int[] dilation) {
        return (in.size(2) + 2 * padding[0]) * (in.size(3) + 2 * padding[1]) + (kw - 1) * dilation[1];
    }

    /**
     * Copies channels {@code [g*ci, (g+1)*ci)} of image {@code b} of {@code in} (unit last stride) into planes of
     * {@code plane} elements, rows {@code wp} apart, {@code padding} rows and columns in; nothing else is written.
     */
    private static void place(Object to, int plane, int wp, int[] padding, Tensor in, int b, int g, int ci) {
        Object from = data(in);
        int[] st = in.strideRef();
        int h = in.size(2), w = in.size(3), base = in.storageOffset() + b * st[0] + g * ci * st[1];
        for (int c = 0; c < ci; c++)
            for (int r = 0; r < h; r++)
                System.arraycopy(from, base + c * st[1] + r * st[2], to, c * plane + (r + padding[0]) * wp + padding[1], w);
    }

    /** The weight's taps, contiguous: see {@link #tapView}. */
    private static Tensor taps(Tensor w, int groups, boolean transpose) {
        Tensor view = tapView(w, groups, transpose);
        int[] shape = view.shapeRef().clone();
        Tensor t = new Tensor(new CpuStorage(w.dtype(), view.numel()), shape, Shapes.contiguousStrides(shape), 0, false);
        Elementwise.copy(t, view);
        return t;
    }

    /**
     * The weight [G*Co', Ci', kh, kw] read as taps [G, kh, kw, Co', Ci'] for the forward, or with {@code transpose}
     * [G, kh, kw, Ci', Co'] for the input's gradient (the flip in space is left to the reader).
     */
    private static Tensor tapView(Tensor w, int groups, boolean transpose) {
        int o = w.size(0) / groups, c = w.size(1), kh = w.size(2), kw = w.size(3);
        int[] st = w.strideRef();
        int[] shape = transpose ? new int[]{groups, kh, kw, c, o} : new int[]{groups, kh, kw, o, c};
        int[] strides = transpose ? new int[]{o * st[0], st[2], st[3], st[1], st[0]}
                : new int[]{o * st[0], st[2], st[3], st[0], st[1]};
        return Tensor.borrow(w, shape, strides, w.storageOffset());
    }

    private static boolean unitStride(int[] stride) { return stride[0] == 1 && stride[1] == 1; }

    /** float32 or float64 throughout, with OpenBLAS to multiply; {@code b} may be null. */
    private static boolean supported(Tensor x, Tensor w, Tensor b, Tensor out) {
        DType dt = x.dtype();
        return (dt == DType.FLOAT32 || dt == DType.FLOAT64) && Blas.available() && w.dtype() == dt
                && out.dtype() == dt && (b == null || b.dtype() == dt);
    }

    /** The channels of group {@code g} of image {@code n}, as [1, C/groups, H, W] over {@code t}'s storage. */
    private static Tensor image(Tensor t, int n, int g, int cg) {
        int[] st = t.strideRef();
        return Tensor.borrow(t, new int[]{1, cg, t.size(2), t.size(3)}, st.clone(),
                t.storageOffset() + n * st[0] + g * cg * st[1]);
    }

    /** A zeroed scratch of {@code length} elements. */
    private static Tensor scratch(DType dtype, int length) {
        return new Tensor(new CpuStorage(dtype, length), new int[]{length}, new int[]{1}, 0, false);
    }

    /** The scratch as one image-group's windows [1, C/groups, kh, kw, oh, ow]: cols [K, L] row-major. */
    private static Tensor windows(Tensor scratch, Shape s) {
        int[] shape = {1, s.cg(), s.kh(), s.kw(), s.oh(), s.ow()};
        return Tensor.borrow(scratch, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** {@code t}, or a contiguous copy of it. */
    private static Tensor dense(Tensor t) {
        if (t.isContiguous()) return t;
        int[] shape = t.shapeRef().clone();
        Tensor c = new Tensor(new CpuStorage(t.dtype(), t.numel()), shape, Shapes.contiguousStrides(shape), 0, false);
        Elementwise.copy(c, t);
        return c;
    }

    /** Row r of {@code rows} rows of {@code len} from {@code off} set to {@code values[from + r]}. */
    private static void fillRows(Object a, int off, int rows, int len, Object values, int from) {
        for (int r = 0; r < rows; r++) {
            int start = off + r * len;
            if (a instanceof float[] f) Arrays.fill(f, start, start + len, ((float[]) values)[from + r]);
            else Arrays.fill((double[]) a, start, start + len, ((double[]) values)[from + r]);
        }
    }

    private static Object data(Tensor t) { return ((CpuStorage) t.storage()).data(); }
}
