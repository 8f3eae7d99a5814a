package dev.gpush.cuda;

import dev.gpush.backend.AdamStep;
import dev.gpush.backend.Backend;
import dev.gpush.cpu.CpuBackend;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused hooks of the CUDA backend are taken (they return true; the self test's values alone cannot tell a
 * fused kernel from the composite) and agree with the CPU's: softmax on both sides of CudaNorms.WARP_COLS, layer
 * norm's three gradients, and the Adam step to the bit. Skipped where no GPU is present.
 */
@Tag("gpu")
class CudaFusedGpuTest {
    private final Backend cpu = CpuBackend.INSTANCE;

    @BeforeEach
    void needsAGpu() { assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason()); }

    private static Tensor randn(long seed, int... shape) { return Tensor.randn(new Generator(seed), shape); }

    @Test
    void softmaxRunsFusedForShortAndLongRows() {
        Backend gpu = CudaBackend.of(0);
        for (int cols : new int[]{3, CudaNorms.WARP_COLS, CudaNorms.WARP_COLS + 1, 5000}) {
            Tensor x = randn(cols, 9, cols), want = Tensor.emptyLike(x), got = Tensor.empty(new int[]{9, cols},
                    DType.FLOAT32, Device.CUDA);
            assertTrue(cpu.softmax(want, x, true));
            assertTrue(gpu.softmax(got, x.cuda(), true), "log_softmax over rows of " + cols);
            assertClose(want, got.cpu(), 1e-5);
        }
    }

    @Test
    void layerNormBackwardRunsFusedWithItsThreeGradients() {
        Backend gpu = CudaBackend.of(0);
        int rows = 777, cols = 129;
        Tensor x = randn(1, rows, cols), w = randn(2, cols), g = randn(3, rows, cols);
        Tensor[] want = run(cpu, x, w, g), got = run(gpu, x.cuda(), w.cuda(), g.cuda());
        for (int i = 0; i < want.length; i++) assertClose(want[i], got[i].cpu(), 1e-4);
    }

    /** y, mean, rstd, gx, gw, gb on {@code b}. */
    private static Tensor[] run(Backend b, Tensor x, Tensor w, Tensor g) {
        int rows = x.size(0), cols = x.size(1);
        Tensor y = Tensor.emptyLike(x), gx = Tensor.emptyLike(x), gw = Tensor.emptyLike(w), gb = Tensor.emptyLike(w);
        Tensor mean = Tensor.empty(new int[]{rows}, DType.FLOAT64, x.device()), rstd = Tensor.emptyLike(mean);
        assertTrue(b.layerNorm(y, mean, rstd, x, w, null, 1e-5));
        assertTrue(b.layerNormBackward(gx, gw, gb, g, x, mean, rstd, w));
        return new Tensor[]{y, mean, rstd, gx, gw, gb};
    }

    @Test
    void adamStepRunsFusedAndEqualsTheCpuToTheBit() {
        Backend gpu = CudaBackend.of(0);
        int n = 100_003;
        Tensor[] c = {randn(1, n), randn(2, n), randn(3, n).square(), randn(4, n).square()};
        Tensor[] d = new Tensor[4];
        for (int i = 0; i < 4; i++) d[i] = c[i].cuda();
        for (int t = 1; t <= 3; t++) {
            AdamStep s = new AdamStep(1e-2, 0.9, 0.999, 1e-8, 0.01, t != 2, true, t == 3, t);
            Tensor g = randn(10 + t, n);
            assertTrue(cpu.adamStep(c[0], g, c[1], c[2], c[3], s));
            assertTrue(gpu.adamStep(d[0], g.cuda(), d[1], d[2], d[3], s));
        }
        for (int i = 0; i < 4; i++) assertArrayEquals(c[i].toDoubleArray(), d[i].cpu().toDoubleArray(), "tensor " + i);
    }

    private static void assertClose(Tensor want, Tensor got, double tol) {
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        assertEquals(w.length, g.length);
        for (int i = 0; i < w.length; i++)
            assertTrue(Math.abs(w[i] - g[i]) <= tol * (1 + Math.abs(w[i])), "element " + i + ": " + g[i] + ", want " + w[i]);
    }
}
