package dev.gpush.io;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gpush.io.IoAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * safetensors files: byte-exact agreement with the reference implementation's own test vectors, a file built
 * byte by byte from the format description, and round trips of every dtype and shape. Corrupt files are in
 * {@link SafeTensorsCorruptionTest}.
 */
class SafeTensorsTest {
    @TempDir Path dir;

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    private static Tensor floats(int[] shape, float... values) { return Tensor.of(values).view(shape); }

    // ---------------------------------------------------------------- the reference implementation's vectors

    /** safetensors/src/tensor.rs test_serialization: one F32 tensor "attn.0" of shape [1, 2, 3] holding 0..5. */
    private static final byte[] REFERENCE_ATTN_DOT_0 = bytes(
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);

    /** test_serialization_forced_alignement: "attn0" of shape [1, 1, 2, 3]; the header is padded with 7 spaces. */
    private static final byte[] REFERENCE_ATTN0_PADDED = bytes(
            72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
            121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
            91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
            115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
            32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
            160, 64);

    /** test_empty: no tensors; then no tensors and the metadata {"framework": "pt"}. */
    private static final byte[] REFERENCE_EMPTY = bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32);
    private static final byte[] REFERENCE_EMPTY_WITH_METADATA = bytes(
            40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
            95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
            116, 34, 125, 125, 32, 32, 32, 32, 32);

    @Test void writesTheSameBytesAsTheReferenceImplementation() throws IOException {
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        Path c = dir.resolve("c.safetensors"), d = dir.resolve("d.safetensors");
        SafeTensors.save(Map.of("attn.0", floats(new int[]{1, 2, 3}, 0, 1, 2, 3, 4, 5)), a);
        SafeTensors.save(Map.of("attn0", floats(new int[]{1, 1, 2, 3}, 0, 1, 2, 3, 4, 5)), b);
        SafeTensors.save(Map.of(), c);
        SafeTensors.save(Map.of(), d, Map.of("framework", "pt"));
        assertArrayEquals(REFERENCE_ATTN_DOT_0, Files.readAllBytes(a));
        assertArrayEquals(REFERENCE_ATTN0_PADDED, Files.readAllBytes(b));
        assertArrayEquals(REFERENCE_EMPTY, Files.readAllBytes(c));
        assertArrayEquals(REFERENCE_EMPTY_WITH_METADATA, Files.readAllBytes(d));
    }

    @Test void readsTheReferenceImplementationsFiles() throws IOException {
        Path a = dir.resolve("a.safetensors"), d = dir.resolve("d.safetensors");
        Files.write(a, REFERENCE_ATTN0_PADDED);
        Files.write(d, REFERENCE_EMPTY_WITH_METADATA);
        var loaded = SafeTensors.load(a);
        assertEquals(List.of("attn0"), List.copyOf(loaded.keySet()));
        assertTensor(DType.FLOAT32, new int[]{1, 1, 2, 3}, new double[]{0, 1, 2, 3, 4, 5}, loaded.get("attn0"));
        assertTrue(SafeTensors.load(d).isEmpty());
        assertEquals(Map.of("framework", "pt"), SafeTensors.metadata(d));
        assertEquals(Map.of(), SafeTensors.metadata(a));
    }

    // ---------------------------------------------------------------- a file built by hand from the format

    /**
     * Built from the format description alone: u64 little-endian header size, a pretty-printed JSON header listing
     * tensors out of order (the format allows any order and whitespace), then the data buffer.
     */
    @Test void readsAHandBuiltFileOfEveryDtype() throws IOException {
        String header = """
                {
                  "__metadata__": {"format": "pt", "note": "caf\\u00e9"},
                  "z_bool": {"dtype": "BOOL", "shape": [3], "data_offsets": [42, 45]},
                  "a_f64":  {"dtype": "F64",  "shape": [], "data_offsets": [0, 8]},
                  "m_i64":  {"dtype": "I64",  "shape": [1, 1], "data_offsets": [8, 16]},
                  "b_f32":  {"dtype": "F32",  "shape": [2], "data_offsets": [16, 24]},
                  "c_i32":  {"dtype": "I32",  "shape": [1], "data_offsets": [24, 28]},
                  "d_bf16": {"dtype": "BF16", "shape": [2], "data_offsets": [28, 32]},
                  "e_f16":  {"dtype": "F16",  "shape": [2, 1], "data_offsets": [32, 36]},
                  "empty":  {"dtype": "F32",  "shape": [0, 4], "data_offsets": [36, 36]},
                  "f_i16":  {"dtype": "I16",  "shape": [1], "data_offsets": [36, 38]},
                  "g_u8":   {"dtype": "U8",   "shape": [2], "data_offsets": [38, 40]},
                  "h_i8":   {"dtype": "I8",   "shape": [2], "data_offsets": [40, 42]}
                }""";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 45).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        b.putDouble(-0.125);                          // a_f64
        b.putLong(-(1L << 62) - 3);                   // m_i64
        b.putFloat(1.5f).putFloat(-3e38f);            // b_f32
        b.putInt(-7);                                 // c_i32
        b.putShort((short) 0x3FC0).putShort((short) 0xC040); // d_bf16: 1.5, -3.0
        b.putShort((short) 0x3C00).putShort((short) 0xC100); // e_f16: 1.0, -2.5
        b.putShort((short) -300);                     // f_i16
        b.put((byte) 7).put((byte) 250);              // g_u8
        b.put((byte) -128).put((byte) 127);           // h_i8
        b.put((byte) 1).put((byte) 0).put((byte) 2);  // z_bool: any nonzero byte is true
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, b.array());

        var t = SafeTensors.load(file);
        assertEquals(List.of("a_f64", "b_f32", "c_i32", "d_bf16", "e_f16", "empty", "f_i16", "g_u8", "h_i8", "m_i64", "z_bool"),
                List.copyOf(t.keySet()), "name order, as Python's load_file gives");
        assertTensor(DType.FLOAT64, new int[0], new double[]{-0.125}, t.get("a_f64"));
        assertEquals(-(1L << 62) - 3, t.get("m_i64").toLongArray()[0]);
        assertArrayEquals(new int[]{1, 1}, t.get("m_i64").shape());
        assertTensor(DType.FLOAT32, new int[]{2}, new double[]{1.5, (double) -3e38f}, t.get("b_f32"));
        assertTensor(DType.INT32, new int[]{1}, new double[]{-7}, t.get("c_i32"));
        assertTensor(DType.BFLOAT16, new int[]{2}, new double[]{1.5, -3.0}, t.get("d_bf16"));
        assertTensor(DType.FLOAT16, new int[]{2, 1}, new double[]{1.0, -2.5}, t.get("e_f16"));
        assertTensor(DType.FLOAT32, new int[]{0, 4}, new double[0], t.get("empty"));
        assertTensor(DType.INT32, new int[]{1}, new double[]{-300}, t.get("f_i16"));
        assertTensor(DType.INT32, new int[]{2}, new double[]{7, 250}, t.get("g_u8"));
        assertTensor(DType.INT32, new int[]{2}, new double[]{-128, 127}, t.get("h_i8"));
        assertTensor(DType.BOOL, new int[]{3}, new double[]{1, 0, 1}, t.get("z_bool"));
        assertEquals(Map.of("format", "pt", "note", "café"), SafeTensors.metadata(file));
    }

    @Test void unsignedTypesWidenExactly() throws IOException {
        String header = "{\"u16\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"u32\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"u64\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 65535).putShort((short) 1).putInt(-1).putLong(Long.MAX_VALUE);
        Path file = SafeTensorsCorruptionTest.raw(dir, header, data.array());
        var t = SafeTensors.load(file);
        assertTensor(DType.INT32, new int[]{2}, new double[]{65535, 1}, t.get("u16"));
        assertEquals(DType.INT64, t.get("u32").dtype());
        assertEquals(4294967295L, t.get("u32").toLongArray()[0]);
        assertEquals(Long.MAX_VALUE, t.get("u64").toLongArray()[0]);
    }

    // ---------------------------------------------------------------- round trips

    private static Tensor sample(DType dtype, int... shape) {
        Tensor r = Tensor.randn(new Generator(shape.length * 31L + dtype.ordinal()), shape).mul(100);
        return switch (dtype) {
            case BOOL -> r.gt(0);
            case INT32, INT64 -> r.round().to(dtype);
            default -> r.to(dtype);
        };
    }

    @Test void everyDtypeAndShapeRoundTripsBitForBit() throws IOException {
        int[][] shapes = {{}, {0}, {5}, {2, 3}, {0, 3}, {2, 1, 3, 1}, {4, 0, 2}};
        Map<String, Tensor> saved = new LinkedHashMap<>();
        for (DType dtype : DType.values())
            for (int[] shape : shapes)
                saved.put(dtype + "/" + java.util.Arrays.toString(shape), sample(dtype, shape));
        saved.put("extremes.i64", Tensor.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE));
        saved.put("specials.f64", Tensor.of(Double.NaN, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE));
        saved.put("specials.f32", Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE));
        Path file = dir.resolve("all.safetensors");
        SafeTensors.save(saved, file);
        var loaded = SafeTensors.load(file);
        assertEquals(saved.keySet(), loaded.keySet());
        for (String k : saved.keySet()) assertSameTensor(saved.get(k), loaded.get(k));
    }

    @Test void largeTensorsCrossManyChunks() throws IOException {
        Tensor big = sample(DType.FLOAT64, 3 * ElementCodec.CHUNK / 8 + 17);
        Tensor odd = sample(DType.FLOAT16, ElementCodec.CHUNK / 2 + 3);
        Path file = dir.resolve("big.safetensors");
        SafeTensors.save(Map.of("big", big, "odd", odd), file);
        var loaded = SafeTensors.load(file);
        assertSameTensor(big, loaded.get("big"));
        assertSameTensor(odd, loaded.get("odd"));
    }

    @Test void nonContiguousTensorsAreWrittenAsTheirLogicalValues() throws IOException {
        Tensor base = Tensor.arange(24).view(2, 3, 4);
        Map<String, Tensor> views = new LinkedHashMap<>();
        views.put("transposed", base.transpose(0, 2));
        views.put("sliced", base.slice(2, 1, 4, 2));
        views.put("offset", base.select(0, 1));
        views.put("expanded", Tensor.of(1.5f, 2.5f).view(2, 1).expand(2, 3));
        views.put("graph", Tensor.of(1.0, 2.0).requiresGrad(true).mul(3));
        Path file = dir.resolve("views.safetensors");
        SafeTensors.save(views, file);
        var loaded = SafeTensors.load(file);
        for (var e : views.entrySet()) assertSameTensor(e.getValue().detach().contiguous(), loaded.get(e.getKey()));
        assertTrue(loaded.get("transposed").isContiguous());
        assertFalse(loaded.get("graph").requiresGrad());
    }

    @Test void tensorsAreLaidOutByAlignmentThenNameLikeTheReferenceWriter() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("b", Tensor.of(true));
        t.put("c", Tensor.of(1.0f));
        t.put("a", Tensor.of(1.0f));
        t.put("d", Tensor.of(2L));
        t.put("e", Tensor.of(1.0).to(DType.BFLOAT16));
        Path file = dir.resolve("order.safetensors");
        SafeTensors.save(t, file, Map.of("z", "1", "a", "2"));
        String header = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(header.contains("{\"__metadata__\":{\"a\":\"2\",\"z\":\"1\"},"
                + "\"d\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[12,16]},"
                + "\"e\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[16,18]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[18,19]}}"), header);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the data buffer starts 8-byte aligned");
    }

    @Test void metadataAndNamesKeepAnyUnicodeAndEscapes() throws IOException {
        Map<String, String> meta = Map.of("quote\"", "line\nbreak", "ключ", "значение 😀");
        Path file = dir.resolve("meta.safetensors");
        SafeTensors.save(Map.of("weight \"ü\"\t😀", Tensor.of(1, 2)), file, meta);
        assertEquals(meta, SafeTensors.metadata(file));
        assertEquals(List.of("weight \"ü\"\t😀"), List.copyOf(SafeTensors.load(file).keySet()));
    }

    @Test void refusesNamesAndValuesItCannotWrite() {
        Path file = dir.resolve("bad.safetensors");
        assertFileError(file, "reserves it for metadata", () -> SafeTensors.save(Map.of("__metadata__", Tensor.of(1)), file));
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        assertFileError(file, "tensor 'w' is null", () -> SafeTensors.save(withNull, file));
        Map<String, String> badMeta = new LinkedHashMap<>();
        badMeta.put("k", null);
        assertFileError(file, "metadata keys and values", () -> SafeTensors.save(Map.of(), file, badMeta));
        assertFalse(Files.exists(file));
    }

    @Test void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.save(Map.of("w", Tensor.of(1.0f)), file);
        SafeTensors.save(Map.of("v", Tensor.of(2.0f, 3.0f)), file);
        assertEquals(List.of("v"), List.copyOf(SafeTensors.load(file).keySet()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
