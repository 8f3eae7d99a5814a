package dev.gpush.cpu;

import dev.gpush.backend.RandomOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The run-at-once Philox ({@link Philox}) and the random fills built on it reproduce the scalar stream of
 * {@link Generator#philox} bit for bit: same seed and offset, same values, as CUDA and saved results expect.
 */
class PhiloxTest {
    private static final long[] SEEDS = {0, 1, 42, 0x9E3779B97F4A7C15L, -1};

    @Test void runOfCountersMatchesScalarPhiloxAcrossTheHighWord() {
        Philox p = new Philox(300);
        int[] w = new int[4];
        for (long seed : SEEDS) {
            long first = (1L << 32) - 137;   // the run crosses from counter word 1 = 0 to word 1 = 1
            p.run(seed, first, 300);
            for (int i = 0; i < 300; i++) {
                Generator.philox(seed, first + i, w);
                assertArrayEquals(w, new int[]{p.w0[i], p.w1[i], p.w2[i], p.w3[i]}, "seed " + seed + ", counter " + (first + i));
            }
        }
    }

    @Test void singlePrecisionDrawsReadOneWordPerElementAtAnyOffset() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.BFLOAT16, DType.FLOAT16})
            for (long offset : new long[]{0, 1, 3, 6, (1L << 34) - 5}) {
                assertFill(RandomOp.BERNOULLI, dt, 0.9, 0, offset);
                assertFill(RandomOp.UNIFORM, dt, -2, 3, offset);
            }
    }

    @Test void bernoulliKeepsTheDoubleComparisonAtEveryProbability() {
        // the fill compares integers against a threshold; the reference compares u < p in double
        for (double p : new double[]{0, 1, 0.5, 0.1, 1e-9, 0x1.0p-24, 3 * 0x1.0p-25, 1 - 0x1.0p-24, 1.5, -0.5,
                Double.NaN, Double.POSITIVE_INFINITY}) {
            assertFill(RandomOp.BERNOULLI, DType.FLOAT32, p, 0, 7);
        }
    }

    @Test void wholeCounterDrawsMatchTheScalarStream() {
        for (long offset : new long[]{0, 5, (1L << 32) - 1000}) {
            assertFill(RandomOp.UNIFORM, DType.FLOAT64, -1, 1, offset);
            assertFill(RandomOp.BERNOULLI, DType.FLOAT64, 0.3, 0, offset);
            assertFill(RandomOp.NORMAL, DType.FLOAT32, 1, 2, offset);
            assertFill(RandomOp.NORMAL, DType.FLOAT64, 0, 1, offset);
            assertFill(RandomOp.INTEGERS, DType.INT64, -5, 1000, offset);
        }
    }

    /** Fills 5000 elements (several blocks and tasks) and compares each with the scalar formula of its stream position. */
    private static void assertFill(RandomOp op, DType dt, double a, double b, long offset) {
        long seed = 12345;
        int n = 5000;
        Tensor t = Tensor.empty(new int[]{n}, dt, Device.CPU);
        CpuRandom.fill(op, t, a, b, seed, offset);
        double[] got = t.toDoubleArray();
        Tensor want = Tensor.empty(new int[]{n}, dt, Device.CPU);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) ref[i] = reference(op, dt, a, b, seed, offset + i);
        want.copy_(Tensor.of(ref));   // rounds to dt as the fill's store does
        assertArrayEquals(want.toDoubleArray(), got, op + " " + dt + " at offset " + offset);
    }

    /** The scalar reference: one Philox call per element (Note [four per counter] in {@link CpuRandom}). */
    private static double reference(RandomOp op, DType dt, double a, double b, long seed, long e) {
        int[] w = new int[4];
        if (dt != DType.FLOAT64 && (op == RandomOp.UNIFORM || op == RandomOp.BERNOULLI)) {
            Generator.philox(seed, e >>> 2, w);
            double u = (w[(int) (e & 3)] >>> 8) * 0x1.0p-24;
            return op == RandomOp.UNIFORM ? a + (b - a) * u : u < a ? 1 : 0;
        }
        Generator.philox(seed, e, w);
        return switch (op) {
            case UNIFORM -> a + (b - a) * Generator.uniform(w[0], w[1]);
            case NORMAL -> a + b * Math.sqrt(-2 * Math.log(1 - Generator.uniform(w[0], w[1])))
                    * Math.cos(2 * Math.PI * Generator.uniform(w[2], w[3]));
            case INTEGERS -> (long) a + (long) Math.floor(Generator.uniform(w[0], w[1]) * (b - a));
            case BERNOULLI -> Generator.uniform(w[0], w[1]) < a ? 1 : 0;
        };
    }
}
