package dev.gpush.io;

import dev.gpush.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's safetensors format: the way state dicts travel between gpush and PyTorch
 * ({@code safetensors.torch.save_file} / {@code load_file}).
 *
 * <pre>{@code
 * SafeTensors.save(model.stateDict(), Path.of("model.safetensors"), Map.of("format", "pt"));
 * model.loadStateDict(SafeTensors.load(Path.of("model.safetensors")));
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>The file is what the reference writer produces for the same tensors: tensors sorted by dtype alignment
 *       (largest first) and then by name, laid out back to back, little-endian on every platform, the header
 *       padded with spaces to 8 bytes. gpush's dtypes map one to one onto F64 F32 F16 BF16 I64 I32 BOOL.</li>
 *   <li>Each tensor is written as its logical values in row-major order, whatever its strides, storage offset,
 *       device or autograd state; {@code requiresGrad} is not stored.</li>
 *   <li>{@link #load} gives new CPU tensors keyed in name order, as Python's {@code load_file} does. I8, U8, I16
 *       and U16 load as int32, U32 as int64 and U64 as int64 when every value fits (see {@link StoredType}).</li>
 *   <li>A file that is truncated or malformed in any way fails with a {@link TensorFileException} naming the file
 *       and the problem, before any tensor is made (see {@link SafeTensorsHeader} for the checks).</li>
 *   <li>Saving is atomic ({@link AtomicFile}): a failed or interrupted save leaves the previous file as it was.</li>
 * </ul>
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** Saves {@code tensors} with no metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, file, null);
    }

    /** Saves {@code tensors}; {@code metadata} (may be null) goes to the header's {@code __metadata__}. */
    public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null) throw new TensorFileException(file, "cannot save a tensor with a null name");
            if (e.getKey().equals(SafeTensorsHeader.METADATA_KEY))
                throw new TensorFileException(file, "a tensor cannot be named " + SafeTensorsHeader.METADATA_KEY
                        + ": the header reserves it for metadata");
            if (e.getValue() == null) throw new TensorFileException(file, "tensor '" + e.getKey() + "' is null");
            names.add(e.getKey());
        }
        if (metadata != null)
            for (Map.Entry<String, String> e : metadata.entrySet())
                if (e.getKey() == null || e.getValue() == null)
                    throw new TensorFileException(file, "metadata keys and values must be non-null strings, got "
                            + e.getKey() + " = " + e.getValue());
        names.sort(Comparator.<String, StoredType>comparing(n -> StoredType.of(tensors.get(n).dtype()))
                .thenComparing(SafeTensorsHeader.NAME_ORDER));

        List<Tensor> hosts = new ArrayList<>(names.size());
        List<SafeTensorsHeader.Entry> entries = new ArrayList<>(names.size());
        long offset = 0;
        for (String name : names) {
            Tensor h = ElementCodec.host(tensors.get(name));
            long bytes = (long) h.numel() * h.dtype().itemSize();
            entries.add(new SafeTensorsHeader.Entry(name, StoredType.of(h.dtype()), h.shape(), offset, offset + bytes));
            hosts.add(h);
            offset += bytes;
        }
        byte[] header = SafeTensorsHeader.encode(entries, metadata);
        AtomicFile.write(file, out -> {
            ByteBuffer b = ByteBuffer.wrap(header);
            while (b.hasRemaining()) out.write(b);
            for (Tensor h : hosts) ElementCodec.write(out, h);
        });
    }

    /** Every tensor in the file, as new CPU tensors, by name in name order. */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        return read(file).tensors();
    }

    /** A whole file: its tensors in name order and its metadata (null when it has none). */
    record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    static Contents read(Path file) throws IOException {
        try (FileChannel in = open(file)) {
            SafeTensorsHeader header = SafeTensorsHeader.read(file, in);
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry e : header.entries) {
                Object data;
                try {
                    data = ElementCodec.read(in, header.dataStart + e.begin(), e.type(), ByteOrder.LITTLE_ENDIAN, e.numel());
                } catch (EOFException truncatedWhileReading) {
                    throw new TensorFileException(file, "file ended while reading tensor '" + e.name() + "' (it was "
                            + "truncated while being read)", truncatedWhileReading);
                } catch (ArithmeticException tooLarge) {
                    throw new TensorFileException(file, "tensor '" + e.name() + "': " + tooLarge.getMessage());
                }
                out.put(e.name(), ElementCodec.tensor(e.type().dtype, data, e.shape()));
            }
            return new Contents(out, header.metadata);
        }
    }

    /** The header's {@code __metadata__} (empty when it has none), after checking the header. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel in = open(file)) {
            Map<String, String> m = SafeTensorsHeader.read(file, in).metadata;
            return m == null ? new LinkedHashMap<>() : m;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }
}
