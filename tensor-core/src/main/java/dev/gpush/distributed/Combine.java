package dev.gpush.distributed;

import dev.gpush.tensor.DType;

/**
 * The element-wise reductions of {@link ReduceOp} over CPU storage arrays: {@code dst[at + i] = op(dst[at + i],
 * src[i])}. The rules per dtype are {@link ReduceOp}'s; AVG combines as SUM and {@link #divide}s once at the end.
 */
final class Combine {
    private Combine() {}

    static void into(ReduceOp op, DType d, Object dst, int at, Object src, int count) {
        if (op == ReduceOp.AVG) op = ReduceOp.SUM;
        switch (d) {
            case FLOAT32 -> floats(op, (float[]) dst, at, (float[]) src, count);
            case FLOAT64 -> doubles(op, (double[]) dst, at, (double[]) src, count);
            case FLOAT16, BFLOAT16 -> halves(op, d == DType.BFLOAT16, (short[]) dst, at, (short[]) src, count);
            case INT64 -> longs(op, (long[]) dst, at, (long[]) src, count);
            case INT32 -> ints(op, (int[]) dst, at, (int[]) src, count);
            case BOOL -> bools(op, (byte[]) dst, at, (byte[]) src, count);
        }
    }

    private static void floats(ReduceOp op, float[] a, int at, float[] b, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) a[at + i] += b[i]; }
            case PRODUCT -> { for (int i = 0; i < n; i++) a[at + i] *= b[i]; }
            case MAX -> { for (int i = 0; i < n; i++) a[at + i] = Math.max(a[at + i], b[i]); }
            case MIN -> { for (int i = 0; i < n; i++) a[at + i] = Math.min(a[at + i], b[i]); }
            default -> throw new AssertionError(op);
        }
    }

    private static void doubles(ReduceOp op, double[] a, int at, double[] b, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) a[at + i] += b[i]; }
            case PRODUCT -> { for (int i = 0; i < n; i++) a[at + i] *= b[i]; }
            case MAX -> { for (int i = 0; i < n; i++) a[at + i] = Math.max(a[at + i], b[i]); }
            case MIN -> { for (int i = 0; i < n; i++) a[at + i] = Math.min(a[at + i], b[i]); }
            default -> throw new AssertionError(op);
        }
    }

    private static void halves(ReduceOp op, boolean bf16, short[] a, int at, short[] b, int n) {
        for (int i = 0; i < n; i++) {
            float x = widen(a[at + i], bf16), y = widen(b[i], bf16);
            float r = switch (op) {
                case SUM -> x + y;
                case PRODUCT -> x * y;
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
                default -> throw new AssertionError(op);
            };
            a[at + i] = narrow(r, bf16);
        }
    }

    private static void longs(ReduceOp op, long[] a, int at, long[] b, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) a[at + i] += b[i]; }
            case PRODUCT -> { for (int i = 0; i < n; i++) a[at + i] *= b[i]; }
            case MAX -> { for (int i = 0; i < n; i++) a[at + i] = Math.max(a[at + i], b[i]); }
            case MIN -> { for (int i = 0; i < n; i++) a[at + i] = Math.min(a[at + i], b[i]); }
            default -> throw new AssertionError(op);
        }
    }

    private static void ints(ReduceOp op, int[] a, int at, int[] b, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) a[at + i] += b[i]; }
            case PRODUCT -> { for (int i = 0; i < n; i++) a[at + i] *= b[i]; }
            case MAX -> { for (int i = 0; i < n; i++) a[at + i] = Math.max(a[at + i], b[i]); }
            case MIN -> { for (int i = 0; i < n; i++) a[at + i] = Math.min(a[at + i], b[i]); }
            default -> throw new AssertionError(op);
        }
    }

    private static void bools(ReduceOp op, byte[] a, int at, byte[] b, int n) {
        boolean any = op == ReduceOp.SUM || op == ReduceOp.MAX;
        for (int i = 0; i < n; i++) {
            boolean x = a[at + i] != 0, y = b[i] != 0;
            a[at + i] = (byte) ((any ? x || y : x && y) ? 1 : 0);
        }
    }

    /** AVG's last step: divides {@code count} elements from {@code at} by {@code n}. */
    static void divide(DType d, Object array, int at, int count, int n) {
        switch (d) {
            case FLOAT32 -> { float[] a = (float[]) array; for (int i = at; i < at + count; i++) a[i] /= n; }
            case FLOAT64 -> { double[] a = (double[]) array; for (int i = at; i < at + count; i++) a[i] /= n; }
            case FLOAT16, BFLOAT16 -> {
                boolean bf16 = d == DType.BFLOAT16;
                short[] a = (short[]) array;
                for (int i = at; i < at + count; i++) a[i] = narrow(widen(a[i], bf16) / n, bf16);
            }
            case INT64 -> { long[] a = (long[]) array; for (int i = at; i < at + count; i++) a[i] /= n; }
            case INT32 -> { int[] a = (int[]) array; for (int i = at; i < at + count; i++) a[i] /= n; }
            case BOOL -> throw new IllegalArgumentException("ReduceOp.AVG is not defined for bool tensors");
        }
    }

    private static float widen(short bits, boolean bf16) {
        return bf16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
    }

    /** Round to nearest even, as the CPU backend stores halves; NaN stays NaN. */
    private static short narrow(float f, boolean bf16) {
        if (!bf16) return Float.floatToFloat16(f);
        if (f != f) return (short) 0x7FC0;
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
