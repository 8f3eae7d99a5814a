package dev.gpush.io;

import dev.gpush.backend.Backends;
import dev.gpush.cpu.CpuStorage;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Elements between files and tensors: bytes in a given byte order on one side, the Java array of a CPU storage on
 * the other (see Note [heap arrays]). Data moves in chunks of {@value #CHUNK} bytes, so a tensor of any size needs
 * no file-sized buffer, and bulk buffer views convert whole chunks at a time.
 */
final class ElementCodec {
    static final int CHUNK = 1 << 20; // bytes per read or write

    private ElementCodec() {}

    /** {@code t}'s logical values as a contiguous CPU tensor, without recording autograd (copies only if needed). */
    static Tensor host(Tensor t) {
        Tensor h = t.detach();
        if (!h.device().isCpu()) h = h.cpu();
        if (!h.isContiguous()) h = h.contiguous();
        return h;
    }

    /** A fresh contiguous CPU tensor over {@code array} (the storage type of {@code dtype}). */
    static Tensor tensor(DType dtype, Object array, int[] shape) {
        return new Tensor(Backends.of(Device.CPU).fromArray(dtype, array), shape.clone(),
                Shapes.contiguousStrides(shape), 0, false);
    }

    /** Writes a contiguous CPU tensor's elements in little-endian order as its own {@link StoredType}. */
    static void write(WritableByteChannel out, Tensor host) throws IOException {
        int n = host.numel();
        if (n == 0) return;
        Object data = ((CpuStorage) host.storage()).data();
        int size = host.dtype().itemSize();
        int offset = host.storageOffset();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * size)).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / size;
        for (int done = 0; done < n; ) {
            int k = Math.min(perChunk, n - done);
            int at = offset + done;
            buf.clear();
            switch (data) {
                case double[] a -> buf.asDoubleBuffer().put(a, at, k);
                case float[] a -> buf.asFloatBuffer().put(a, at, k);
                case long[] a -> buf.asLongBuffer().put(a, at, k);
                case int[] a -> buf.asIntBuffer().put(a, at, k);
                case short[] a -> buf.asShortBuffer().put(a, at, k);
                case byte[] a -> buf.put(a, at, k);
                default -> throw new IllegalStateException("unexpected CPU storage " + data.getClass());
            }
            buf.position(0).limit(k * size);
            while (buf.hasRemaining()) out.write(buf);
            done += k;
        }
    }

    /**
     * Reads {@code count} elements of {@code type} stored in {@code order} from {@code position} of {@code in},
     * into a new array of the storage type of {@code type.dtype}. Throws {@link EOFException} when the file ends
     * first, and {@link ArithmeticException} for a uint64 value beyond int64.
     */
    static Object read(FileChannel in, long position, StoredType type, ByteOrder order, int count) throws IOException {
        Object out = switch (type.dtype) {
            case FLOAT64 -> new double[count];
            case FLOAT32 -> new float[count];
            case FLOAT16, BFLOAT16 -> new short[count];
            case INT64 -> new long[count];
            case INT32 -> new int[count];
            case BOOL -> new byte[count];
        };
        if (count == 0) return out;
        int size = type.itemSize;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) count * size)).order(order);
        int perChunk = buf.capacity() / size;
        for (int done = 0; done < count; ) {
            int k = Math.min(perChunk, count - done);
            buf.clear().limit(k * size);
            readFully(in, buf, position + (long) done * size);
            buf.flip();
            decode(type, buf, out, done, k);
            done += k;
        }
        return out;
    }

    private static void decode(StoredType type, ByteBuffer buf, Object out, int at, int k) {
        switch (type) {
            case F64 -> buf.asDoubleBuffer().get((double[]) out, at, k);
            case F32 -> buf.asFloatBuffer().get((float[]) out, at, k);
            case F16, BF16 -> buf.asShortBuffer().get((short[]) out, at, k);
            case I64 -> buf.asLongBuffer().get((long[]) out, at, k);
            case I32 -> buf.asIntBuffer().get((int[]) out, at, k);
            case U64 -> {
                long[] a = (long[]) out;
                buf.asLongBuffer().get(a, at, k);
                for (int i = at; i < at + k; i++)
                    if (a[i] < 0) throw new ArithmeticException("uint64 value " + Long.toUnsignedString(a[i])
                            + " (element " + i + ") does not fit in int64, gpush's widest integer type");
            }
            case U32 -> { long[] a = (long[]) out; for (int i = at; i < at + k; i++) a[i] = buf.getInt() & 0xFFFFFFFFL; }
            case I16 -> { int[] a = (int[]) out; for (int i = at; i < at + k; i++) a[i] = buf.getShort(); }
            case U16 -> { int[] a = (int[]) out; for (int i = at; i < at + k; i++) a[i] = buf.getShort() & 0xFFFF; }
            case I8 -> { int[] a = (int[]) out; for (int i = at; i < at + k; i++) a[i] = buf.get(); }
            case U8 -> { int[] a = (int[]) out; for (int i = at; i < at + k; i++) a[i] = buf.get() & 0xFF; }
            // any nonzero byte is true, as NumPy and PyTorch read it
            case BOOL -> { byte[] a = (byte[]) out; for (int i = at; i < at + k; i++) a[i] = (byte) (buf.get() != 0 ? 1 : 0); }
        }
    }

    /** Fills {@code buf} from {@code position}, or throws {@link EOFException} if the file ends first. */
    static void readFully(FileChannel in, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int r = in.read(buf, p);
            if (r < 0) throw new EOFException("file ended at byte " + p);
            p += r;
        }
    }
}
