package dev.gpush.io;

import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.gpush.io.IoAssert.assertFileError;
import static org.junit.jupiter.api.Assertions.*;

/** Every way a safetensors file can be damaged gives a {@link TensorFileException} naming the file and the fault. */
class SafeTensorsCorruptionTest {
    @TempDir Path dir;
    private int files;

    /** A file of the given header length field, header text and data bytes. */
    static Path raw(Path dir, long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    static Path raw(Path dir, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(dir, h.length, h, data);
    }

    private Path withHeader(String header, int dataBytes) throws IOException {
        return raw(dir, header, new byte[dataBytes]);
    }

    private void assertLoadFails(Path file, String problem) {
        assertFileError(file, problem, () -> SafeTensors.load(file));
        assertFileError(file, problem, () -> SafeTensors.metadata(file));
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private Path valid() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}}));
        t.put("b", Tensor.of(7L, 8L));
        t.put("m", Tensor.of(true, false, true));
        Path file = dir.resolve("valid" + files++ + ".safetensors");
        SafeTensors.save(t, file, Map.of("format", "pt"));
        return file;
    }

    @Test void fileTooShortForTheLengthField() throws IOException {
        Path empty = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertLoadFails(empty, "file is 0 bytes, too short");
        Path five = Files.write(dir.resolve("five.safetensors"), new byte[5]);
        assertLoadFails(five, "file is 5 bytes, too short");
    }

    @Test void headerLengthBeyondTheFile() throws IOException {
        assertLoadFails(raw(dir, 1000, "{}".getBytes(), new byte[0]), "header length 1000 runs past the end of the file (10 bytes)");
        assertLoadFails(raw(dir, 1L << 40, "{}".getBytes(), new byte[0]), "exceeds the limit");
        assertLoadFails(raw(dir, -1, "{}".getBytes(), new byte[0]), "header length 18446744073709551615 exceeds the limit");
    }

    @Test void headerThatIsNotUtf8OrNotJson() throws IOException {
        assertLoadFails(raw(dir, 4, new byte[]{'{', (byte) 0xC3, '}', ' '}, new byte[0]), "header is not valid UTF-8");
        assertLoadFails(withHeader("{\"w\": {", 0), "header is not valid JSON: unexpected end of JSON");
        assertLoadFails(withHeader("{} trailing", 0), "header is not valid JSON");
        assertLoadFails(withHeader("{}\0\0\0\0\0\0", 0), "header is not valid JSON");
        assertLoadFails(withHeader("[1, 2]  ", 0), "header is not a JSON object");
    }

    @Test void duplicateKeys() throws IOException {
        assertLoadFails(withHeader("{" + tensor("w", "F32", "[1]", 0, 4) + "," + tensor("w", "F32", "[1]", 4, 8) + "}", 8),
                "duplicate key \"w\"");
    }

    @Test void unknownOrUnsupportedDtypes() throws IOException {
        assertLoadFails(withHeader("{" + tensor("w", "F33", "[1]", 0, 4) + "}", 4), "tensor 'w' has unknown dtype \"F33\"");
        assertLoadFails(withHeader("{" + tensor("w", "float32", "[1]", 0, 4) + "}", 4), "unknown dtype \"float32\"");
        assertLoadFails(withHeader("{" + tensor("w", "F8_E4M3", "[1]", 0, 1) + "}", 1),
                "tensor 'w' has dtype F8_E4M3, which gpush cannot hold");
        assertLoadFails(withHeader("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has no string \"dtype\"");
    }

    @Test void malformedTensorEntries() throws IOException {
        assertLoadFails(withHeader("{\"w\": 5}", 0), "tensor 'w' is not a JSON object");
        assertLoadFails(withHeader("{" + tensor("w", "F32", "[-1]", 0, 4) + "}", 4), "\"shape\": [-1], expected an array of non-negative integers");
        assertLoadFails(withHeader("{" + tensor("w", "F32", "[1.5]", 0, 4) + "}", 4), "expected an array of non-negative integers");
        assertLoadFails(withHeader("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "has no \"shape\"");
        assertLoadFails(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4),
                "expected an array of 2 non-negative integers");
        assertLoadFails(withHeader("{\"__metadata__\":{\"epoch\":3}}", 0), "__metadata__ must map strings to strings, but \"epoch\" holds 3");
        assertLoadFails(withHeader("{\"__metadata__\":[\"a\"]}", 0), "__metadata__ is not a JSON object");
    }

    @Test void offsetsThatDoNotMatchShapeTimesItemSize() throws IOException {
        assertLoadFails(withHeader("{" + tensor("w", "F32", "[2,3]", 0, 20) + "}", 20),
                "tensor 'w' has data_offsets [0, 20] (20 bytes) but dtype F32 and shape [2, 3] need 24 bytes");
        assertLoadFails(withHeader("{" + tensor("w", "F32", "[1]", 8, 4) + "}", 8), "end before they begin");
    }

    @Test void tensorsTooLargeForACpuTensor() throws IOException {
        assertLoadFails(withHeader("{" + tensor("w", "BOOL", "[65536,65536]", 0, 1L << 32) + "}", 0),
                "more than 2147483647 elements");
    }

    @Test void overlappingOffsets() throws IOException {
        assertLoadFails(withHeader("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensors 'a' (bytes [0, 8]) and 'b' (bytes [4, 12]) overlap");
        assertLoadFails(withHeader("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 0, 8) + "}", 8),
                "overlap");
    }

    @Test void gapsAndUncoveredBytes() throws IOException {
        assertLoadFails(withHeader("{" + tensor("a", "F32", "[1]", 4, 8) + "}", 8),
                "bytes [0, 4] of the data buffer belong to no tensor");
        assertLoadFails(withHeader("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12),
                "bytes [4, 8] of the data buffer belong to no tensor");
        assertLoadFails(withHeader("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 7),
                "the data buffer is 7 bytes but the tensors cover 4: 3 trailing bytes belong to no tensor");
    }

    @Test void offsetsOutOfRange() throws IOException {
        assertLoadFails(withHeader("{" + tensor("a", "F32", "[4]", 0, 16) + "}", 10),
                "tensor 'a' has data_offsets [0, 16] beyond the end of the data buffer (10 bytes)");
    }

    @Test void uint64ValuesBeyondInt64() throws IOException {
        byte[] data = new byte[8];
        Arrays.fill(data, (byte) 0xFF);
        Path file = withHeader("{" + tensor("u", "U64", "[1]", 0, 8) + "}", 0);
        Files.write(file, data, java.nio.file.StandardOpenOption.APPEND);
        assertFileError(file, "tensor 'u': uint64 value 18446744073709551615 (element 0) does not fit in int64",
                () -> SafeTensors.load(file));
    }

    @Test void everyTruncationOfAValidFileIsAnError() throws IOException {
        Path good = valid();
        byte[] bytes = Files.readAllBytes(good);
        assertEquals(3, SafeTensors.load(good).size());
        Path cut = dir.resolve("cut.safetensors");
        for (int n = 0; n < bytes.length; n++) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            assertThrows(TensorFileException.class, () -> SafeTensors.load(cut), "a file cut to " + n + " bytes");
        }
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 1));
        assertLoadFails(cut, "beyond the end of the data buffer");
    }

    @Test void damagedHeaderBytesNeverCrashTheReader() throws IOException {
        Path good = valid();
        byte[] bytes = Files.readAllBytes(good);
        long headerEnd = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path damaged = dir.resolve("damaged.safetensors");
        for (int i = 0; i < headerEnd; i++) {
            for (int flip : new int[]{0x01, 0x80, 0xFF}) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) flip;
                Files.write(damaged, copy);
                try {
                    SafeTensors.load(damaged);
                } catch (TensorFileException expected) {
                    assertTrue(expected.getMessage().startsWith(damaged.toString()));
                } catch (Exception other) {
                    fail("byte " + i + " ^ " + flip + " gave " + other, other);
                }
            }
        }
    }

    @Test void missingFileIsAnIoErrorNamingIt() {
        Path missing = dir.resolve("nope.safetensors");
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> SafeTensors.load(missing));
        assertTrue(e.getMessage().contains("nope.safetensors"));
    }
}
