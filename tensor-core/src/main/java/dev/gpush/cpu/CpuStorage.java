package dev.gpush.cpu;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Storage;

/**
 * CPU storage is a Java array on the heap: float[] for float32, double[] for float64, short[] for float16 and
 * bfloat16 (raw bits), long[] for int64, int[] for int32 and byte[] for bool.
 *
 * <p>Note [heap arrays]: heap arrays allocate in a few nanoseconds and are freed by the GC with no cleaner,
 * which keeps the eager overhead of small ops low, and the JIT vectorises plain loops over them. OpenBLAS
 * reads them in place through a critical FFM downcall (see {@link Blas}), so large arrays are never copied.
 * The price is the 2^31 element limit of a Java array for one CPU tensor.
 */
public final class CpuStorage extends Storage {
    private Object data;

    public CpuStorage(DType dtype, int length) {
        super(dtype, length);
        this.data = switch (dtype) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case FLOAT16, BFLOAT16 -> new short[length];
            case INT64 -> new long[length];
            case INT32 -> new int[length];
            case BOOL -> new byte[length];
        };
    }

    public CpuStorage(DType dtype, Object array, int length) {
        super(dtype, length);
        this.data = array;
    }

    @Override public Device device() { return Device.CPU; }

    /** The backing array; its type follows the dtype (see the class comment). */
    public Object data() {
        Object d = data;
        if (d == null) throw new IllegalStateException("tensor storage was freed (the tensor or its Scope was closed)");
        return d;
    }

    @Override protected void free() { data = null; }
    @Override public boolean isFreed() { return data == null; }
}
