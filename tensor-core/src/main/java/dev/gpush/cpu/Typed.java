package dev.gpush.cpu;

/**
 * Moves elements between a tensor's array (any dtype, any layout) and a compute buffer of doubles or longs.
 * This is the only place that knows how each dtype is stored; every CPU loop computes on the buffers.
 *
 * <p>Note [compute in double]: floating point elements of every dtype are computed in double and rounded once
 * when stored. For +, -, *, / and sqrt on float32 inputs this gives exactly the float32 result (double has more
 * than twice float's precision), so results match float32 arithmetic. Integers compute in long.
 */
final class Typed {
    private Typed() {}

    static float half(short bits) { return Float.float16ToFloat(bits); }

    static float bf16(short bits) { return Float.intBitsToFloat(bits << 16); }

    static short toHalf(double v) { return Float.floatToFloat16((float) v); }

    /** Round to nearest even, NaN stays NaN. */
    static short toBf16(double v) {
        float f = (float) v;
        if (f != f) return (short) 0x7FC0;
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Loads elements [start, start+len) of the iteration into {@code buf}. */
    static void load(Strided s, int start, int len, double[] buf, int[] offs) {
        if (s.constant) {
            java.util.Arrays.fill(buf, 0, len, get(s.array, s.dtype, s.offset));
        } else if (s.contiguous) {
            loadLinear(s.array, s.dtype, s.offset + start, len, buf);
        } else {
            s.offsets(start, len, offs);
            loadGather(s.array, s.dtype, offs, len, buf);
        }
    }

    static void loadLinear(Object array, dev.gpush.tensor.DType dtype, int b, int len, double[] buf) {
        switch (dtype) {
            case FLOAT32 -> { float[] a = (float[]) array; for (int i = 0; i < len; i++) buf[i] = a[b + i]; }
            case FLOAT64 -> System.arraycopy(array, b, buf, 0, len);
            case FLOAT16 -> { short[] a = (short[]) array; for (int i = 0; i < len; i++) buf[i] = half(a[b + i]); }
            case BFLOAT16 -> { short[] a = (short[]) array; for (int i = 0; i < len; i++) buf[i] = bf16(a[b + i]); }
            case INT64 -> { long[] a = (long[]) array; for (int i = 0; i < len; i++) buf[i] = a[b + i]; }
            case INT32 -> { int[] a = (int[]) array; for (int i = 0; i < len; i++) buf[i] = a[b + i]; }
            case BOOL -> { byte[] a = (byte[]) array; for (int i = 0; i < len; i++) buf[i] = a[b + i]; }
        }
    }

    static void loadGather(Object array, dev.gpush.tensor.DType dtype, int[] offs, int len, double[] buf) {
        switch (dtype) {
            case FLOAT32 -> { float[] a = (float[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            case FLOAT64 -> { double[] a = (double[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            case FLOAT16 -> { short[] a = (short[]) array; for (int i = 0; i < len; i++) buf[i] = half(a[offs[i]]); }
            case BFLOAT16 -> { short[] a = (short[]) array; for (int i = 0; i < len; i++) buf[i] = bf16(a[offs[i]]); }
            case INT64 -> { long[] a = (long[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            case INT32 -> { int[] a = (int[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            case BOOL -> { byte[] a = (byte[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
        }
    }

    static void load(Strided s, int start, int len, long[] buf, int[] offs) {
        if (s.constant) {
            java.util.Arrays.fill(buf, 0, len, getLong(s.array, s.dtype, s.offset));
        } else if (s.contiguous) {
            loadLinear(s.array, s.dtype, s.offset + start, len, buf);
        } else {
            s.offsets(start, len, offs);
            loadGather(s.array, s.dtype, offs, len, buf);
        }
    }

    static void loadLinear(Object array, dev.gpush.tensor.DType dtype, int b, int len, long[] buf) {
        switch (dtype) {
            case INT64 -> System.arraycopy(array, b, buf, 0, len);
            case INT32 -> { int[] a = (int[]) array; for (int i = 0; i < len; i++) buf[i] = a[b + i]; }
            case BOOL -> { byte[] a = (byte[]) array; for (int i = 0; i < len; i++) buf[i] = a[b + i]; }
            default -> { for (int i = 0; i < len; i++) buf[i] = getLong(array, dtype, b + i); }
        }
    }

    static void loadGather(Object array, dev.gpush.tensor.DType dtype, int[] offs, int len, long[] buf) {
        switch (dtype) {
            case INT64 -> { long[] a = (long[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            case INT32 -> { int[] a = (int[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            case BOOL -> { byte[] a = (byte[]) array; for (int i = 0; i < len; i++) buf[i] = a[offs[i]]; }
            default -> { for (int i = 0; i < len; i++) buf[i] = getLong(array, dtype, offs[i]); }
        }
    }

    /** Stores {@code buf} into elements [start, start+len) of the iteration, rounding to the dtype. */
    static void store(Strided s, int start, int len, double[] buf, int[] offs) {
        if (s.contiguous) {
            int b = s.offset + start;
            switch (s.dtype) {
                case FLOAT32 -> { float[] a = (float[]) s.array; for (int i = 0; i < len; i++) a[b + i] = (float) buf[i]; }
                case FLOAT64 -> System.arraycopy(buf, 0, s.array, b, len);
                case FLOAT16 -> { short[] a = (short[]) s.array; for (int i = 0; i < len; i++) a[b + i] = toHalf(buf[i]); }
                case BFLOAT16 -> { short[] a = (short[]) s.array; for (int i = 0; i < len; i++) a[b + i] = toBf16(buf[i]); }
                case INT64 -> { long[] a = (long[]) s.array; for (int i = 0; i < len; i++) a[b + i] = (long) buf[i]; }
                case INT32 -> { int[] a = (int[]) s.array; for (int i = 0; i < len; i++) a[b + i] = (int) (long) buf[i]; }
                case BOOL -> { byte[] a = (byte[]) s.array; for (int i = 0; i < len; i++) a[b + i] = (byte) (buf[i] != 0 ? 1 : 0); }
            }
            return;
        }
        s.offsets(start, len, offs);
        for (int i = 0; i < len; i++) set(s.array, s.dtype, offs[i], buf[i]);
    }

    static void store(Strided s, int start, int len, long[] buf, int[] offs) {
        if (s.contiguous) {
            int b = s.offset + start;
            switch (s.dtype) {
                case INT64 -> System.arraycopy(buf, 0, s.array, b, len);
                case INT32 -> { int[] a = (int[]) s.array; for (int i = 0; i < len; i++) a[b + i] = (int) buf[i]; }
                case BOOL -> { byte[] a = (byte[]) s.array; for (int i = 0; i < len; i++) a[b + i] = (byte) (buf[i] != 0 ? 1 : 0); }
                default -> { for (int i = 0; i < len; i++) set(s.array, s.dtype, b + i, buf[i]); }
            }
            return;
        }
        s.offsets(start, len, offs);
        for (int i = 0; i < len; i++) setLong(s.array, s.dtype, offs[i], buf[i]);
    }

    static double get(Object array, dev.gpush.tensor.DType dtype, int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
            case FLOAT16 -> half(((short[]) array)[i]);
            case BFLOAT16 -> bf16(((short[]) array)[i]);
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((byte[]) array)[i];
        };
    }

    static long getLong(Object array, dev.gpush.tensor.DType dtype, int i) {
        return switch (dtype) {
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((byte[]) array)[i];
            default -> (long) get(array, dtype, i);
        };
    }

    static void set(Object array, dev.gpush.tensor.DType dtype, int i, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            case FLOAT16 -> ((short[]) array)[i] = toHalf(v);
            case BFLOAT16 -> ((short[]) array)[i] = toBf16(v);
            case INT64 -> ((long[]) array)[i] = (long) v;
            case INT32 -> ((int[]) array)[i] = (int) (long) v;
            case BOOL -> ((byte[]) array)[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    static void setLong(Object array, dev.gpush.tensor.DType dtype, int i, long v) {
        switch (dtype) {
            case INT64 -> ((long[]) array)[i] = v;
            case INT32 -> ((int[]) array)[i] = (int) v;
            case BOOL -> ((byte[]) array)[i] = (byte) (v != 0 ? 1 : 0);
            default -> set(array, dtype, i, v);
        }
    }
}
