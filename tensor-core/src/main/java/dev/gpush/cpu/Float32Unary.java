package dev.gpush.cpu;

import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;

/**
 * The unary side of Note [float32 fast path] in {@link Float32Arith}: contiguous float32 in, contiguous float32 out,
 * float loops, for the ops whose float result is the same bits as the double computation rounded to float
 * (neg, abs and relu are exact; sqrt and 1/x are correctly rounded in both). Other ops keep the double buffers:
 * exp among them, since an op must give the same bits for a contiguous input as for a strided one, which the
 * double loop computes ({@link Exp32} is within 1 ulp, not equal).
 */
final class Float32Unary {
    private Float32Unary() {}

    /** Runs {@code out = op(a)} when both are contiguous float32 and op is one of the above; false otherwise. */
    static boolean unary(UnaryOp op, Strided o, Strided x, int n) {
        if (o.dtype != DType.FLOAT32 || x.dtype != DType.FLOAT32 || !o.contiguous || !x.contiguous || x.constant && n > 1)
            return false;
        switch (op) {
            case NEG, ABS, RELU, SQRT, RECIPROCAL -> { }
            default -> { return false; }
        }
        float[] out = (float[]) o.array, a = (float[]) x.array;
        int oo = o.offset, ao = x.offset;
        Parallel.range(n, Elementwise.GRAIN, (lo, hi) -> {
            if (oo == ao) {
                apply(op, out, a, oo + lo, oo + hi);
                return;
            }
            // Note [same index] in Float32Arith: a loop reads and writes at one index, so through a scratch strip
            float[] sa = new float[Math.min(Float32Arith.STRIP, hi - lo)];
            for (int s = lo; s < hi; s += Float32Arith.STRIP) {
                int m = Math.min(Float32Arith.STRIP, hi - s);
                System.arraycopy(a, ao + s, sa, 0, m);
                apply(op, sa, sa, 0, m);
                System.arraycopy(sa, 0, out, oo + s, m);
            }
        });
        return true;
    }

    /** {@code o[i] = op(a[i])} for i in [lo, hi). */
    private static void apply(UnaryOp op, float[] o, float[] a, int lo, int hi) {
        switch (op) {
            case NEG -> { for (int i = lo; i < hi; i++) o[i] = -a[i]; }
            case ABS -> { for (int i = lo; i < hi; i++) o[i] = Math.abs(a[i]); }
            // max(x, +0) is x <= 0 ? 0 : x bit for bit (NaN stays NaN, -0 becomes +0), and has no branch to mispredict
            case RELU -> { for (int i = lo; i < hi; i++) o[i] = Math.max(a[i], 0f); }
            case SQRT -> { for (int i = lo; i < hi; i++) o[i] = (float) Math.sqrt(a[i]); }
            case RECIPROCAL -> { for (int i = lo; i < hi; i++) o[i] = 1 / a[i]; }
            default -> throw new IllegalStateException(op.toString());
        }
    }
}
