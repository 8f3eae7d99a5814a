package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TF32 is opt-in: float32 products are full float32 by default, and TF32 (10-bit mantissa inputs) only after
 * {@code Cuda.setAllowTf32(true)}. Needs an Ampere or newer GPU, the first with TF32 tensor cores.
 */
@Tag("gpu")
class CublasTf32GpuTest {
    private static final int N = 512;

    @BeforeEach
    void needsAnAmpereGpu() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
        assumeTrue(Cuda.getDeviceProperties(0).major() >= 8, "TF32 needs compute capability 8.0 or newer");
    }

    @AfterEach
    void off() { Cuda.setAllowTf32(false); }

    /** The largest error of the CUDA product of a and b against the CPU's float64 product, relative to its scale. */
    private static double relativeError(Tensor a, Tensor b) {
        double[] want = a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64)).toDoubleArray();
        float[] got = a.to(Device.CUDA).matmul(b.to(Device.CUDA)).toFloatArray();
        double worst = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return worst / scale;
    }

    @Test
    void float32ProductsAreFullPrecisionUnlessTf32IsAllowed() {
        Tensor a = Tensor.randn(N, N), b = Tensor.randn(N, N);
        assertFalse(Cuda.allowTf32());
        double full = relativeError(a, b);
        assertTrue(full < 1e-5, "float32 error " + full);
        Cuda.setAllowTf32(true);
        double tf32 = relativeError(a, b);
        assertTrue(tf32 < 5e-3, "TF32 error " + tf32 + " is within TF32's tolerance");
        assertTrue(tf32 > full * 4, "TF32 (" + tf32 + ") rounds visibly more than float32 (" + full + ")");
        Cuda.setAllowTf32(false);
        assertEquals(full, relativeError(a, b), "off again: the float32 result once more");
    }
}
