package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.tensor.Tensor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default group and torchrun's environment variables. */
class DistTest {

    @Test
    void theEnvironmentGivesRankWorldSizeAndMaster() {
        var r = Rendezvous.fromEnvironment(Map.of("RANK", "1", "WORLD_SIZE", "4", "LOCAL_RANK", "0",
                "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29500"), Duration.ofSeconds(9));
        assertEquals(new Rendezvous(1, 4, 0, "10.0.0.1", 29500, Duration.ofSeconds(9)), r);
        assertEquals(3, Rendezvous.fromEnvironment(Map.of("RANK", "3", "WORLD_SIZE", "4", "MASTER_ADDR", "h",
                "MASTER_PORT", "1"), Duration.ofSeconds(1)).localRank(), "LOCAL_RANK defaults to RANK");
    }

    @Test
    void aMissingVariableSaysWhatToSet() {
        var e = assertThrows(IllegalStateException.class, () -> Rendezvous.fromEnvironment(
                Map.of("RANK", "0", "WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("MASTER_PORT is not set"), e::getMessage);
        var bad = assertThrows(IllegalArgumentException.class, () -> new Rendezvous(2, 2, "h", 1, Duration.ofSeconds(1)));
        assertTrue(bad.getMessage().contains("RANK must be in [0, 1]"), bad::getMessage);
    }

    @Test
    void theDefaultGroupRunsCollectivesAndIsDestroyed() {
        assertFalse(Dist.isInitialized());
        Dist.initProcessGroup("auto", 0, 1, "127.0.0.1", Ranks.freePort());
        try {
            assertEquals("cpu", Dist.getBackend(), "auto without a GPU backend is cpu");
            assertEquals(0, Dist.getRank());
            assertEquals(1, Dist.getWorldSize());
            var e = assertThrows(IllegalStateException.class, () -> Dist.initProcessGroup("cpu", 0, 1, "127.0.0.1", 1));
            assertTrue(e.getMessage().contains("twice"), e::getMessage);
            Tensor t = Tensor.of(new float[]{2, 3});
            Dist.allReduce(t, ReduceOp.MAX);
            Dist.barrier();
            assertArrayEquals(new float[]{2, 3}, t.toFloatArray());
        } finally {
            Dist.destroyProcessGroup();
        }
        assertFalse(Dist.isInitialized());
        var e = assertThrows(IllegalStateException.class, Dist::getRank);
        assertTrue(e.getMessage().contains("has not been initialized"), e::getMessage);
    }

    @Test
    void unknownBackendsAreNamed() {
        var other = assertThrows(IllegalArgumentException.class, () -> ProcessGroups.resolve("mpi"));
        assertTrue(other.getMessage().contains("unknown process group backend 'mpi'"), other::getMessage);
        assertEquals("cpu", ProcessGroups.resolve("gloo"));
    }
}
