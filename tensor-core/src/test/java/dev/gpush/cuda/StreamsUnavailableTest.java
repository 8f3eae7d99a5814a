package dev.gpush.cuda;

import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Streams, events, NVML and TF32 on a machine without a usable GPU: every question is refused with
 * {@link Cuda#unavailableReason()} (or NVML's reason), nothing loads a CUDA class, and the session goes on.
 */
class StreamsUnavailableTest {
    @BeforeEach
    void needsAMachineWithoutCuda() {
        assumeFalse(Cuda.isAvailable(), "this machine has a GPU");
    }

    private static void refusedWithTheReason(org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(IllegalStateException.class, call);
        assertEquals("CUDA is not available: " + Cuda.unavailableReason(), e.getMessage());
    }

    @Test
    void streamsAreRefusedWithTheReason() {
        refusedWithTheReason(CudaStream::new);
        refusedWithTheReason(() -> new CudaStream(0, -1));
        refusedWithTheReason(Cuda::currentStream);
        refusedWithTheReason(Cuda::defaultStream);
        refusedWithTheReason(() -> Cuda.setStream(CudaStream.of(0, 0x1000, 0, null)));
        var e = assertThrows(IllegalArgumentException.class, () -> new CudaStream(0, 3));
        assertEquals("stream priority must be 0 (normal) or -1 (high), got 3", e.getMessage());
        assertEquals(6.0, Tensor.ones(2, 3).sum().item(), "the session goes on");
    }

    @Test
    void anEventIsMadeWithoutTheDriverButRecordingIsRefused() {
        CudaEvent start = new CudaEvent(true), end = new CudaEvent(true);
        assertTrue(start.isTiming());
        assertFalse(start.isRecorded());
        assertTrue(start.query(), "an event never recorded counts as complete");
        start.synchronize();
        refusedWithTheReason(start::record);
        var e = assertThrows(IllegalStateException.class, () -> start.elapsedTime(end));
        assertEquals("elapsedTime needs both events recorded first (the start event was not)", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new CudaEvent().elapsedTime(end));
        assertEquals("elapsedTime needs both events made with timing: new CudaEvent(true)", e.getMessage());
    }

    @Test
    void nvmlIsNotAvailableAndSaysWhy() {
        assertFalse(Nvml.isAvailable());
        assertNotNull(Nvml.unavailableReason());
        var e = assertThrows(IllegalStateException.class, () -> Nvml.usage(0));
        assertEquals("NVML not available: " + Nvml.unavailableReason(), e.getMessage());
        assertThrows(IllegalStateException.class, Nvml::driverVersion);
    }

    @Test
    void recordStreamNeedsACudaTensor() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Cuda.recordStream(Tensor.ones(2), CudaStream.of(0, 0x1000, 0, null)));
        assertEquals("recordStream: the tensor is on cpu, not on a CUDA device", e.getMessage());
    }

    @Test
    void tf32IsOffUntilAskedFor() {
        assertFalse(Cuda.allowTf32(), "float32 products are full float32 by default, as in PyTorch");
        try {
            Cuda.setAllowTf32(true);
            assertTrue(Cuda.allowTf32());
        } finally {
            Cuda.setAllowTf32(false);
        }
    }
}
