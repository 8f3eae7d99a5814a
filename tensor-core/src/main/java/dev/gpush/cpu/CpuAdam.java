package dev.gpush.cpu;

import dev.gpush.backend.AdamStep;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * The fused Adam/AdamW step on the CPU: one parallel pass over the parameter, its gradient and its moments, where the
 * optimizer's composite makes about ten passes and as many temporaries. Each element runs {@link AdamStep}'s
 * operations in their order, in the parameter's dtype (Java never fuses a multiply and an add), with the scalars
 * rounded to float32 first for a float32 parameter, as the composite's tensor ops round them: the two paths agree
 * to the bit. float32 and float64, everything contiguous (Backend.adamStep's contract).
 */
final class CpuAdam {
    private CpuAdam() {}

    static boolean step(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, AdamStep s) {
        int n = param.numel();
        if (param.dtype() == DType.FLOAT32) {
            float[] p = f32(param), g = f32(grad), ma = f32(m), va = f32(v), xa = vMax == null ? null : f32(vMax);
            int po = param.storageOffset(), go = grad.storageOffset(), mo = m.storageOffset(), vo = v.storageOffset();
            int xo = vMax == null ? 0 : vMax.storageOffset();
            Parallel.range(n, Elementwise.GRAIN, (lo, hi) -> step32(s, p, po, g, go, ma, mo, va, vo, xa, xo, lo, hi));
        } else {
            double[] p = f64(param), g = f64(grad), ma = f64(m), va = f64(v), xa = vMax == null ? null : f64(vMax);
            int po = param.storageOffset(), go = grad.storageOffset(), mo = m.storageOffset(), vo = v.storageOffset();
            int xo = vMax == null ? 0 : vMax.storageOffset();
            Parallel.range(n, Elementwise.GRAIN, (lo, hi) -> step64(s, p, po, g, go, ma, mo, va, vo, xa, xo, lo, hi));
        }
        return true;
    }

    private static void step32(AdamStep s, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                               float[] vMax, int xo, int lo, int hi) {
        boolean decoupled = s.weightDecay() != 0 && s.decoupled(), l2 = s.weightDecay() != 0 && !s.decoupled();
        float wd = (float) s.weightDecay(), decay = (float) s.decay(), b1 = (float) (1 - s.beta1());
        float b2 = (float) (1 - s.beta2()), eps = (float) s.epsTerm(), step = (float) -s.stepSize();
        for (int i = lo; i < hi; i++) {
            float gi = s.maximize() ? -g[go + i] : g[go + i], pi = p[po + i], mi = m[mo + i], vi = v[vo + i];
            if (decoupled) pi = pi * decay;
            if (l2) gi = gi + pi * wd;
            mi = mi + (gi - mi) * b1;
            vi = vi + (gi * gi - vi) * b2;
            m[mo + i] = mi;
            v[vo + i] = vi;
            float second = vi;
            if (vMax != null) vMax[xo + i] = second = Math.max(vMax[xo + i], vi);
            p[po + i] = pi + (mi / ((float) Math.sqrt(second) + eps)) * step;
        }
    }

    private static void step64(AdamStep s, double[] p, int po, double[] g, int go, double[] m, int mo, double[] v,
                               int vo, double[] vMax, int xo, int lo, int hi) {
        boolean decoupled = s.weightDecay() != 0 && s.decoupled(), l2 = s.weightDecay() != 0 && !s.decoupled();
        double wd = s.weightDecay(), decay = s.decay(), b1 = 1 - s.beta1(), b2 = 1 - s.beta2();
        double eps = s.epsTerm(), step = -s.stepSize();
        for (int i = lo; i < hi; i++) {
            double gi = s.maximize() ? -g[go + i] : g[go + i], pi = p[po + i], mi = m[mo + i], vi = v[vo + i];
            if (decoupled) pi = pi * decay;
            if (l2) gi = gi + pi * wd;
            mi = mi + (gi - mi) * b1;
            vi = vi + (gi * gi - vi) * b2;
            m[mo + i] = mi;
            v[vo + i] = vi;
            double second = vi;
            if (vMax != null) vMax[xo + i] = second = Math.max(vMax[xo + i], vi);
            p[po + i] = pi + (mi / (Math.sqrt(second) + eps)) * step;
        }
    }

    private static float[] f32(Tensor t) { return (float[]) ((CpuStorage) t.storage()).data(); }

    private static double[] f64(Tensor t) { return (double[]) ((CpuStorage) t.storage()).data(); }
}
