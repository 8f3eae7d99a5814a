package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;

/**
 * The compute buffers of one block of elements: slots of doubles (when any operand is floating point) or of
 * longs (integers and bool), plus a long buffer for a condition. Loops written once against this class run in
 * either kind (Note [compute in double] in {@link Typed}).
 */
abstract sealed class Lanes permits Lanes.Doubles, Lanes.Longs {
    final int[] offs;
    long[] cond;             // made by the first loadCond: only where() needs it

    private Lanes(int cap) {
        offs = new int[cap];
    }

    static Lanes of(boolean floating, int slots, int cap) {
        return floating ? new Doubles(slots, cap) : new Longs(slots, cap);
    }

    abstract void load(Strided s, int start, int n, int slot);

    abstract void store(Strided s, int start, int n, int slot);

    abstract void fill(int slot, Number value);

    abstract void unary(UnaryOp op, int in, int out, int n);

    abstract void binary(BinaryOp op, int a, int b, int out, int n);

    /** {@code slot a = cond ? a : b}. */
    abstract void choose(int a, int b, int n);

    void loadCond(Strided s, int start, int n) {
        if (cond == null) cond = new long[offs.length];
        Typed.load(s, start, n, cond, offs);
    }

    static final class Doubles extends Lanes {
        private final double[][] v;

        Doubles(int slots, int cap) {
            super(cap);
            v = new double[slots][cap];
        }

        @Override void load(Strided s, int start, int n, int slot) { Typed.load(s, start, n, v[slot], offs); }
        @Override void store(Strided s, int start, int n, int slot) { Typed.store(s, start, n, v[slot], offs); }
        @Override void fill(int slot, Number value) { java.util.Arrays.fill(v[slot], value.doubleValue()); }
        @Override void unary(UnaryOp op, int in, int out, int n) { CpuMath.unary(op, v[in], v[out], n); }
        @Override void binary(BinaryOp op, int a, int b, int out, int n) { CpuMath.binary(op, v[a], v[b], v[out], n); }

        @Override void choose(int a, int b, int n) {
            double[] x = v[a], y = v[b];
            for (int i = 0; i < n; i++) if (cond[i] == 0) x[i] = y[i];
        }
    }

    static final class Longs extends Lanes {
        private final long[][] v;

        Longs(int slots, int cap) {
            super(cap);
            v = new long[slots][cap];
        }

        @Override void load(Strided s, int start, int n, int slot) { Typed.load(s, start, n, v[slot], offs); }
        @Override void store(Strided s, int start, int n, int slot) { Typed.store(s, start, n, v[slot], offs); }
        @Override void fill(int slot, Number value) { java.util.Arrays.fill(v[slot], value.longValue()); }
        @Override void unary(UnaryOp op, int in, int out, int n) { CpuMath.unary(op, v[in], v[out], n); }
        @Override void binary(BinaryOp op, int a, int b, int out, int n) { CpuMath.binary(op, v[a], v[b], v[out], n); }

        @Override void choose(int a, int b, int n) {
            long[] x = v[a], y = v[b];
            for (int i = 0; i < n; i++) if (cond[i] == 0) x[i] = y[i];
        }
    }
}
