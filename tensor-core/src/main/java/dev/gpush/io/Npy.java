package dev.gpush.io;

import dev.gpush.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * NumPy's {@code .npy} files, one array each ({@code np.save} / {@code np.load}).
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #save} writes the bytes {@code np.save} writes for the same array (format 1.0, little-endian,
 *       C order): float64 {@code <f8}, float32 {@code <f4}, float16 {@code <f2}, int64 {@code <i8}, int32
 *       {@code <i4}, bool {@code |b1}. Any strides, device or autograd state: the logical values are written.
 *       The write is atomic ({@link AtomicFile}).</li>
 *   <li>bfloat16 is refused: NumPy has no bfloat16 dtype (PyTorch's {@code .numpy()} refuses it too). Save
 *       {@code t.float()}, which is exact, or use {@link SafeTensors}, which stores BF16.</li>
 *   <li>{@link #load} reads format 1.0, 2.0 and 3.0, either byte order (big-endian data is converted), and
 *       Fortran order (the result is the same C-contiguous tensor NumPy would show). Types gpush lacks load
 *       widened so every value is exact: int8, uint8, int16 and uint16 as int32, uint32 as int64, uint64 as int64
 *       when every value fits (an error otherwise).</li>
 *   <li>Complex, object (pickled), string, datetime and structured arrays are refused with the dtype named, as is
 *       a descr that does not state its byte order. Bytes after the array are ignored, as {@code np.load}
 *       ignores them (several arrays may be saved into one stream); too few bytes are an error.</li>
 * </ul>
 */
public final class Npy {
    private Npy() {}

    public static void save(Tensor tensor, Path file) throws IOException {
        String descr = switch (tensor.dtype()) {
            case FLOAT64 -> "<f8";
            case FLOAT32 -> "<f4";
            case FLOAT16 -> "<f2";
            case INT64 -> "<i8";
            case INT32 -> "<i4";
            case BOOL -> "|b1";
            case BFLOAT16 -> throw new TensorFileException(file, "cannot save bfloat16 as .npy: NumPy has no bfloat16 "
                    + "dtype. Save tensor.float() (exact), or use SafeTensors, which stores BF16");
        };
        Tensor host = ElementCodec.host(tensor);
        byte[] header = NpyHeader.encode(descr, host.shapeRef());
        AtomicFile.write(file, out -> {
            ByteBuffer b = ByteBuffer.wrap(header);
            while (b.hasRemaining()) out.write(b);
            ElementCodec.write(out, host);
        });
    }

    /** The array in the file as a new C-contiguous CPU tensor. */
    public static Tensor load(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(file, in);
            StoredType type = h.descr.length() < 2 ? null : StoredType.ofNpy(h.descr.substring(1));
            if (type == null) throw new TensorFileException(file, unsupported(h.descr));
            ByteOrder order = byteOrder(file, h.descr, type);
            int[] shape = shape(file, h.shape);
            int numel = 1;
            for (int d : shape) numel *= d;
            long need = (long) numel * type.itemSize;
            long have = in.size() - h.dataStart;
            if (have < need)
                throw new TensorFileException(file, "file is truncated: an array of shape " + Arrays.toString(shape)
                        + " and dtype '" + h.descr + "' needs " + need + " bytes of data but " + have + " follow the header");
            Object data;
            try {
                data = ElementCodec.read(in, h.dataStart, type, order, numel);
            } catch (EOFException e) {
                throw new TensorFileException(file, "file ended while reading the array (it was truncated while being read)", e);
            } catch (ArithmeticException e) {
                throw new TensorFileException(file, e.getMessage());
            }
            if (!h.fortranOrder || shape.length < 2) return ElementCodec.tensor(type.dtype, data, shape);
            // Fortran order is C order of the reversed shape: read it so, then transpose back
            int n = shape.length;
            int[] reversed = new int[n], back = new int[n];
            for (int i = 0; i < n; i++) { reversed[i] = shape[n - 1 - i]; back[i] = n - 1 - i; }
            Tensor t = ElementCodec.tensor(type.dtype, data, reversed);
            return t.permute(back).clone();
        }
    }

    private static ByteOrder byteOrder(Path file, String descr, StoredType type) throws TensorFileException {
        char c = descr.charAt(0);
        if (c == '<' || (c == '|' && type.itemSize == 1)) return ByteOrder.LITTLE_ENDIAN;
        if (c == '>') return ByteOrder.BIG_ENDIAN;
        if (c == '|' || c == '=')
            throw new TensorFileException(file, "dtype descr '" + descr + "' does not state a byte order "
                    + "(NumPy writes '<' or '>' for multi-byte types)");
        throw new TensorFileException(file, unsupported(descr));
    }

    private static String unsupported(String descr) {
        String kind = descr.length() > 1 ? descr.substring(1) : descr;
        String what = switch (kind.isEmpty() ? ' ' : kind.charAt(0)) {
            case 'c' -> "complex numbers";
            case 'O' -> "Python objects (pickled)";
            case 'U', 'S', 'a' -> "strings";
            case 'M', 'm' -> "datetimes";
            case 'V' -> "raw records";
            case 'f' -> "a floating-point width gpush does not have";
            default -> "an unknown dtype";
        };
        return "unsupported dtype descr '" + descr + "' (" + what + "); gpush reads float64/32/16, int64/32/16/8, "
                + "uint64/32/16/8 and bool";
    }

    private static int[] shape(Path file, long[] dims) throws TensorFileException {
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            numel *= dims[i];
            if (dims[i] > Integer.MAX_VALUE || numel > Integer.MAX_VALUE)
                throw new TensorFileException(file, "an array of shape " + Arrays.toString(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements, the most a CPU tensor holds");
            shape[i] = (int) dims[i];
        }
        return shape;
    }
}
