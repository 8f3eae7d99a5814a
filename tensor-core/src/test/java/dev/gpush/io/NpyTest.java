package dev.gpush.io;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.gpush.io.IoAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * .npy files against files NumPy wrote (src/test/resources/io/make_fixtures.py): what they load as, and that
 * {@link Npy#save} writes the same bytes. Damaged files give errors naming the file and the fault.
 */
class NpyTest {
    @TempDir Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/io/npy/" + name + ".npy").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing fixture " + name + ".npy", e);
        }
    }

    private static Tensor load(String name) throws IOException { return Npy.load(fixture(name)); }

    // ---------------------------------------------------------------- NumPy's files

    @Test void loadsEveryDtypeGpushHas() throws IOException {
        assertTensor(DType.FLOAT32, new int[]{2, 3}, new double[]{-1, -0.5, 0, 0.5, 1, 1.5}, load("f4_2x3"));
        assertTensor(DType.FLOAT64, new int[]{6}, new double[]{Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -0.0, 1e-300, 1.5}, load("f8_special"));
        assertTensor(DType.FLOAT16, new int[]{5}, new double[]{1, -2.5, 65504, Math.pow(2, -24),
                Double.POSITIVE_INFINITY}, load("f2_values"));
        Tensor i8 = load("i8_extremes");
        assertEquals(DType.INT64, i8.dtype());
        assertArrayEquals(new long[]{Long.MIN_VALUE, -1, 0, 1L << 62, Long.MAX_VALUE}, i8.toLongArray());
        assertTensor(DType.INT32, new int[]{2, 2}, new double[]{Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE}, load("i4_2x2"));
        assertTensor(DType.BOOL, new int[]{3}, new double[]{1, 0, 1}, load("b1"));
    }

    @Test void loadsZeroDimAndEmptyArrays() throws IOException {
        assertTensor(DType.FLOAT32, new int[0], new double[]{3.25}, load("scalar_f4"));
        assertTensor(DType.FLOAT32, new int[]{0, 3}, new double[0], load("empty_0x3_f4"));
    }

    /** gpush has no 8/16-bit or unsigned integers: they widen to int32 (int64 for uint32/uint64) with exact values. */
    @Test void narrowAndUnsignedIntegersWidenExactly() throws IOException {
        assertTensor(DType.INT32, new int[]{3}, new double[]{0, 200, 255}, load("u1"));
        assertTensor(DType.INT32, new int[]{3}, new double[]{-128, -1, 127}, load("i1"));
        assertTensor(DType.INT32, new int[]{3}, new double[]{-32768, 5, 32767}, load("i2"));
        assertTensor(DType.INT32, new int[]{3}, new double[]{0, 40000, 65535}, load("u2"));
        assertTensor(DType.INT64, new int[]{3}, new double[]{0, 3000000000L, 4294967295L}, load("u4"));
        assertArrayEquals(new long[]{0, Long.MAX_VALUE}, load("u8_small").toLongArray());
        assertFileError(fixture("u8_too_big"), "uint64 value 18446744073709551615 (element 1) does not fit in int64",
                () -> load("u8_too_big"));
    }

    @Test void fortranOrderLoadsAsTheSameLogicalArray() throws IOException {
        double[] arange24 = new double[24];
        for (int i = 0; i < 24; i++) arange24[i] = i;
        Tensor f = load("fortran_f8_2x3x4");
        assertTensor(DType.FLOAT64, new int[]{2, 3, 4}, arange24, f);
        assertTrue(f.isContiguous());
        assertTensor(DType.INT32, new int[]{3, 2}, new double[]{0, 1, 2, 3, 4, 5}, load("fortran_i4_3x2"));
    }

    @Test void bigEndianDataIsConverted() throws IOException {
        assertTensor(DType.FLOAT32, new int[]{3, 2}, new double[]{-2.5, -1.5, -0.5, 0.5, 1.5, 2.5}, load("big_endian_f4_3x2"));
        assertArrayEquals(new long[]{-2, 1, 1L << 40}, load("big_endian_i8").toLongArray());
        assertTensor(DType.FLOAT64, new int[]{2}, new double[]{0.1, -1e300}, load("big_endian_f8"));
    }

    @Test void readsFormatVersionsTwoAndThree() throws IOException {
        assertTensor(DType.FLOAT32, new int[]{4}, new double[]{0, 1, 2, 3}, load("version2_f4"));
        assertTensor(DType.INT32, new int[]{4}, new double[]{0, 1, 2, 3}, load("version3_i4"));
    }

    @Test void refusesDtypesGpushCannotHoldNamingThem() {
        assertFileError(fixture("complex64"), "unsupported dtype descr '<c8' (complex numbers)", () -> load("complex64"));
        assertFileError(fixture("unicode"), "unsupported dtype descr '<U2' (strings)", () -> load("unicode"));
    }

    // ---------------------------------------------------------------- saving

    private void assertSavesLikeNumpy(String fixture, Tensor t) throws IOException {
        Path file = dir.resolve(fixture + ".npy");
        Npy.save(t, file);
        assertArrayEquals(Files.readAllBytes(fixture(fixture)), Files.readAllBytes(file), fixture);
    }

    @Test void savesTheSameBytesAsNumpy() throws IOException {
        assertSavesLikeNumpy("f4_2x3", Tensor.of(new float[][]{{-1, -0.5f, 0}, {0.5f, 1, 1.5f}}));
        assertSavesLikeNumpy("f8_special", Tensor.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-300, 1.5));
        assertSavesLikeNumpy("f2_values", Tensor.of(1.0, -2.5, 65504, Math.pow(2, -24), Double.POSITIVE_INFINITY).to(DType.FLOAT16));
        assertSavesLikeNumpy("i8_extremes", Tensor.of(Long.MIN_VALUE, -1L, 0L, 1L << 62, Long.MAX_VALUE));
        assertSavesLikeNumpy("i4_2x2", Tensor.of(new int[][]{{Integer.MIN_VALUE, -7}, {0, Integer.MAX_VALUE}}));
        assertSavesLikeNumpy("b1", Tensor.of(true, false, true));
        assertSavesLikeNumpy("scalar_f4", Tensor.scalar(3.25, DType.FLOAT32));
        assertSavesLikeNumpy("empty_0x3_f4", Tensor.zeros(0, 3));
        // a transposed view is written as its logical values, in C order
        assertSavesLikeNumpy("f4_2x3", Tensor.of(new float[][]{{-1, 0.5f}, {-0.5f, 1}, {0, 1.5f}}).t());
    }

    @Test void everySavableDtypeAndShapeRoundTrips() throws IOException {
        int[][] shapes = {{}, {0}, {7}, {2, 3}, {3, 0, 2}, {1, 2, 1, 3}};
        Path file = dir.resolve("rt.npy");
        for (DType dtype : DType.values()) {
            if (dtype == DType.BFLOAT16) continue;
            for (int[] shape : shapes) {
                Tensor r = Tensor.randn(new Generator(dtype.ordinal()), shape).mul(1000);
                Tensor t = dtype == DType.BOOL ? r.gt(0) : dtype.isFloatingPoint() ? r.to(dtype) : r.round().to(dtype);
                Npy.save(t, file);
                assertSameTensor(t, Npy.load(file));
            }
        }
    }

    @Test void largeArraysCrossManyChunks() throws IOException {
        Tensor big = Tensor.randn(new Generator(5), 2 * ElementCodec.CHUNK / 4 + 3, 3).permute(1, 0);
        Path file = dir.resolve("big.npy");
        Npy.save(big, file);
        assertSameTensor(big.contiguous(), Npy.load(file));
    }

    @Test void bfloat16IsRefusedWithTheWayOut() {
        Path file = dir.resolve("bf.npy");
        assertFileError(file, "NumPy has no bfloat16 dtype. Save tensor.float() (exact), or use SafeTensors",
                () -> Npy.save(Tensor.of(1.0f).to(DType.BFLOAT16), file));
        assertFalse(Files.exists(file));
    }

    @Test void headersTooLongForVersionOneUseVersionTwo() throws IOException {
        int[] shape = new int[25_000];
        Arrays.fill(shape, 1);
        byte[] header = NpyHeader.encode("<f4", shape);
        assertEquals(2, header[6], "major version");
        assertEquals(0, header.length % NpyHeader.ALIGN);
        Path file = dir.resolve("v2.npy");
        Files.write(file, ByteBuffer.allocate(header.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(header).putFloat(2.5f).array());
        Tensor t = Npy.load(file);
        assertEquals(25_000, t.dim());
        assertEquals(2.5, t.item());
    }

    // ---------------------------------------------------------------- damaged files

    /** A version 1.0 file with the given header text (padded as NumPy pads it) and data. */
    private Path npy(String header, byte[] data) throws IOException {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        Path file = Files.createTempFile(dir, "bad", ".npy");
        Files.write(file, b.array());
        return file;
    }

    private void assertNpyFails(Path file, String problem) {
        assertFileError(file, problem, () -> Npy.load(file));
    }

    @Test void corruptPreambles() throws IOException {
        assertNpyFails(Files.write(dir.resolve("short.npy"), new byte[]{(byte) 0x93, 'N'}), "file is 2 bytes, too short");
        assertNpyFails(Files.write(dir.resolve("magic.npy"), "PK\3\4 not numpy at all".getBytes()), "not an .npy file");
        byte[] v4 = Files.readAllBytes(fixture("f4_2x3"));
        v4[6] = 4;
        assertNpyFails(Files.write(dir.resolve("v4.npy"), v4), "unsupported .npy format version 4.0");
        byte[] longHeader = Files.readAllBytes(fixture("f4_2x3"));
        longHeader[8] = (byte) 0xFF;
        longHeader[9] = (byte) 0x7F;
        assertNpyFails(Files.write(dir.resolve("len.npy"), longHeader), "header length 32767 runs past the end of the file");
    }

    @Test void corruptHeaders() throws IOException {
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", new byte[8]), "corrupt header");
        assertNpyFails(npy("__import__('os').system('rm -rf /')", new byte[0]), "corrupt header");
        assertNpyFails(npy("(1, 2)", new byte[0]), "header is not a dict");
        assertNpyFails(npy("{'descr': '<f4', 'shape': (2,), }", new byte[8]), "exactly the keys");
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", new byte[8]), "exactly the keys");
        assertNpyFails(npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", new byte[8]), "duplicate key descr");
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", new byte[8]), "'fortran_order' must be True or False");
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", new byte[8]), "'shape' must be a tuple");
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", new byte[8]), "non-negative integers");
        assertNpyFails(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", new byte[8]), "structured");
        assertNpyFails(npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", new byte[16]), "Python objects (pickled)");
        assertNpyFails(npy("{'descr': '=f4', 'fortran_order': False, 'shape': (2,)}", new byte[8]), "does not state a byte order");
        assertNpyFails(npy("{'descr': '<f16', 'fortran_order': False, 'shape': (2,)}", new byte[32]), "a floating-point width");
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (70000, 70000)}", new byte[0]), "more than 2147483647 elements");
    }

    @Test void acceptsWhatNumpyAcceptsInAHeader() throws IOException {
        Tensor t = Npy.load(npy("{\"shape\": (2L,), \"fortran_order\": True, \"descr\": \"<i2\"}", new byte[]{5, 0, -1, -1}));
        assertTensor(DType.INT32, new int[]{2}, new double[]{5, -1}, t);
        Path trailing = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", new byte[]{9, 1, 2, 3});
        assertTensor(DType.INT32, new int[]{1}, new double[]{9}, Npy.load(trailing)); // np.load ignores what follows
    }

    @Test void truncatedDataNamesTheSizes() throws IOException {
        assertNpyFails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]),
                "file is truncated: an array of shape [2, 3] and dtype '<f4' needs 24 bytes of data but 20 follow the header");
    }

    @Test void everyTruncationOfANumpyFileIsAnError() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("fortran_f8_2x3x4"));
        Path cut = dir.resolve("cut.npy");
        for (int n = 0; n < bytes.length; n++) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            assertThrows(TensorFileException.class, () -> Npy.load(cut), "a file cut to " + n + " bytes");
        }
    }

    @Test void damagedHeaderBytesNeverCrashTheReader() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("f4_2x3"));
        Path damaged = dir.resolve("damaged.npy");
        for (int i = 0; i < 128; i++) {
            for (int flip : new int[]{0x01, 0x80, 0xFF}) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) flip;
                Files.write(damaged, copy);
                try {
                    Npy.load(damaged);
                } catch (TensorFileException expected) {
                    assertTrue(expected.getMessage().startsWith(damaged.toString()));
                } catch (Exception other) {
                    fail("byte " + i + " ^ " + flip + " gave " + other, other);
                }
            }
        }
    }
}
