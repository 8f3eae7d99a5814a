package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.tensor.DType;

/**
 * Note [float32 fast path]: contiguous float32 arithmetic and comparisons, the commonest ops of all, skip the
 * double buffers of {@link Lanes} and run float loops. The results are the same bits: float +, -, *, /, max and
 * min round exactly as double arithmetic rounded to float, and a comparison of two floats is the comparison of
 * their doubles. Rules:
 * <ul>
 *   <li>{@code a} and the output are contiguous; the output is float32 (arithmetic) or bool (comparisons).</li>
 *   <li>{@code b} is a scalar (every element at one offset), or contiguous, or a broadcast that repeats one
 *       contiguous block ({@link #repeatedBlock}: a bias row added to every row of a matrix).</li>
 * </ul>
 *
 * <p>Note [same index]: C2 (JDK 25) vectorises a loop that writes one float[] and reads another only when it can
 * tell that the write cannot overwrite an element a later iteration reads. Two float[] parameters may be the same
 * array, so it can tell only when every access uses the same index expression: {@code o[i] = a[i] + b[i]}
 * vectorises, {@code o[oo + i] = a[ao + i] + b[bo + i]} does not (about 6 times slower in L1). So the arithmetic
 * loops index every array alike; when the operands' offsets differ, each strip of elements is first copied to
 * scratch arrays that all start at 0. Comparisons write a byte[], which cannot be a float[], so they need neither.
 */
final class Float32Arith {
    private Float32Arith() {}

    static final int STRIP = 1024;   // elements per scratch strip: three of them fit the L1 cache

    /** Runs {@code out = a op b} when the operands fit the rules above; false (nothing done) when they do not. */
    static boolean binary(BinaryOp op, Strided o, Strided x, Strided y, int n) {
        if (x.dtype != DType.FLOAT32 || y.dtype != DType.FLOAT32 || !o.contiguous || !x.contiguous || x.constant && n > 1)
            return false;
        boolean compare = op.returnsBool();
        if (!(compare ? comparison(op) : arithmetic(op)) || o.dtype != (compare ? DType.BOOL : DType.FLOAT32)) return false;
        int block = y.constant ? 1 : y.contiguous ? n : repeatedBlock(y);
        if (block == 0) return false;
        float[] a = (float[]) x.array, b = (float[]) y.array;
        int oo = o.offset, ao = x.offset, bo = y.offset;
        Parallel.range(n, Elementwise.GRAIN, (lo, hi) -> {
            if (compare) compare(op, (byte[]) o.array, oo, a, ao, b, bo, block, lo, hi);
            else arith(op, (float[]) o.array, oo, a, ao, b, bo, block, lo, hi);
        });
        return true;
    }

    private static boolean arithmetic(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    private static boolean comparison(BinaryOp op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /**
     * The length of the contiguous block that {@code y} repeats, so that its element i is at
     * {@code offset + i % length}: trailing dims laid out contiguously, leading dims broadcast (stride 0). 0 when
     * {@code y} is not laid out so.
     */
    static int repeatedBlock(Strided y) {
        int[] shape = y.shape, strides = y.strides;
        int len = 1, d = shape.length - 1;
        for (; d >= 0 && (shape[d] == 1 || strides[d] == len); d--) len *= shape[d];
        for (; d >= 0; d--) if (shape[d] != 1 && strides[d] != 0) return 0;
        return len;
    }

    /** Elements [lo, hi) of {@code out = a op b}, b's element i at {@code bo + i % block} (block 1: a scalar). */
    private static void arith(BinaryOp op, float[] out, int oo, float[] a, int ao, float[] b, int bo, int block,
                              int lo, int hi) {
        if (block == 1 && oo == ao) {
            withScalar(op, out, a, b[bo], oo + lo, oo + hi);
        } else if (block >= hi && oo == ao && oo == bo) {   // no wrap around b's block in [lo, hi): b[bo + i]
            withArray(op, out, a, b, oo + lo, oo + hi);
        } else {                                            // Note [same index]: through scratch strips
            float[] sa = new float[Math.min(STRIP, hi - lo)], sb = block == 1 ? null : new float[sa.length];
            for (int s = lo; s < hi; s += STRIP) {
                int m = Math.min(STRIP, hi - s);
                System.arraycopy(a, ao + s, sa, 0, m);
                if (block == 1) {
                    withScalar(op, sa, sa, b[bo], 0, m);
                } else {
                    for (int t = 0; t < m; ) {   // b's elements s .. s + m - 1, a stretch of its block at a time
                        int j = (s + t) % block, len = Math.min(m - t, block - j);
                        System.arraycopy(b, bo + j, sb, t, len);
                        t += len;
                    }
                    withArray(op, sa, sa, sb, 0, m);
                }
                System.arraycopy(sa, 0, out, oo + s, m);
            }
        }
    }

    /** {@code o[i] = a[i] op b[i]} for i in [lo, hi). */
    private static void withArray(BinaryOp op, float[] o, float[] a, float[] b, int lo, int hi) {
        switch (op) {
            case ADD -> { for (int i = lo; i < hi; i++) o[i] = a[i] + b[i]; }
            case SUB -> { for (int i = lo; i < hi; i++) o[i] = a[i] - b[i]; }
            case MUL -> { for (int i = lo; i < hi; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = lo; i < hi; i++) o[i] = a[i] / b[i]; }
            case MAXIMUM -> { for (int i = lo; i < hi; i++) o[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = lo; i < hi; i++) o[i] = Math.min(a[i], b[i]); }
            default -> throw new IllegalStateException(op.toString());
        }
    }

    /** {@code o[i] = a[i] op c} for i in [lo, hi). */
    private static void withScalar(BinaryOp op, float[] o, float[] a, float c, int lo, int hi) {
        switch (op) {
            case ADD -> { for (int i = lo; i < hi; i++) o[i] = a[i] + c; }
            case SUB -> { for (int i = lo; i < hi; i++) o[i] = a[i] - c; }
            case MUL -> { for (int i = lo; i < hi; i++) o[i] = a[i] * c; }
            case DIV -> { for (int i = lo; i < hi; i++) o[i] = a[i] / c; }
            case MAXIMUM -> { for (int i = lo; i < hi; i++) o[i] = Math.max(a[i], c); }
            case MINIMUM -> { for (int i = lo; i < hi; i++) o[i] = Math.min(a[i], c); }
            default -> throw new IllegalStateException(op.toString());
        }
    }

    /** Elements [lo, hi) of {@code out = a op b} as 0 or 1, b's element i at {@code bo + i % block}. */
    private static void compare(BinaryOp op, byte[] out, int oo, float[] a, int ao, float[] b, int bo, int block,
                                int lo, int hi) {
        if (block == 1) {
            compareScalar(op, out, oo, a, ao, b[bo], lo, hi);
            return;
        }
        for (int i = lo; i < hi; ) {   // one loop per stretch of b's block
            int j = i % block, len = Math.min(hi - i, block - j);
            compareArray(op, out, oo + i, a, ao + i, b, bo + j, len);
            i += len;
        }
    }

    /** {@code o[oo + i] = a[ao + i] op b[bo + i]} as 0 or 1, for i in [0, n). */
    private static void compareArray(BinaryOp op, byte[] o, int oo, float[] a, int ao, float[] b, int bo, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = (byte) (a[ao + i] == b[bo + i] ? 1 : 0); }
            case NE -> { for (int i = 0; i < n; i++) o[oo + i] = (byte) (a[ao + i] != b[bo + i] ? 1 : 0); }
            case LT -> { for (int i = 0; i < n; i++) o[oo + i] = (byte) (a[ao + i] < b[bo + i] ? 1 : 0); }
            case LE -> { for (int i = 0; i < n; i++) o[oo + i] = (byte) (a[ao + i] <= b[bo + i] ? 1 : 0); }
            case GT -> { for (int i = 0; i < n; i++) o[oo + i] = (byte) (a[ao + i] > b[bo + i] ? 1 : 0); }
            case GE -> { for (int i = 0; i < n; i++) o[oo + i] = (byte) (a[ao + i] >= b[bo + i] ? 1 : 0); }
            default -> throw new IllegalStateException(op.toString());
        }
    }

    /** {@code o[oo + i] = a[ao + i] op c} as 0 or 1, for i in [lo, hi). */
    private static void compareScalar(BinaryOp op, byte[] o, int oo, float[] a, int ao, float c, int lo, int hi) {
        switch (op) {
            case EQ -> { for (int i = lo; i < hi; i++) o[oo + i] = (byte) (a[ao + i] == c ? 1 : 0); }
            case NE -> { for (int i = lo; i < hi; i++) o[oo + i] = (byte) (a[ao + i] != c ? 1 : 0); }
            case LT -> { for (int i = lo; i < hi; i++) o[oo + i] = (byte) (a[ao + i] < c ? 1 : 0); }
            case LE -> { for (int i = lo; i < hi; i++) o[oo + i] = (byte) (a[ao + i] <= c ? 1 : 0); }
            case GT -> { for (int i = lo; i < hi; i++) o[oo + i] = (byte) (a[ao + i] > c ? 1 : 0); }
            case GE -> { for (int i = lo; i < hi; i++) o[oo + i] = (byte) (a[ao + i] >= c ? 1 : 0); }
            default -> throw new IllegalStateException(op.toString());
        }
    }
}
