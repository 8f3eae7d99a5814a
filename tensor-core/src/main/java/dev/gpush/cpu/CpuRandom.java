package dev.gpush.cpu;

import dev.gpush.backend.RandomOp;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;

/**
 * Random fills from the Philox stream (Note [counter-based randomness] in {@link Generator}). Element {@code e} of
 * the stream (offset + position) is a pure function of (seed, e), so any device reproduces it.
 *
 * <p>Note [four per counter]: uniform and Bernoulli draws into single and half precision take 24 bits, one 32-bit
 * word: element {@code e} reads word {@code e % 4} of counter {@code e / 4}, a quarter of the Philox work. Float64
 * draws (53 bits) and normals (two uniforms) take counter {@code e} whole.
 */
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
                    long e = offset + s + i;
                    if (single && (op == RandomOp.UNIFORM || op == RandomOp.BERNOULLI)) {
                        // Note [four per counter]: a 24-bit draw needs one word, so counter e/4 serves four elements
                        if (i == 0 || (e & 3) == 0) Generator.philox(seed, e >>> 2, w);
                        double u = (w[(int) (e & 3)] >>> 8) * 0x1.0p-24;
                        buf[i] = op == RandomOp.UNIFORM ? a + (b - a) * u : u < a ? 1 : 0;
                        continue;
                    }
                    Generator.philox(seed, e, w);
                    switch (op) {
                        case UNIFORM -> buf[i] = a + (b - a) * Generator.uniform(w[0], w[1]);
                        case NORMAL -> {
                            double u1 = 1 - Generator.uniform(w[0], w[1]); // (0, 1]: log is finite
                            double u2 = Generator.uniform(w[2], w[3]);
                            buf[i] = a + b * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                        }
                        case INTEGERS -> lbuf[i] = (long) a + (long) Math.floor(Generator.uniform(w[0], w[1]) * (b - a));
                        case BERNOULLI -> buf[i] = Generator.uniform(w[0], w[1]) < a ? 1 : 0;
                    }
                }
                if (op == RandomOp.INTEGERS) Typed.store(o, s, n, lbuf, offs);
                else Typed.store(o, s, n, buf, offs);
            }
        });
    }
}
