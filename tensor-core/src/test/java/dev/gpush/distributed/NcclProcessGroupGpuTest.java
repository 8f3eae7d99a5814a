package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.cuda.Cuda;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The NCCL group on real GPUs: every collective with world size 1 in this JVM, and with 2 processes (this JVM and
 * a child, {@link NcclPeer}) where 2 GPUs exist; DDP on CUDA against one process on the whole batch.
 */
@Tag("gpu")
class NcclProcessGroupGpuTest {
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    @BeforeEach
    void needsNccl() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
        assumeTrue(NcclChecks.unavailableReason() == null, NcclChecks::unavailableReason);
    }

    private static ProcessGroup alone() {
        return ProcessGroups.create("nccl", new Rendezvous(0, 1, "127.0.0.1", Ranks.freePort(), TIMEOUT));
    }

    @Test
    void everyCollectiveWorksWithWorldSizeOne() {
        try (ProcessGroup g = alone()) {
            assertEquals("nccl", g.backend());
            CollectiveChecks.run(g, Device.cuda(0));
        }
    }

    @Test
    void autoPicksNcclAndACpuTensorIsRefusedNamingTheCpuBackend() {
        assertEquals("nccl", ProcessGroups.resolve("auto"));
        try (ProcessGroup g = alone()) {
            var e = assertThrows(IllegalArgumentException.class, () -> g.allReduce(Tensor.ones(3)));
            assertTrue(e.getMessage().contains("Dist.initProcessGroup(\"cpu\")"), e::getMessage);
            g.barrier(); // the refusal left the group usable
        }
    }

    @Test
    void ddpOnCudaWithOneRankEqualsPlainTraining() {
        try (ProcessGroup g = alone()) {
            assertArrayEquals(NcclTraining.trainAlone(), NcclTraining.trainWithDdp(g, Device.cuda(0)), 1e-4f);
        }
    }

    @Test
    void everyCollectiveWorksOnTwoProcesses() throws Exception {
        assumeTrue(Cuda.deviceCount() >= 2, "needs 2 GPUs");
        String child = withPeer("collectives", g -> {
            CollectiveChecks.run(g, Device.cuda(0));
            return null;
        });
        assertTrue(child.contains("OK"), child);
    }

    @Test
    void ddpOnTwoGpusEqualsOneProcessOnTheWholeBatch() throws Exception {
        assumeTrue(Cuda.deviceCount() >= 2, "needs 2 GPUs");
        float[][] mine = new float[1][];
        String child = withPeer("ddp", g -> mine[0] = NcclTraining.trainWithDdp(g, Device.cuda(0)));
        assertArrayEquals(NcclTraining.trainAlone(), mine[0], 1e-4f);
        assertTrue(child.contains("PARAMS " + java.util.Arrays.toString(mine[0])), "the replicas are bit-identical: "
                + child);
    }

    /** Runs {@code body} as rank 0 of 2 while a child JVM runs {@code task} as rank 1; returns the child's output. */
    private static String withPeer(String task, Ranks.Body<?> body) throws Exception {
        int port = Ranks.freePort();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NcclPeer.class.getName(), "1", "2", String.valueOf(port), task).redirectErrorStream(true).start();
        try {
            try (ProcessGroup g = ProcessGroups.create("nccl", new Rendezvous(0, 2, 0, "127.0.0.1", port, TIMEOUT))) {
                body.run(g);
            }
            String out = new String(child.getInputStream().readAllBytes());
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child ended");
            assertEquals(0, child.exitValue(), out);
            return out;
        } finally {
            child.destroyForcibly();
        }
    }
}
