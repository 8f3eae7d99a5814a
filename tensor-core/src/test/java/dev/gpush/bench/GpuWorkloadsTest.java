package dev.gpush.bench;

import dev.gpush.tensor.Device;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rows issue 4 asks a GPU session to read beside PyTorch: float32 add of 2^26 elements and a full sum in GB/s,
 * and the launch overhead of a 1-element add. Building the workloads touches no CUDA class, so this runs anywhere.
 */
class GpuWorkloadsTest {
    private static final long SMALL_HEAP = 64L << 20;

    @Test
    void onCudaTheMemoryBoundOpsKeepTheProfilesSizeWhateverTheHeap() {
        List<String> notes = new ArrayList<>();
        List<Workload> cuda = Kernels.memoryBound(Profile.FULL, Device.CUDA, SMALL_HEAP, notes);
        assertEquals("add f32 2^26", cuda.get(0).name());
        assertEquals("add:" + (1 << 26), cuda.get(0).torchId());
        assertEquals("sum f32 2^26", cuda.get(2).name());
        assertEquals("sum:" + (1 << 26), cuda.get(2).torchId());
        assertEquals(List.of(), notes, "no fallback note on CUDA");
        List<Workload> cpu = Kernels.memoryBound(Profile.FULL, Device.CPU, SMALL_HEAP, new ArrayList<>());
        assertEquals("add f32 2^24", cpu.get(0).name(), "a small heap still limits the CPU");
    }

    @Test
    void theTinyAddMeasuresLaunchOverheadBesidePytorchOnCuda() {
        Workload add = Eager.workloads(Device.CUDA).get(0);
        assertEquals("add 1 elem", add.name());
        assertEquals("eager_add:0", add.torchId());
        assertEquals("ops/s", add.metrics().get(0).unit());
    }
}
