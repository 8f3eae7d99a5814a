package dev.gpush.cpu;

import dev.gpush.tensor.Tensor;

/**
 * Sliding 2-d windows on the CPU: im2col ({@code unfold}) and its adjoint col2im ({@code fold}). Rules:
 * <ul>
 *   <li>Tasks are whole (n, c) planes: unfold writes the windows of its planes and fold adds into its planes of
 *       the image, so no two tasks write one element and the overlapping windows of fold need no atomics.</li>
 *   <li>cols is walked as rows {@code (n, c, i, j, y)} of {@code ow} elements; each row reads one image row at a
 *       constant step. The part of a row inside the image, {@code [xLo[j], xHi[j])}, depends only on the
 *       window column j, so it is computed once and the inner loops test no bounds.</li>
 *   <li>Any strides. A row with unit steps on both sides is one arraycopy (unfold with stride 1).</li>
 * </ul>
 */
final class CpuWindows {
    private CpuWindows() {}

    static void unfold2d(Tensor cols, Tensor img, int[] stride, int[] padding, int[] dilation, boolean fold) {
        if (cols.numel() == 0 || img.numel() == 0) {
            if (!fold) Elementwise.fill(cols, 0);
            return;
        }
        int[] cs = cols.shapeRef(), ct = cols.strideRef(), it = img.strideRef();
        int channels = cs[1], kh = cs[2], kw = cs[3], oh = cs[4], ow = cs[5];
        int h = img.shapeRef()[2], w = img.shapeRef()[3];
        Object ca = ((CpuStorage) cols.storage()).data(), ia = ((CpuStorage) img.storage()).data();
        if (ca.getClass() != ia.getClass() || !(ca instanceof float[] || ca instanceof double[]))
            throw new IllegalArgumentException("unfold2d: expected float32 or float64 tensors of one dtype, got "
                    + cols.dtype() + " and " + img.dtype());
        int[] xLo = new int[kw], xHi = new int[kw];
        for (int j = 0; j < kw; j++) {
            int first = j * dilation[1] - padding[1];   // image column read at x = 0
            xLo[j] = Math.clamp(Math.ceilDiv(-first, stride[1]), 0, ow);
            xHi[j] = Math.clamp(Math.ceilDiv(w - first, stride[1]), xLo[j], ow);
        }
        int perPlane = kh * kw * oh * ow, iStep = stride[1] * it[3];
        Parallel.range(cs[0] * channels, Math.max(1, Elementwise.GRAIN / perPlane), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int cPlane = cols.storageOffset() + (p / channels) * ct[0] + (p % channels) * ct[1];
                int iPlane = img.storageOffset() + (p / channels) * it[0] + (p % channels) * it[1];
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        for (int y = 0; y < oh; y++) {
                            int iy = y * stride[0] - padding[0] + i * dilation[0];
                            boolean inside = iy >= 0 && iy < h;
                            int c0 = cPlane + i * ct[2] + j * ct[3] + y * ct[4];
                            int i0 = iPlane + iy * it[2] + (j * dilation[1] - padding[1]) * it[3];
                            int from = inside ? xLo[j] : 0, to = inside ? xHi[j] : 0;
                            if (ca instanceof float[] cf) {
                                if (fold) addRow((float[]) ia, i0, iStep, cf, c0, ct[5], from, to);
                                else copyRow(cf, c0, ct[5], (float[]) ia, i0, iStep, from, to, ow);
                            } else {
                                if (fold) addRow((double[]) ia, i0, iStep, (double[]) ca, c0, ct[5], from, to);
                                else copyRow((double[]) ca, c0, ct[5], (double[]) ia, i0, iStep, from, to, ow);
                            }
                        }
            }
        });
    }

    /** {@code c[c0 + x*cs] = img[i0 + x*is]} for x in [from, to), 0 for the rest of [0, ow). */
    private static void copyRow(float[] c, int c0, int cs, float[] img, int i0, int is, int from, int to, int ow) {
        if (cs == 1) {
            java.util.Arrays.fill(c, c0, c0 + from, 0f);
            if (is == 1) { if (to > from) System.arraycopy(img, i0 + from, c, c0 + from, to - from); }
            else for (int x = from; x < to; x++) c[c0 + x] = img[i0 + x * is];
            java.util.Arrays.fill(c, c0 + to, c0 + ow, 0f);
            return;
        }
        for (int x = 0; x < from; x++) c[c0 + x * cs] = 0f;
        for (int x = from; x < to; x++) c[c0 + x * cs] = img[i0 + x * is];
        for (int x = to; x < ow; x++) c[c0 + x * cs] = 0f;
    }

    private static void copyRow(double[] c, int c0, int cs, double[] img, int i0, int is, int from, int to, int ow) {
        if (cs == 1) {
            java.util.Arrays.fill(c, c0, c0 + from, 0d);
            if (is == 1) { if (to > from) System.arraycopy(img, i0 + from, c, c0 + from, to - from); }
            else for (int x = from; x < to; x++) c[c0 + x] = img[i0 + x * is];
            java.util.Arrays.fill(c, c0 + to, c0 + ow, 0d);
            return;
        }
        for (int x = 0; x < from; x++) c[c0 + x * cs] = 0d;
        for (int x = from; x < to; x++) c[c0 + x * cs] = img[i0 + x * is];
        for (int x = to; x < ow; x++) c[c0 + x * cs] = 0d;
    }

    /** {@code img[i0 + x*is] += c[c0 + x*cs]} for x in [from, to). */
    private static void addRow(float[] img, int i0, int is, float[] c, int c0, int cs, int from, int to) {
        if (is == 1 && cs == 1) for (int x = from; x < to; x++) img[i0 + x] += c[c0 + x];
        else for (int x = from; x < to; x++) img[i0 + x * is] += c[c0 + x * cs];
    }

    private static void addRow(double[] img, int i0, int is, double[] c, int c0, int cs, int from, int to) {
        if (is == 1 && cs == 1) for (int x = from; x < to; x++) img[i0 + x] += c[c0 + x];
        else for (int x = from; x < to; x++) img[i0 + x * is] += c[c0 + x * cs];
    }
}
