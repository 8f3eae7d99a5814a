package dev.gpush.cuda;

import dev.gpush.cpu.CpuStorage;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Streams and events on a real GPU: work is ordered on the current stream, and events order and time it. */
@Tag("gpu")
class StreamsGpuTest {
    @BeforeEach
    void needsAGpu() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
    }

    /** A few hundred kernels, enough that the stream is still busy when the host asks. */
    private static Tensor busyWork(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < 200; i++) y = y.mul(1.0001).add(0.0001);
        return y;
    }

    @Test
    void opsInsideUseRunOnThatStreamAndCopyBackInOrder() {
        CudaStream s = new CudaStream(0);
        assertFalse(s.isDefault());
        Tensor cpu = Tensor.randn(513, 257);
        float[] got;
        try (var ignored = s.use()) {
            assertEquals(s, Cuda.currentStream(0));
            Tensor x = cpu.to(Device.CUDA);
            got = x.matmul(x.transpose(0, 1)).relu().toFloatArray();   // kernels, cuBLAS and the copy back, all on s
        }
        assertTrue(Cuda.currentStream(0).isDefault(), "closing the scope restores the default stream");
        float[] want = cpu.matmul(cpu.transpose(0, 1)).relu().toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-3f * Math.max(1, Math.abs(want[i])));
    }

    @Test
    void timingEventsMeasureTheWorkBetweenThem() {
        CudaStream s = new CudaStream(0);
        CudaEvent start = new CudaEvent(true), end = new CudaEvent(true);
        try (var ignored = s.use()) {
            start.record();
            busyWork(Tensor.randn(Device.CUDA, 1 << 20));
            end.record();
        }
        end.synchronize();
        assertTrue(end.query() && s.query());
        float ms = start.elapsedTime(end);
        assertTrue(ms > 0, "elapsed " + ms + " ms");
    }

    @Test
    void waitEventOrdersWorkAcrossStreams() {
        CudaStream producer = new CudaStream(0), consumer = new CudaStream(0);
        assertNotEquals(producer, consumer);
        Tensor x;
        try (var ignored = producer.use()) {
            x = busyWork(Tensor.ones(Device.CUDA, 1 << 20));
        }
        CudaEvent ready = producer.recordEvent();
        consumer.waitEvent(ready);
        Cuda.recordStream(x, consumer);
        double sum;
        try (var ignored = consumer.use()) {
            sum = x.mul(2).sum().item();
        }
        double want = busyWork(Tensor.ones(1 << 20)).mul(2).sum().item();   // the same on the CPU
        assertEquals(want, sum, 1e-4 * want);
    }

    @Test
    void waitStreamOrdersTheDefaultStreamAfterASideStream() {
        CudaStream side = new CudaStream(0, -1);
        assertEquals(-1, side.priority());
        Tensor x;
        try (var ignored = side.use()) {
            x = busyWork(Tensor.zeros(Device.CUDA, 1 << 16)).add(3);
        }
        Cuda.defaultStream(0).waitStream(side);
        Cuda.recordStream(x, Cuda.defaultStream(0));
        assertEquals(3.0 * (1 << 16), x.sum().item(), 1.0);
    }

    @Test
    void theCurrentStreamIsPerThread() throws Exception {
        CudaStream s = new CudaStream(0);
        AtomicReference<CudaStream> seen = new AtomicReference<>();
        try (var ignored = s.use()) {
            Thread t = new Thread(() -> seen.set(Cuda.currentStream(0)));
            t.start();
            t.join();
        }
        assertTrue(seen.get().isDefault(), seen.get().toString());
    }

    @Test
    void copiesThroughThePinnedBuffersEqualTheSource() {
        int n = (int) (2.5 * PinnedStaging.CHUNK / 4) + 7;   // three chunks, the last one short
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = i * 0.5f - 3;
        Tensor t = Tensor.of(f).to(Device.CUDA);
        f[0] = 1e9f;   // the host copy returned: the array may change at once
        float[] back = t.toFloatArray();
        assertEquals(-3f, back[0]);
        for (int i = 1; i < n; i++) assertEquals(i * 0.5f - 3, back[i], "element " + i);
        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        assertArrayEquals(l, (long[]) ((CpuStorage) Tensor.of(l).to(Device.CUDA).cpu().storage()).data());
        Tensor h = Tensor.randn(new int[]{1001}, DType.FLOAT16, Device.CPU);
        assertArrayEquals(h.toFloatArray(), h.to(Device.CUDA).toFloatArray(), "float16 bits survive the round trip");
    }
}
