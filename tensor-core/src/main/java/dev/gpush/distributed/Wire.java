package dev.gpush.distributed;

import dev.gpush.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Elements of a CPU storage array to bytes and back, little-endian whatever the machine: float[], double[],
 * short[] (float16/bfloat16 bits), long[], int[] and byte[] (bool), as {@code CpuStorage} holds them.
 */
final class Wire {
    private Wire() {}

    static ValueLayout layout(DType d) {
        return switch (d) {
            case FLOAT32 -> ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            case FLOAT64 -> ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            case FLOAT16, BFLOAT16 -> ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            case INT64 -> ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            case INT32 -> ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            case BOOL -> ValueLayout.JAVA_BYTE;
        };
    }

    static Object newArray(DType d, int n) {
        return switch (d) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case FLOAT16, BFLOAT16 -> new short[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
            case BOOL -> new byte[n];
        };
    }

    /** {@code count} elements of {@code array} from {@code from}, as bytes. */
    static byte[] encode(Object array, DType d, int from, int count) {
        byte[] bytes = new byte[count * d.itemSize()];
        if (count > 0) MemorySegment.copy(array, from, MemorySegment.ofArray(bytes), layout(d), 0, count);
        return bytes;
    }

    /** Writes the elements in {@code bytes} into {@code array} from {@code to}. */
    static void decode(byte[] bytes, Object array, DType d, int to) {
        int count = bytes.length / d.itemSize();
        if (count > 0) MemorySegment.copy(MemorySegment.ofArray(bytes), layout(d), 0, array, to, count);
    }
}
