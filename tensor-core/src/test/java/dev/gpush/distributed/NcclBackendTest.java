package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.CudaLibraries;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the nccl backend says where it cannot run, and the checks it makes before touching NCCL; no GPU needed. */
class NcclBackendTest {

    @Test
    void ncclIsRefusedOnAMachineWithoutCudaWithTheReasonAndTheBackendToUse() {
        assumeFalse(Cuda.isAvailable(), "this machine has CUDA");
        var e = assertThrows(DistributedException.class,
                () -> Dist.initProcessGroup("nccl", 0, 1, "127.0.0.1", Ranks.freePort()));
        assertTrue(e.getMessage().startsWith("the nccl backend needs CUDA, which is not available here ("
                + Cuda.unavailableReason() + ")"), e::getMessage);
        assertTrue(e.getMessage().contains("Dist.initProcessGroup(\"cpu\")"), e::getMessage);
        assertFalse(Dist.isInitialized(), "the refusal leaves no default group behind");
        assertEquals("cpu", ProcessGroups.resolve("auto"));
        Dist.initProcessGroup("cpu", 0, 1, "127.0.0.1", Ranks.freePort());   // and the session goes on
        Dist.destroyProcessGroup();
    }

    @Test
    void aMissingLibncclIsNamedWithTheFoldersSearched(@TempDir Path root) throws IOException {
        Path lib = Files.createDirectories(root.resolve("usr/local/cuda/lib64"));
        var without = new CudaLibraries.Found(List.of(lib), Map.of());
        String why = NcclChecks.unavailableReason(true, null, without);
        assertTrue(why.contains("libnccl.so.2, which was not found; searched [" + lib + "]"), why);
        assertTrue(why.contains("GPUSH_CUDA_PATH"), why);

        var with = new CudaLibraries.Found(List.of(lib), Map.of("libnccl.so.2", lib.resolve("libnccl.so.2")));
        assertNull(NcclChecks.unavailableReason(true, null, with), "CUDA and NCCL present: nccl can run");
    }

    @Test
    void aCpuTensorGivenToTheNcclGroupNamesTheCpuBackend() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> NcclChecks.checkTensor(Tensor.ones(3), Device.cuda(0), "allReduce"));
        assertEquals("allReduce: the nccl process group takes CUDA tensors, got one on cpu; move it with "
                + ".to(Device.cuda(0)), or use the cpu backend (Dist.initProcessGroup(\"cpu\")) for CPU tensors",
                e.getMessage());
        var list = assertThrows(IllegalArgumentException.class, () -> NcclChecks.checkList(
                List.of(Tensor.ones(3)), Tensor.ones(3), 2, Device.cuda(1), "allGather", "out"));
        assertTrue(list.getMessage().contains("cuda(1)"), list::getMessage);
    }

    @Test
    void eachLocalRankGetsItsOwnGpuAndOneBeyondThemIsNamed() {
        assertEquals(Device.cuda(1), NcclChecks.deviceOf(1, 2));
        var e = assertThrows(DistributedException.class, () -> NcclChecks.deviceOf(2, 2));
        assertTrue(e.getMessage().startsWith("LOCAL_RANK 2 has no GPU: this machine has 2 CUDA device(s) "
                + "(cuda:0..cuda:1)"), e::getMessage);
        assertTrue(e.getMessage().contains("--nproc-per-node 2"), e::getMessage);
    }

    @Test
    void theCpuGroupRefusesNothingItCanRunAndItsAsyncHandlesCompleteOnAwait() {
        var results = Ranks.run(2, g -> {
            Tensor t = Tensor.of(new float[]{g.rank() + 1});
            Work w = g.allReduceAsync(t, ReduceOp.SUM);
            w.await();
            assertTrue(w.isCompleted(), "an awaited handle is complete");
            return t.toFloatArray()[0];
        });
        assertEquals(List.of(3f, 3f), results);
    }

    @Test
    void theChecksOfTheGpuTestsHoldOnTheCpuGroup() {
        for (int n : new int[]{1, 2, 3}) Ranks.run(n, g -> {
            CollectiveChecks.run(g, Device.CPU);
            return null;
        });
    }
}
