package dev.gpush.cpu;

import dev.gpush.backend.RandomOp;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;

/** Random fills from the Philox stream (Note [counter-based randomness] in {@link Generator}). */
final class CpuRandom {
    private CpuRandom() {}

    static void fill(RandomOp op, Tensor out, double a, double b, long seed, long offset) {
        Strided o = new Strided(out);
        boolean single = out.dtype() != dev.gpush.tensor.DType.FLOAT64;
        Parallel.range(out.numel(), Elementwise.GRAIN / 8, (lo, hi) -> {
            int cap = Math.min(Elementwise.BLOCK, hi - lo);
            int[] w = new int[4], offs = new int[cap];
            double[] buf = new double[cap];
            long[] lbuf = new long[cap];
            for (int s = lo; s < hi; s += cap) {
                int n = Math.min(cap, hi - s);
                for (int i = 0; i < n; i++) {
                    Generator.philox(seed, offset + s + i, w);
                    switch (op) {
                        case UNIFORM -> buf[i] = a + (b - a) * unit(w, single);
                        case NORMAL -> {
                            double u1 = 1 - Generator.uniform(w[0], w[1]); // (0, 1]: log is finite
                            double u2 = Generator.uniform(w[2], w[3]);
                            buf[i] = a + b * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                        }
                        case INTEGERS -> lbuf[i] = (long) a + (long) Math.floor(Generator.uniform(w[0], w[1]) * (b - a));
                        case BERNOULLI -> buf[i] = unit(w, single) < a ? 1 : 0;
                    }
                }
                if (op == RandomOp.INTEGERS) Typed.store(o, s, n, lbuf, offs);
                else Typed.store(o, s, n, buf, offs);
            }
        });
    }

    /** Uniform in [0, 1): 24 bits for single and half types so rounding can't reach 1, 53 bits for float64. */
    private static double unit(int[] w, boolean single) {
        return single ? (w[0] >>> 8) * 0x1.0p-24 : Generator.uniform(w[0], w[1]);
    }
}
