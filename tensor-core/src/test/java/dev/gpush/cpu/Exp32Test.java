package dev.gpush.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Exp32} is within 1 ulp of {@code (float) Math.exp} over the float range, edges and specials exact. */
class Exp32Test {
    /** Distance in units in the last place between two floats of one sign (or zero). */
    private static int ulps(float want, float got) {
        return Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(got));
    }

    @Test void withinOneUlpOfMathExpOverEveryRangeOfFloats() {
        // every 101st float of [0, 89] and of [-104, -0]: subnormal results, results near 1, and near overflow
        long checked = sweep(0, Float.floatToIntBits(89f)) + sweep(0x80000000L, Float.floatToIntBits(-104f) & 0xFFFFFFFFL);
        assertTrue(checked > 20_000_000, "the sweep checked " + checked + " floats");
    }

    /** Checks the floats with bit patterns from, from + 101, ... up to to; returns how many. */
    private static long sweep(long from, long to) {
        Exp32 e = new Exp32();
        float[] x = new float[1 << 16], out = new float[x.length];
        long count = 0;
        int n = 0;
        for (long bits = from; bits <= to; bits += 101) {
            x[n++] = Float.intBitsToFloat((int) bits);
            if (n == x.length || bits + 101 > to) {
                e.exp(x, 0, 0, out, 0, n);
                for (int i = 0; i < n; i++) {
                    float want = (float) Math.exp(x[i]);
                    if (ulps(want, out[i]) > 1) fail("exp(" + x[i] + "): expected " + want + " but got " + out[i]);
                }
                count += n;
                n = 0;
            }
        }
        return count;
    }

    @Test void specialValuesAndEdges() {
        float[] x = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0, -0f, 88.72f, 88.73f, 89, 1000,
                -103.97f, -104, -1000, Float.MIN_VALUE, -Float.MIN_VALUE};
        float[] want = {Float.NaN, 0, Float.POSITIVE_INFINITY, 1, 1, (float) Math.exp(88.72f), Float.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, (float) Math.exp(-103.97f), 0, 0, 1, 1};
        float[] out = new float[x.length];
        new Exp32().exp(x, 0, 0, out, 0, x.length);
        for (int i = 0; i < x.length; i++) assertTrue(ulps(want[i], out[i]) <= 1, "exp(" + x[i] + ") = " + out[i]);
        assertTrue(Float.isNaN(out[0]));
    }

    @Test void shiftsAndOffsetsAndWorksInPlace() {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = (i - 500) * 0.173f;
        float[] out = new float[1010];
        new Exp32().exp(x, 3, 2.5f, out, 10, 997);
        for (int i = 0; i < 997; i++) assertTrue(ulps((float) Math.exp(x[3 + i] - 2.5f), out[10 + i]) <= 1, "element " + i);
        float[] y = x.clone();
        new Exp32().exp(y, 0, 0, y, 0, y.length);
        for (int i = 0; i < x.length; i++) assertTrue(ulps((float) Math.exp(x[i]), y[i]) <= 1, "in place, element " + i);
    }
}
