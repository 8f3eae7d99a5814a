package dev.gpush.cuda;

import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * On a machine without a usable GPU (every CI machine), CUDA answers every question instead of failing: it is not
 * available, says why, has no devices, and a CUDA tensor is refused with that reason.
 */
class CudaUnavailableTest {
    @Test
    void withoutTheDriverCudaIsUnavailableWithAReason() {
        assumeFalse(CudaLibraries.find().libraries().containsKey("libcuda.so.1"), "this machine has an NVIDIA driver");
        assertFalse(Cuda.isAvailable());
        assertTrue(Cuda.unavailableReason().startsWith("no driver: the NVIDIA driver's libcuda.so.1 was not found"),
                Cuda.unavailableReason());
        assertEquals(0, Cuda.deviceCount());
        assertEquals(0, Cuda.driverVersion());
    }

    @Test
    void everyQuestionHasAnAnswerWithoutAGpu() {
        assumeFalse(Cuda.isAvailable(), "this machine has a GPU");
        assertEquals(0, Cuda.memoryAllocated());
        assertEquals(0, Cuda.memoryReserved());
        assertEquals(0, Cuda.emptyCache());
        assertEquals(0L, Cuda.memoryStats().get("num_ooms"));
        assertTrue(Cuda.memorySummary().contains("Allocated memory"));
        assertTrue(Cuda.report().startsWith("CUDA: not available (" + Cuda.unavailableReason() + ")"), Cuda.report());
        assertTrue(Cuda.report().contains("libcudart.so.13"), Cuda.report());
        var e = assertThrows(IllegalStateException.class, () -> Cuda.deviceName(0));
        assertTrue(e.getMessage().contains(Cuda.unavailableReason()), e.getMessage());
        String selfTest = SelfTest.run(Device.CUDA).text();
        assertTrue(selfTest.contains("CUDA is not available"), selfTest);
    }

    @Test
    void aCudaTensorIsRefusedWithTheReason() {
        assumeFalse(Cuda.isAvailable(), "this machine has a GPU");
        var e = assertThrows(UnsupportedOperationException.class, () -> Tensor.randn(Device.CUDA, 2, 2));
        assertTrue(e.getMessage().startsWith("CUDA is not available: " + Cuda.unavailableReason()), e.getMessage());
        assertTrue(e.getMessage().endsWith("use Device.CPU"), e.getMessage());
    }
}
