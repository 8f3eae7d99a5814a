package dev.gpush.cuda;

import dev.gpush.nn.F;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The indexing ops (gather, scatter, indexSelect, indexAdd, nonzero) and unfold2d/fold on CUDA against the CPU
 * backend, beyond SelfTestChecks: the out-of-bounds error, compare-and-swap accumulation into neighbouring 16-bit
 * and bool elements, nonzero over many chunks, and windows over non-contiguous views. Skipped without a GPU.
 */
@Tag("gpu")
class CudaIndexingGpuTest {
    @BeforeEach
    void needsAGpu() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
    }

    private static Tensor randn(long seed, int... shape) { return Tensor.randn(new Generator(seed), shape); }

    private static Tensor index(long seed, int high, int... shape) { return Tensor.randint(new Generator(seed), 0, high, shape); }

    /** {@code f} on the CPU and on CUDA (inputs moved there) agree within {@code tol} relative to 1 + |want|. */
    private static void agrees(double tol, Function<Device, Tensor> f) {
        double[] want = f.apply(Device.CPU).toDoubleArray();
        Tensor t = f.apply(Device.CUDA);
        assertEquals(Device.CUDA, t.device());
        double[] got = t.toDoubleArray();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++)
            assertTrue(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), "element " + i + ": " + got[i] + ", want " + want[i]);
    }

    @Test
    void anIndexOutOfBoundsThrowsTheCpusErrorAndTheDeviceStaysUsable() {
        Tensor a = randn(1, 5, 4).cuda(), bad = Tensor.of(1L, 7L, 2L).cuda();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.indexSelect(0, bad));
        assertEquals("index 7 is out of bounds for dimension 0 with size 5", e.getMessage());
        Tensor neg = Tensor.of(-1L, 0L, 0L, 0L).reshape(1, 4).cuda();
        assertThrows(IndexOutOfBoundsException.class, () -> a.gather(1, neg));
        assertThrows(IndexOutOfBoundsException.class, () -> a.scatter(0, bad.reshape(3, 1), randn(2, 3, 1).cuda()));
        assertThrows(IndexOutOfBoundsException.class, () -> a.indexAdd(0, bad, randn(3, 3, 4).cuda()));
        assertArrayEquals(a.cpu().indexSelect(0, bad.cpu().clamp(0, 4)).toDoubleArray(),
                a.indexSelect(0, bad.clamp(0, 4)).toDoubleArray());
    }

    @Test
    void indexAddIntoNeighbouringHalfAndBoolElementsLosesNoUpdate() {
        // 1000 adds of 1 into each of 2 adjacent float16 elements (one 32-bit word): exact in float16
        int n = 2000;
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = i % 2;
        Tensor ix = Tensor.of(idx).cuda();
        for (DType dt : new DType[]{DType.FLOAT16, DType.BFLOAT16, DType.INT32}) {
            Tensor r = Tensor.zeros(new int[]{4}, dt, Device.CUDA).indexAdd(0, ix, Tensor.ones(new int[]{n}, dt, Device.CUDA));
            double want = dt == DType.BFLOAT16 ? 256 : 1000;   // bfloat16 stops counting at 256 (256 + 1 rounds to 256)
            assertArrayEquals(new double[]{want, want, 0, 0}, r.toDoubleArray(), dt.toString());
        }
        Tensor flags = Tensor.zeros(new int[]{8}, DType.BOOL, Device.CUDA)
                .indexAdd(0, Tensor.of(1L, 2L, 2L, 5L).cuda(), Tensor.ones(new int[]{4}, DType.BOOL, Device.CUDA));
        assertArrayEquals(new double[]{0, 1, 1, 0, 0, 1, 0, 0}, flags.toDoubleArray());
    }

    @Test
    void embeddingBackwardOfManyTokensAgrees() {
        agrees(1e-4, d -> {
            Tensor table = randn(1, 1000, 64).to(d).requiresGrad(true);
            F.embedding(index(2, 1000, 64, 300).to(d), table).sum(2).pow(2).sum().backward();
            return table.grad();
        });
        agrees(0, d -> Tensor.zeros(new int[]{50, 3}, DType.INT64, d)
                .indexAdd(0, index(3, 50, 100_000).to(d), Tensor.randint(new Generator(4), -9, 9, 100_000, 3).to(d)));
    }

    @Test
    void scatterAndGatherAgreeOnViewsAndEveryDtype() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT32, DType.INT64}) {
            agrees(0, d -> randn(1, 6, 40, 5).mul(9).to(d, dt).permute(2, 0, 1)
                    .scatter(2, index(2, 40, 5, 6, 70).to(d), randn(3, 5, 6, 80).mul(9).to(d, dt)));
            agrees(0, d -> randn(4, 6, 40, 5).mul(9).to(d, dt).scatterAdd(1, index(5, 40, 6, 90, 5).to(d),
                    randn(6, 6, 90, 5).mul(9).to(d, dt)).to(DType.FLOAT64));
            agrees(0, d -> randn(7, 30, 8).to(d, dt).t().gather(1, index(8, 30, 8, 55).to(d)));
        }
    }

    @Test
    void nonzeroOverManyChunksKeepsRowMajorOrder() {
        agrees(0, d -> randn(1, 300, 1001).to(d).gt(1.5).nonzero());
        agrees(0, d -> randn(2, 40, 50, 3).to(d).permute(2, 0, 1).lt(-1).nonzero());
        agrees(0, d -> Tensor.randint(new Generator(3), 0, 2, 7, 1, 9).to(d).int_().nonzero());
    }

    @Test
    void unfoldAndFoldAgreeOnViewsInBothFloatTypes() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            agrees(0, d -> F.unfold(randn(1, 3, 2, 13, 10).to(d, dt).transpose(0, 1), new int[]{3, 4}, new int[]{2, 1},
                    new int[]{1, 2}, new int[]{2, 3}));
            agrees(0, d -> F.fold(randn(2, 2, 3 * 3 * 3, 5 * 4).to(d, dt).transpose(1, 2).contiguous().transpose(1, 2),
                    new int[]{11, 9}, new int[]{3, 3}, new int[]{2, 1}, new int[]{1, 0}, new int[]{2, 2}));
        }
    }
}
