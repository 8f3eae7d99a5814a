package dev.gpush.cpu;

/**
 * exp in float32 arithmetic, for float32 tensors: within 1 ulp of the correctly rounded result over the whole
 * float range (subnormal results, overflow to infinity, exp(-inf) = 0, NaN stays NaN), where the double loops
 * call {@link Math#exp} once an element.
 *
 * <p>Note [exp in strips]: {@code exp(x) = 2^k * p(r)} with {@code k = rint(x / ln 2)}, {@code r = x - k ln 2}
 * (ln 2 split in two so that {@code k * LN2_HI} is exact) and {@code p} Cephes' expf polynomial on
 * {@code |r| <= ln 2 / 2}. C2 vectorises a loop only when it can unroll it, and a loop body holding all of this is
 * too large to unroll; so a strip of elements is copied into scratch (Note [same index] in {@link Float32Arith})
 * and runs three small loops: reduce and polynomial vectorise, scale does not (C2 has no vector form of
 * {@link Float#intBitsToFloat}). {@code 2^k} is two factors of about {@code 2^(k/2)}, both normal floats, so that
 * the one rounding is the last multiply, subnormal results included. An instance holds the scratch: make one per
 * task, not per element.
 */
final class Exp32 {
    static final int STRIP = 256;                               // elements per strip: its buffers stay in L1
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;  // LN2_HI has 9 significant bits
    private static final float ROUND = 12582912f;               // 1.5 * 2^23: adding it rounds to an integer
    private static final float HI = 89f, LO = -104f;            // exp(89) overflows, exp(-104) rounds to 0
    private static final float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f,
            P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;

    private final float[] v = new float[STRIP], k = new float[STRIP];

    /** {@code out[oo + i] = exp(x[xo + i] - shift)} for i in [0, n); out may be x at the same offset. */
    void exp(float[] x, int xo, float shift, float[] out, int oo, int n) {
        for (int s = 0; s < n; s += STRIP) {
            int m = Math.min(STRIP, n - s);
            System.arraycopy(x, xo + s, v, 0, m);
            reduce(shift, m);
            polynomial(m);
            scale(m);
            System.arraycopy(v, 0, out, oo + s, m);
        }
    }

    /** {@code v = r} and {@code k = k} (a whole float) for each element; a NaN gives r = NaN. */
    private void reduce(float shift, int m) {
        float[] vv = v, kk = k;
        for (int i = 0; i < m; i++) {
            float x = Math.max(Math.min(vv[i] - shift, HI), LO);  // NaN stays NaN
            float kf = (x * LOG2E + ROUND) - ROUND;
            kk[i] = kf;
            vv[i] = x - kf * LN2_HI - kf * LN2_LO;
        }
    }

    /** {@code v = p(r) = 1 + r + r^2 (P5 + r (P4 + ...))}. */
    private void polynomial(int m) {
        float[] vv = v;
        for (int i = 0; i < m; i++) {
            float r = vv[i];
            float p = P0;
            p = p * r + P1;
            p = p * r + P2;
            p = p * r + P3;
            p = p * r + P4;
            p = p * r + P5;
            vv[i] = p * r * r + r + 1;
        }
    }

    /** {@code v = p * 2^(k/2) * 2^(k - k/2)}. */
    private void scale(int m) {
        float[] vv = v, kk = k;
        for (int i = 0; i < m; i++) {
            int ki = (int) kk[i], k1 = ki >> 1;
            vv[i] = vv[i] * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((ki - k1 + 127) << 23);
        }
    }
}
