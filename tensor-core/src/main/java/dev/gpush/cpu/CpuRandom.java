package dev.gpush.cpu;

import dev.gpush.backend.RandomOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;

/**
 * Random fills from the Philox stream (Note [counter-based randomness] in {@link Generator}). Element {@code e} of
 * the stream (offset + position) is a pure function of (seed, e), so any device reproduces it.
 *
 * <p>Note [four per counter]: uniform and Bernoulli draws into single and half precision take 24 bits, one 32-bit
 * word: element {@code e} reads word {@code e % 4} of counter {@code e / 4}, a quarter of the Philox work. Float64
 * draws (53 bits) and normals (two uniforms) take counter {@code e} whole.
 *
 * <p>A block of elements computes all its counters at once ({@link Philox}, Note [philox lanes]), then turns the
 * words into values; the values are the scalar reference's, bit for bit.
 */
final class CpuRandom {
    private CpuRandom() {}

    static void fill(RandomOp op, Tensor out, double a, double b, long seed, long offset) {
        Strided o = new Strided(out);
        // Note [four per counter]
        boolean quarter = out.dtype() != DType.FLOAT64 && (op == RandomOp.UNIFORM || op == RandomOp.BERNOULLI);
        Parallel.range(out.numel(), Elementwise.GRAIN / 8, (lo, hi) -> {
            int cap = Math.min(Elementwise.BLOCK, hi - lo);
            Philox philox = new Philox(quarter ? cap / 4 + 2 : cap);   // a block of cap elements spans cap/4 + 2 counters
            int[] words = quarter ? new int[4 * (cap / 4 + 2)] : null, offs = new int[cap];
            double[] buf = new double[cap];
            long[] lbuf = op == RandomOp.INTEGERS ? new long[cap] : null;
            for (int s = lo; s < hi; s += cap) {
                int n = Math.min(cap, hi - s);
                long e0 = offset + s;   // the stream position of the block's first element
                if (quarter) {
                    long first = e0 >>> 2;
                    int counters = (int) (((e0 + n - 1) >>> 2) - first + 1);
                    philox.run(seed, first, counters);
                    philox.interleave(counters, words);
                    quarterDraws(op, words, (int) (e0 & 3), buf, n, a, b);
                } else {
                    philox.run(seed, e0, n);
                    wholeDraws(op, philox, buf, lbuf, n, a, b);
                }
                if (op == RandomOp.INTEGERS) Typed.store(o, s, n, lbuf, offs);
                else Typed.store(o, s, n, buf, offs);
            }
        });
    }

    /** Uniform or Bernoulli draws of 24 bits: element i takes word {@code skip + i} of the stream-ordered words. */
    private static void quarterDraws(RandomOp op, int[] words, int skip, double[] buf, int n, double a, double b) {
        if (op == RandomOp.UNIFORM) {
            for (int i = 0; i < n; i++) buf[i] = a + (b - a) * ((words[skip + i] >>> 8) * 0x1.0p-24);
            return;
        }
        // u = m / 2^24 < a for the integer m = word >>> 8 exactly when m < t = ceil(a * 2^24) (clamped to [0, 2^24],
        // NaN to 0): the sign of m - t is the draw, with no branch to mispredict
        int t = (int) Math.min(Math.max(Math.ceil(a * 0x1.0p24), 0), 0x1.0p24);
        for (int i = 0; i < n; i++) buf[i] = ((words[skip + i] >>> 8) - t) >>> 31;
    }

    /** Draws that take a whole counter each: element i reads the words of counter i of the last run. */
    private static void wholeDraws(RandomOp op, Philox w, double[] buf, long[] lbuf, int n, double a, double b) {
        for (int i = 0; i < n; i++) {
            switch (op) {
                case UNIFORM -> buf[i] = a + (b - a) * Generator.uniform(w.w0[i], w.w1[i]);
                case NORMAL -> {
                    double u1 = 1 - Generator.uniform(w.w0[i], w.w1[i]); // (0, 1]: log is finite
                    double u2 = Generator.uniform(w.w2[i], w.w3[i]);
                    buf[i] = a + b * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                }
                case INTEGERS -> lbuf[i] = (long) a + (long) Math.floor(Generator.uniform(w.w0[i], w.w1[i]) * (b - a));
                case BERNOULLI -> buf[i] = Generator.uniform(w.w0[i], w.w1[i]) < a ? 1 : 0;
            }
        }
    }
}
