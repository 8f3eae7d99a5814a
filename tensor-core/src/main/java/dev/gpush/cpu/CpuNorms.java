package dev.gpush.cpu;

import dev.gpush.tensor.Tensor;

/**
 * Fused row kernels on the CPU: softmax, log_softmax and layer norm, forward and backward. Rules:
 * <ul>
 *   <li>Every tensor is contiguous; the data tensors are float32 or float64 of one dtype. A row is the last
 *       {@code cols} elements ({@code cols = x.numel() / rows}); the ops check all of this, and any other layout
 *       runs their composite instead.</li>
 *   <li>A task takes whole rows. Each row is read once from memory into a double buffer, worked on there (it fits
 *       in the L1 cache for the usual row lengths) and written once, rounded: two passes over memory where the
 *       composite makes five or more, and the arithmetic is in double, as the composite's accumulations are.</li>
 *   <li>Note [float32 softmax]: the float32 softmax forward takes exp in float32 ({@link Exp32}, within 1 ulp,
 *       vectorised) where the rest calls {@link Math#exp} once an element; the max is exact, the sum and the
 *       division stay in double, and a result is within about 1 ulp of the double computation rounded (absolute
 *       error under 1e-7). log_softmax keeps the double exp: its results are large, and any error in the log of
 *       the sum moves them off the double computation rounded once, which its tests and users rely on.</li>
 *   <li>Layer norm's mean and rstd are float64, one per row. Its weight and bias gradients sum over rows: each
 *       chunk of rows sums into its own double row, and the chunks are added in order, so the result does not
 *       depend on which thread ran which chunk.</li>
 * </ul>
 */
final class CpuNorms {
    private CpuNorms() {}

    /** Rows per task: about {@link Elementwise#GRAIN} elements. */
    private static int grain(int cols) { return Math.max(1, Elementwise.GRAIN / Math.max(1, cols)); }

    static boolean softmax(Tensor out, Tensor a, boolean log) {
        int n = a.numel(), cols = a.shapeRef().length == 0 ? 1 : a.size(-1), rows = n / cols;
        Object x = data(a), o = data(out);
        int xo = a.storageOffset(), oo = out.storageOffset();
        if (x instanceof float[] xf && !log) {
            Parallel.range(rows, grain(cols), (lo, hi) -> softmax32(xf, xo, (float[]) o, oo, cols, lo, hi));
            return true;
        }
        Parallel.range(rows, grain(cols), (lo, hi) -> {
            double[] v = new double[cols];
            for (int r = lo; r < hi; r++) {
                load(x, xo + r * cols, v, cols);
                double max = max(v, cols);
                if (log) {
                    double lse = Math.log(sumExp(v, cols, max, false));
                    for (int i = 0; i < cols; i++) v[i] = (v[i] - max) - lse;
                } else {
                    double sum = sumExp(v, cols, max, true);
                    for (int i = 0; i < cols; i++) v[i] /= sum;
                }
                store(v, o, oo + r * cols, cols);
            }
        });
        return true;
    }

    /**
     * Rows [lo, hi) of a float32 softmax (Note [float32 softmax]). Each exp is written into the output row and
     * divided there, so every loop that writes a float[] reads it at the same index (Note [same index] in
     * {@link Float32Arith}).
     */
    private static void softmax32(float[] x, int xo, float[] o, int oo, int cols, int lo, int hi) {
        Exp32 exp = new Exp32();
        for (int r = lo; r < hi; r++) {
            int xb = xo + r * cols, ob = oo + r * cols;
            exp.exp(x, xb, max(x, xb, cols), o, ob, cols);
            double sum = sum(o, ob, cols);
            for (int i = ob; i < ob + cols; i++) o[i] = (float) (o[i] / sum);
        }
    }

    /** softmax: {@code gi = y * (g - sum(g * y))}; log_softmax: {@code gi = g - exp(y) * sum(g)}. */
    static boolean softmaxBackward(Tensor gradIn, Tensor grad, Tensor y, boolean log) {
        int n = y.numel(), cols = y.shapeRef().length == 0 ? 1 : y.size(-1), rows = n / cols;
        Object gi = data(gradIn), g = data(grad), yy = data(y);
        int gio = gradIn.storageOffset(), go = grad.storageOffset(), yo = y.storageOffset();
        Parallel.range(rows, grain(cols), (lo, hi) -> {
            double[] gv = new double[cols], yv = new double[cols];
            for (int r = lo; r < hi; r++) {
                load(g, go + r * cols, gv, cols);
                load(yy, yo + r * cols, yv, cols);
                if (log) {
                    double s = sum(gv, cols);
                    for (int i = 0; i < cols; i++) gv[i] -= Math.exp(yv[i]) * s;
                } else {
                    double s = dot(gv, yv, cols);
                    for (int i = 0; i < cols; i++) gv[i] = yv[i] * (gv[i] - s);
                }
                store(gv, gi, gio + r * cols, cols);
            }
        });
        return true;
    }

    /** {@code y = (x - mean) * rstd * w + b} per row, with the biased variance; w and b may be null. */
    static boolean layerNorm(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor w, Tensor b, double eps) {
        int rows = mean.numel(), cols = x.numel() / rows;
        Object xa = data(x), ya = data(y);
        double[] ma = (double[]) data(mean), ra = (double[]) data(rstd), wv = row(w, cols), bv = row(b, cols);
        int xo = x.storageOffset(), yo = y.storageOffset(), mo = mean.storageOffset(), ro = rstd.storageOffset();
        Parallel.range(rows, grain(cols), (lo, hi) -> {
            double[] v = new double[cols];
            for (int r = lo; r < hi; r++) {
                load(xa, xo + r * cols, v, cols);
                double mu = sum(v, cols) / cols;
                for (int i = 0; i < cols; i++) v[i] -= mu;
                double rs = 1 / Math.sqrt(dot(v, v, cols) / cols + eps);
                ma[mo + r] = mu;
                ra[ro + r] = rs;
                for (int i = 0; i < cols; i++) v[i] *= rs;
                if (wv != null) for (int i = 0; i < cols; i++) v[i] *= wv[i];
                if (bv != null) for (int i = 0; i < cols; i++) v[i] += bv[i];
                store(v, ya, yo + r * cols, cols);
            }
        });
        return true;
    }

    /**
     * With {@code xh = (x - mean) * rstd} and {@code d = g * w}: {@code gx = rstd * (d - mean(d) - xh * mean(d * xh))}
     * per row, {@code gw = sum over rows of g * xh}, {@code gb = sum over rows of g}. Any of gx, gw, gb may be null
     * (not wanted), and w may be null (ones).
     */
    static boolean layerNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor g, Tensor x, Tensor mean, Tensor rstd,
                                     Tensor w) {
        int rows = mean.numel(), cols = x.numel() / rows;
        int chunks = Math.max(1, Math.min(rows, Math.min(Parallel.threads() * 4, x.numel() / Elementwise.GRAIN + 1)));
        Object xa = data(x), ga = data(g), gxa = gx == null ? null : data(gx);
        double[] ma = (double[]) data(mean), ra = (double[]) data(rstd), wv = row(w, cols);
        int xo = x.storageOffset(), go = g.storageOffset(), gxo = gx == null ? 0 : gx.storageOffset();
        int mo = mean.storageOffset(), ro = rstd.storageOffset();
        double[][] pw = gw == null ? null : new double[chunks][cols], pb = gb == null ? null : new double[chunks][cols];
        Parallel.range(chunks, 1, (lo, hi) -> {
            double[] gv = new double[cols], xh = new double[cols];
            for (int c = lo; c < hi; c++) {
                int from = (int) ((long) rows * c / chunks), to = (int) ((long) rows * (c + 1) / chunks);
                for (int r = from; r < to; r++) {
                    load(ga, go + r * cols, gv, cols);
                    load(xa, xo + r * cols, xh, cols);
                    double mu = ma[mo + r], rs = ra[ro + r];
                    for (int i = 0; i < cols; i++) xh[i] = (xh[i] - mu) * rs;
                    if (pw != null) { double[] p = pw[c]; for (int i = 0; i < cols; i++) p[i] += gv[i] * xh[i]; }
                    if (pb != null) { double[] p = pb[c]; for (int i = 0; i < cols; i++) p[i] += gv[i]; }
                    if (gxa == null) continue;
                    if (wv != null) for (int i = 0; i < cols; i++) gv[i] *= wv[i];
                    double md = sum(gv, cols) / cols, mdx = dot(gv, xh, cols) / cols;
                    for (int i = 0; i < cols; i++) gv[i] = rs * (gv[i] - md - xh[i] * mdx);
                    store(gv, gxa, gxo + r * cols, cols);
                }
            }
        });
        if (gw != null) storeSum(pw, gw, cols);
        if (gb != null) storeSum(pb, gb, cols);
        return true;
    }

    // Note [four accumulators]: the sums and the max run four independent chains, so a row is not one long chain
    // of dependent adds (floating-point order forbids the JIT to split it); the sums stay in double.

    private static double max(double[] v, int n) {
        double m0 = Double.NEGATIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            m0 = Math.max(m0, v[i]);
            m1 = Math.max(m1, v[i + 1]);
            m2 = Math.max(m2, v[i + 2]);
            m3 = Math.max(m3, v[i + 3]);
        }
        for (; i < n; i++) m0 = Math.max(m0, v[i]);
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** The largest of {@code v[off .. off + n)}, NaN if any is. */
    private static float max(float[] v, int off, int n) {
        float m0 = Float.NEGATIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;
        int i = off, end = off + n;
        for (; i + 3 < end; i += 4) {
            m0 = Math.max(m0, v[i]);
            m1 = Math.max(m1, v[i + 1]);
            m2 = Math.max(m2, v[i + 2]);
            m3 = Math.max(m3, v[i + 3]);
        }
        for (; i < end; i++) m0 = Math.max(m0, v[i]);
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** The sum of {@code v[off .. off + n)} in double. */
    private static double sum(float[] v, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = off, end = off + n;
        for (; i + 3 < end; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < end; i++) s0 += v[i];
        return (s0 + s1) + (s2 + s3);
    }

    private static double sum(double[] v, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < n; i++) s0 += v[i];
        return (s0 + s1) + (s2 + s3);
    }

    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum(exp(v - max))}; with {@code write}, each exp replaces its element. */
    private static double sumExp(double[] v, int n, double max, boolean write) {
        double s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double e0 = Math.exp(v[i] - max), e1 = Math.exp(v[i + 1] - max);
            s0 += e0;
            s1 += e1;
            if (write) {
                v[i] = e0;
                v[i + 1] = e1;
            }
        }
        for (; i < n; i++) {
            double e = Math.exp(v[i] - max);
            s0 += e;
            if (write) v[i] = e;
        }
        return s0 + s1;
    }

    /** Adds the chunks' partial rows in order and stores the total into {@code out}. */
    private static void storeSum(double[][] partial, Tensor out, int cols) {
        double[] total = new double[cols];
        for (double[] p : partial) for (int i = 0; i < cols; i++) total[i] += p[i];
        store(total, data(out), out.storageOffset(), cols);
    }

    /** A weight or bias as doubles, or null for null. */
    private static double[] row(Tensor t, int cols) {
        if (t == null) return null;
        double[] v = new double[cols];
        load(data(t), t.storageOffset(), v, cols);
        return v;
    }

    private static Object data(Tensor t) { return ((CpuStorage) t.storage()).data(); }

    private static void load(Object array, int off, double[] v, int n) {
        if (array instanceof float[] f) for (int i = 0; i < n; i++) v[i] = f[off + i];
        else System.arraycopy((double[]) array, off, v, 0, n);
    }

    private static void store(double[] v, Object array, int off, int n) {
        if (array instanceof float[] f) for (int i = 0; i < n; i++) f[off + i] = (float) v[i];
        else System.arraycopy(v, 0, (double[]) array, off, n);
    }
}
