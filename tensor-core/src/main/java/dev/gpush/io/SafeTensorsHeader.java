package dev.gpush.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file: an unsigned 64-bit little-endian length N, then N bytes of UTF-8 JSON mapping
 * each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (byte offsets into the data buffer
 * that follows the header), plus an optional {@code "__metadata__"} object of strings.
 *
 * <p>Reading checks everything the reference implementation checks, and more, so no file reaches a tensor
 * unless it is well formed: the header lies inside the file and is at most {@value #MAX_HEADER} bytes of valid
 * UTF-8 JSON with no duplicate keys; every dtype is known; each tensor's byte count equals its element count
 * times its item size; and the tensors, taken in offset order, tile the data buffer exactly from byte 0 to the
 * end of the file, with no gap, overlap or trailing byte.
 */
final class SafeTensorsHeader {
    static final long MAX_HEADER = 100_000_000; // bytes; the reference implementation's limit
    static final String METADATA_KEY = "__metadata__";

    /** UTF-8 byte order of names (code point order), the order the reference implementation sorts names in. */
    static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

    record Entry(String name, StoredType type, int[] shape, long begin, long end) {
        int numel() { int n = 1; for (int s : shape) n *= s; return n; }
        String range() { return "[" + begin + ", " + end + "]"; }
    }

    final List<Entry> entries;              // in name order
    final Map<String, String> metadata;     // null when the file has none
    final long dataStart;                   // file position of the data buffer

    private SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
        this.entries = entries;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    // ---------------------------------------------------------------- reading

    static SafeTensorsHeader read(Path file, FileChannel in) throws IOException {
        long size = in.size();
        if (size < 8)
            throw new TensorFileException(file, "file is " + size + " bytes, too short for a safetensors file "
                    + "(it starts with an 8-byte header length)");
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ElementCodec.readFully(in, len, 0);
        long n = len.getLong(0);
        if (n < 0 || n > MAX_HEADER)
            throw new TensorFileException(file, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_HEADER + " bytes: not a safetensors file, or a corrupt one");
        if (8 + n > size)
            throw new TensorFileException(file, "header length " + n + " runs past the end of the file (" + size
                    + " bytes): the file is truncated or not a safetensors file");
        ByteBuffer raw = ByteBuffer.allocate((int) n);
        ElementCodec.readFully(in, raw, 8);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new TensorFileException(file, "header is not valid UTF-8");
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(file, "header is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> root)) throw new TensorFileException(file, "header is not a JSON object");
        long bufferSize = size - 8 - n;
        Map<String, String> metadata = null;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) metadata = metadata(file, e.getValue());
            else entries.add(entry(file, name, e.getValue(), bufferSize));
        }
        checkLayout(file, entries, bufferSize);
        entries.sort(Comparator.comparing(Entry::name, NAME_ORDER));
        return new SafeTensorsHeader(List.copyOf(entries), metadata, 8 + n);
    }

    private static Map<String, String> metadata(Path file, Object value) throws TensorFileException {
        if (!(value instanceof Map<?, ?> m))
            throw new TensorFileException(file, METADATA_KEY + " is not a JSON object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s))
                throw new TensorFileException(file, METADATA_KEY + " must map strings to strings, but \"" + e.getKey()
                        + "\" holds " + Json.write(e.getValue()));
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(Path file, String name, Object value, long bufferSize) throws TensorFileException {
        String what = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) throw new TensorFileException(file, what + " is not a JSON object");
        if (!(info.get("dtype") instanceof String dtype))
            throw new TensorFileException(file, what + " has no string \"dtype\"");
        StoredType type = StoredType.ofSafetensors(dtype);
        if (type == null) {
            boolean known = Arrays.asList(StoredType.UNSUPPORTED_SAFETENSORS.split(" ")).contains(dtype);
            throw new TensorFileException(file, what + (known
                    ? " has dtype " + dtype + ", which gpush cannot hold"
                    : " has unknown dtype \"" + dtype + "\"") + " (gpush reads " + readableNames() + ")");
        }
        long[] dims = naturals(file, what, "shape", info.get("shape"), -1);
        long[] offsets = naturals(file, what, "data_offsets", info.get("data_offsets"), 2);
        long numel = 1;
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            numel *= dims[i];
            if (dims[i] > Integer.MAX_VALUE || numel > Integer.MAX_VALUE)
                throw new TensorFileException(file, what + " of shape " + Arrays.toString(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements, the most a CPU tensor holds");
            shape[i] = (int) dims[i];
        }
        Entry entry = new Entry(name, type, shape, offsets[0], offsets[1]);
        if (entry.begin > entry.end)
            throw new TensorFileException(file, what + " has data_offsets " + entry.range() + " that end before they begin");
        if (entry.end > bufferSize)
            throw new TensorFileException(file, what + " has data_offsets " + entry.range() + " beyond the end of "
                    + "the data buffer (" + bufferSize + " bytes): the file is truncated or the offsets are wrong");
        long need = numel * type.itemSize;
        if (entry.end - entry.begin != need)
            throw new TensorFileException(file, what + " has data_offsets " + entry.range() + " (" + (entry.end
                    - entry.begin) + " bytes) but dtype " + dtype + " and shape " + Arrays.toString(dims)
                    + " need " + need + " bytes");
        return entry;
    }

    /** A JSON array of non-negative integers (of {@code length} items unless it is -1). */
    private static long[] naturals(Path file, String what, String key, Object value, int length) throws TensorFileException {
        String expected = length < 0 ? "an array of non-negative integers" : "an array of " + length + " non-negative integers";
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length))
            throw new TensorFileException(file, what + " has " + (value == null ? "no \"" + key + "\""
                    : "\"" + key + "\": " + Json.write(value)) + ", expected " + expected);
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0)
                throw new TensorFileException(file, what + " has \"" + key + "\": " + Json.write(value) + ", expected " + expected);
            out[i] = v;
        }
        return out;
    }

    /** Taken in offset order, the tensors must tile the data buffer exactly. */
    private static void checkLayout(Path file, List<Entry> entries, long bufferSize) throws TensorFileException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < covered)
                throw new TensorFileException(file, "tensors '" + previous.name + "' (bytes " + previous.range()
                        + ") and '" + e.name + "' (bytes " + e.range() + ") overlap");
            if (e.begin > covered)
                throw new TensorFileException(file, "bytes [" + covered + ", " + e.begin + "] of the data buffer belong "
                        + "to no tensor (tensors must be laid out contiguously from byte 0)");
            covered = e.end;
            if (e.end > e.begin || previous == null) previous = e;
        }
        if (covered != bufferSize)
            throw new TensorFileException(file, "the data buffer is " + bufferSize + " bytes but the tensors cover "
                    + covered + ": " + (bufferSize - covered) + " trailing bytes belong to no tensor");
    }

    private static String readableNames() {
        StringBuilder sb = new StringBuilder();
        for (StoredType t : StoredType.values()) sb.append(sb.isEmpty() ? "" : " ").append(t.safetensorsName);
        return sb.toString();
    }

    // ---------------------------------------------------------------- writing

    /**
     * The length prefix and JSON header for {@code entries}, which are in write order with their offsets set:
     * {@code __metadata__} first (keys sorted) when given, then the tensors, compact, padded with spaces to a
     * multiple of 8 bytes so the data buffer starts aligned, as the reference writer does.
     */
    static byte[] encode(List<Entry> entries, Map<String, String> metadata) {
        LinkedHashMap<String, Object> root = new LinkedHashMap<>();
        if (metadata != null) {
            LinkedHashMap<String, Object> sorted = new LinkedHashMap<>();
            metadata.keySet().stream().sorted(NAME_ORDER).forEach(k -> sorted.put(k, metadata.get(k)));
            root.put(METADATA_KEY, sorted);
        }
        for (Entry e : entries) {
            LinkedHashMap<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.type.safetensorsName);
            info.put("shape", Arrays.stream(e.shape).boxed().toList());
            info.put("data_offsets", List.of(e.begin, e.end));
            root.put(e.name, info);
        }
        byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.hasRemaining()) out.put((byte) ' ');
        return out.array();
    }
}
