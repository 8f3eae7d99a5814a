package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Note [contiguous kernels]: which ops take the vectorised path, where its vectors start, and its grid. */
class CudaContiguousTest {
    private static final long BASE = 0x7f00_0000_0000L;   // a 512-byte aligned device address

    @Test
    void contiguousOperandsOfOneDtypeTakeThePathAndScalarsAreReadOnce() {
        // out [4, 5] contiguous, a contiguous, b a wrapped number broadcast (stride 0 everywhere)
        Layout l = Layout.of(new int[]{4, 5}, new int[]{5, 1}, new int[]{5, 1}, new int[]{0, 0});
        assertArrayEquals(new int[]{1, 0}, CudaContiguous.steps(l, DType.FLOAT32, DType.FLOAT32, DType.FLOAT32));
        Layout scalar = Layout.of(new int[0], new int[0], new int[0]);
        assertArrayEquals(new int[]{1}, CudaContiguous.steps(scalar, DType.FLOAT16, DType.FLOAT16));
    }

    @Test
    void stridedOperandsAndMixedDtypesTakeTheStridedKernels() {
        Layout transposed = Layout.of(new int[]{3, 4}, new int[]{4, 1}, new int[]{1, 3});
        assertNull(CudaContiguous.steps(transposed, DType.FLOAT32, DType.FLOAT32));
        Layout everyOther = Layout.of(new int[]{8}, new int[]{1}, new int[]{2});
        assertNull(CudaContiguous.steps(everyOther, DType.FLOAT32, DType.FLOAT32));
        Layout row = Layout.of(new int[]{3, 4}, new int[]{4, 1}, new int[]{0, 1});   // a broadcast row is not a scalar
        assertNull(CudaContiguous.steps(row, DType.FLOAT32, DType.FLOAT32));
        Layout flat = Layout.of(new int[]{8}, new int[]{1}, new int[]{1});
        assertNull(CudaContiguous.steps(flat, DType.BOOL, DType.FLOAT32), "a comparison's bool out");
        assertNull(CudaContiguous.steps(flat, DType.FLOAT32, DType.FLOAT16), "a cast");
    }

    @Test
    void alignedOperandsStartWithVectorsAtOnce() {
        long[] f = CudaContiguous.flat(1003, 4, BASE, new long[]{BASE + 4096, BASE + 8192}, new int[]{1, 1});
        assertEquals(1003, f[0]);
        assertEquals(0, f[1], "no element before the first vector");
        assertEquals(BASE, f[2]);
        assertArrayEquals(new long[]{BASE + 4096, BASE + 8192, 0}, java.util.Arrays.copyOfRange(f, 3, 6));
        assertArrayEquals(new long[]{1, 1, 0}, java.util.Arrays.copyOfRange(f, 6, 9));
    }

    @Test
    void operandsMisalignedAlikeDoAHeadThenVectors() {
        // float32 slices starting at element 1 everywhere: 12 bytes to the boundary, 3 elements
        assertEquals(3, CudaContiguous.head(100, 4, BASE + 4, new long[]{BASE + 4}, new int[]{1}));
        // float16 at element 3: 10 bytes, 5 elements; a scalar input does not count
        assertEquals(5, CudaContiguous.head(100, 2, BASE + 6, new long[]{BASE + 6, BASE + 2}, new int[]{1, 0}));
        // float64 at element 1
        assertEquals(1, CudaContiguous.head(100, 8, BASE + 8, new long[]{BASE + 24}, new int[]{1}));
        assertEquals(2, CudaContiguous.head(2, 4, BASE + 4, new long[]{BASE + 4}, new int[]{1}), "never past n");
    }

    @Test
    void operandsMisalignedDifferentlyGoElementByElement() {
        // a slice at element 1 added into a fresh tensor: no element puts both on a boundary
        assertEquals(1000, CudaContiguous.head(1000, 4, BASE, new long[]{BASE + 4, BASE + 4}, new int[]{1, 1}));
    }

    @Test
    void theGridCoversTheWorkUpToBlocksPerMultiprocessor() {
        long[] tiny = CudaContiguous.flat(1, 4, BASE, new long[]{BASE}, new int[]{1});
        assertEquals(1, CudaContiguous.blocks(tiny, DType.FLOAT32, 132));
        long[] mid = CudaContiguous.flat(4 * 256 * 1024 + 3, 4, BASE, new long[]{BASE}, new int[]{1});
        assertEquals(1024, CudaContiguous.blocks(mid, DType.FLOAT32, 132), "one float4 a thread");
        long[] alone = CudaContiguous.flat(4096 * 256, 4, BASE, new long[]{BASE + 4}, new int[]{1});
        assertEquals(4096, CudaContiguous.blocks(alone, DType.FLOAT32, 132), "one element a thread");
        long[] huge = CudaContiguous.flat(1L << 26, 4, BASE, new long[]{BASE, BASE}, new int[]{1, 1});
        assertEquals(CudaContiguous.BLOCKS_PER_SM * 132, CudaContiguous.blocks(huge, DType.FLOAT32, 132));
    }

    @Test
    void everyDtypeHasItsKernels() {
        for (DType d : DType.values())
            for (String kind : new String[]{"unary_contig_", "binary_contig_", "fill_contig_"})
                assertEquals(KernelFile.ELEMENTWISE, KernelFile.defining(kind + CudaContiguous.suffix(d)), kind + d);
        assertEquals(KernelFile.ELEMENTWISE, KernelFile.defining("copy_contig"));
    }
}
