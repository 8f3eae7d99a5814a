package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.Tensor;

/**
 * Elementwise loops: operands are loaded a block at a time into double (floating) or long (integer) buffers,
 * computed, and stored into the output's dtype and layout (Note [compute in double] in {@link Typed}).
 */
final class Elementwise {
    private Elementwise() {}

    static final int BLOCK = 1024;      // elements per buffer: fits L1 with three operands
    static final int GRAIN = 32 * 1024; // elements per parallel task

    private static boolean floating(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype().isFloatingPoint()) return true;
        return false;
    }

    static void unary(UnaryOp op, Tensor out, Tensor a) {
        Strided o = new Strided(out), x = new Strided(a);
        boolean dbl = floating(out, a);
        Parallel.range(out.numel(), GRAIN, (lo, hi) -> {
            int cap = Math.min(BLOCK, hi - lo);
            int[] offs = new int[cap];
            if (dbl) {
                double[] xb = new double[cap], ob = new double[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(x, s, n, xb, offs);
                    CpuMath.unary(op, xb, ob, n);
                    Typed.store(o, s, n, ob, offs);
                }
            } else {
                long[] xb = new long[cap], ob = new long[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(x, s, n, xb, offs);
                    CpuMath.unary(op, xb, ob, n);
                    Typed.store(o, s, n, ob, offs);
                }
            }
        });
    }

    static void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        Strided o = new Strided(out), x = new Strided(a), y = new Strided(b);
        // comparisons compute in their operands' type; arithmetic in the output's
        boolean dbl = op.returnsBool() ? floating(a, b) : floating(out, a, b);
        Parallel.range(out.numel(), GRAIN, (lo, hi) -> {
            int cap = Math.min(BLOCK, hi - lo);
            int[] offs = new int[cap];
            if (dbl) {
                double[] xb = new double[cap], yb = new double[cap], ob = new double[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(x, s, n, xb, offs);
                    Typed.load(y, s, n, yb, offs);
                    CpuMath.binary(op, xb, yb, ob, n);
                    Typed.store(o, s, n, ob, offs);
                }
            } else {
                long[] xb = new long[cap], yb = new long[cap], ob = new long[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(x, s, n, xb, offs);
                    Typed.load(y, s, n, yb, offs);
                    CpuMath.binary(op, xb, yb, ob, n);
                    Typed.store(o, s, n, ob, offs);
                }
            }
        });
    }

    static void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        Strided o = new Strided(out), c = new Strided(cond), x = new Strided(a), y = new Strided(b);
        boolean dbl = floating(out, a, b);
        Parallel.range(out.numel(), GRAIN, (lo, hi) -> {
            int cap = Math.min(BLOCK, hi - lo);
            int[] offs = new int[cap];
            long[] cb = new long[cap];
            if (dbl) {
                double[] xb = new double[cap], yb = new double[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(c, s, n, cb, offs);
                    Typed.load(x, s, n, xb, offs);
                    Typed.load(y, s, n, yb, offs);
                    for (int i = 0; i < n; i++) if (cb[i] == 0) xb[i] = yb[i];
                    Typed.store(o, s, n, xb, offs);
                }
            } else {
                long[] xb = new long[cap], yb = new long[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(c, s, n, cb, offs);
                    Typed.load(x, s, n, xb, offs);
                    Typed.load(y, s, n, yb, offs);
                    for (int i = 0; i < n; i++) if (cb[i] == 0) xb[i] = yb[i];
                    Typed.store(o, s, n, xb, offs);
                }
            }
        });
    }

    static void copy(Tensor out, Tensor src) {
        Strided o = new Strided(out), x = new Strided(src);
        if (x.array == o.array && (x.offset != o.offset || !java.util.Arrays.equals(x.strides, o.strides))) {
            // src reads out's memory in another layout (x.copy_(x.t())): a block-wise copy would read elements it
            // has already overwritten, so read all of src first
            Tensor tmp = new Tensor(CpuBackend.INSTANCE.allocate(src.dtype(), src.numel()), src.shape(),
                    dev.gpush.tensor.Shapes.contiguousStrides(src.shapeRef()), 0, false);
            copy(tmp, src);
            copy(out, tmp);
            return;
        }
        if (o.contiguous && x.contiguous && out.dtype() == src.dtype() && !x.constant) {
            System.arraycopy(x.array, x.offset, o.array, o.offset, out.numel());
            return;
        }
        boolean dbl = floating(out, src);
        Parallel.range(out.numel(), GRAIN, (lo, hi) -> {
            int cap = Math.min(BLOCK, hi - lo);
            int[] offs = new int[cap];
            if (dbl) {
                double[] b = new double[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(x, s, n, b, offs);
                    Typed.store(o, s, n, b, offs);
                }
            } else {
                long[] b = new long[cap];
                for (int s = lo; s < hi; s += BLOCK) {
                    int n = Math.min(BLOCK, hi - s);
                    Typed.load(x, s, n, b, offs);
                    Typed.store(o, s, n, b, offs);
                }
            }
        });
    }

    static void fill(Tensor out, Number value) {
        Strided o = new Strided(out);
        boolean dbl = out.dtype().isFloatingPoint();
        Parallel.range(out.numel(), GRAIN, (lo, hi) -> {
            int cap = Math.min(BLOCK, hi - lo);
            int[] offs = new int[cap];
            if (dbl) {
                double[] b = new double[cap];
                java.util.Arrays.fill(b, value.doubleValue());
                for (int s = lo; s < hi; s += BLOCK) Typed.store(o, s, Math.min(BLOCK, hi - s), b, offs);
            } else {
                long[] b = new long[cap];
                java.util.Arrays.fill(b, value.longValue());
                for (int s = lo; s < hi; s += BLOCK) Typed.store(o, s, Math.min(BLOCK, hi - s), b, offs);
            }
        });
    }
}
