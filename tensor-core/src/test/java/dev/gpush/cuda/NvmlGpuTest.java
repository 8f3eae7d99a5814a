package dev.gpush.cuda;

import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** NVML on a real GPU: the driver's version and each figure {@code %device} shows. */
@Tag("gpu")
class NvmlGpuTest {
    @Test
    void nvmlReportsTheDriverAndWhatTheGpuIsDoing() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
        assertTrue(Nvml.isAvailable(), () -> "the driver brings NVML, yet: " + Nvml.unavailableReason());
        assertTrue(Nvml.driverVersion().matches("\\d+\\.\\d+(\\.\\d+)?"), Nvml.driverVersion());
        try (Tensor t = Tensor.ones(Device.cuda(0), 1 << 20)) {   // this process holds a context and memory
            DeviceUsage u = Nvml.usage(0);
            assertTrue(u.gpuPercent() >= 0 && u.gpuPercent() <= 100, u.toString());
            assertTrue(u.memoryPercent() >= 0 && u.memoryPercent() <= 100, u.toString());
            assertTrue(u.temperatureC() > 0 && u.temperatureC() < 120, u.toString());
            assertTrue(u.powerWatts() > 0 && u.powerLimitWatts() > 0, u.toString());
            assertNotNull(u.processes());
            assertTrue(Cuda.report().contains("driver " + Nvml.driverVersion() + " supports CUDA"), Cuda.report());
        }
    }
}
