package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The caching allocator over the real driver, and the facade's device questions. Skipped where no GPU is present. */
@Tag("gpu")
class CudaMemoryGpuTest {
    private static final long MiB = 1 << 20;

    @BeforeEach
    void needsAGpu() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
    }

    @Test
    void theDeviceDescribesItself() {
        DeviceProperties p = Cuda.getDeviceProperties(0);
        assertFalse(p.name().isBlank());
        assertTrue(p.major() >= 7, p.toString());
        assertTrue(p.totalMemory() > 0);
        assertEquals(32, p.warpSize());
        MemInfo m = Cuda.memGetInfo(0);
        assertTrue(m.free() > 0 && m.free() <= m.total(), m.toString());
        assertTrue(Cuda.driverVersion() >= CudaProbe.MIN_DRIVER_VERSION);
        assertTrue(Cuda.report().startsWith("CUDA: available"), Cuda.report());
    }

    @Test
    void closingATensorReturnsItsBlockToTheCacheAndEmptyCacheToTheDriver() {
        Cuda.emptyCache();
        long allocated = Cuda.memoryAllocated(0);
        Tensor t = Tensor.zeros(new int[]{1000, 1000}, DType.FLOAT32, Device.CUDA);   // 4,000,000 bytes: large pool
        assertEquals(allocated + 4_000_256, Cuda.memoryAllocated(0), "rounded up to 512 bytes");
        long reserved = Cuda.memoryReserved(0);
        t.close();
        assertEquals(allocated, Cuda.memoryAllocated(0));
        assertEquals(reserved, Cuda.memoryReserved(0), "the block stays cached");
        assertTrue(Cuda.emptyCache() >= 20 * MiB);
        assertTrue(Cuda.memoryReserved(0) < reserved);
    }

    @Test
    void anImpossibleAllocationThrowsPyTorchsMessageAndTheSessionGoesOn() {
        long ooms = Cuda.memoryStats(0).get("num_ooms");
        long tooMuch = Cuda.getDeviceProperties(0).totalMemory() / 4 + 1;   // float32 elements: more bytes than the GPU has
        var e = assertThrows(CudaOutOfMemoryError.class,
                () -> Tensor.zeros(new int[]{(int) Math.min(Integer.MAX_VALUE, tooMuch)}, DType.FLOAT32, Device.CUDA));
        assertTrue(e.getMessage().startsWith("CUDA out of memory. Tried to allocate "), e.getMessage());
        assertEquals(ooms + 1, Cuda.memoryStats(0).get("num_ooms"));
        assertEquals(6.0, Tensor.ones(Device.CUDA, 2, 3).sum().item());
    }

    @Test
    void aLoopThatNeverClosesItsTensorsRunsInBoundedMemory() {
        Tensor w = Tensor.randn(Device.CUDA, 512, 512);
        long peak = 0;
        for (int step = 0; step < 3000; step++) {
            Tensor y = Tensor.randn(Device.CUDA, 512, 512).matmul(w).relu().sum();   // never closed
            if (step % 500 == 0) y.item();
            if (step == 500) peak = Cuda.memoryReserved(0);
        }
        Cuda.synchronize();
        assertTrue(Cuda.memoryReserved(0) <= Math.max(peak, 1) * 2 + 64 * MiB,
                "reserved " + Cuda.memoryReserved(0) + " bytes after 3000 steps, " + peak + " after 500");
    }

    @Test
    void theSummaryIsPyTorchsTable() {
        String s = Cuda.memorySummary(0);
        assertTrue(s.contains("|        Metric         | Cur Usage  | Peak Usage | Tot Alloc  | Tot Freed  |"), s);
        assertTrue(s.lines().allMatch(line -> line.length() == 77), s);
    }
}
