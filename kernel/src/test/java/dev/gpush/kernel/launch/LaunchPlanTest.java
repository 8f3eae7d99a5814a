package dev.gpush.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** torchrun's variables, for a node of a multi-node job. */
class LaunchPlanTest {

    @Test
    void theSecondNodeOfTwoNumbersItsRanksAfterTheFirst() {
        var plan = new LaunchPlan(4, 2, 1, "10.0.0.1", 29500, 3);
        Map<String, String> env = plan.environment(2, 1);
        assertEquals("6", env.get("RANK"));
        assertEquals("2", env.get("LOCAL_RANK"));
        assertEquals("8", env.get("WORLD_SIZE"));
        assertEquals("4", env.get("LOCAL_WORLD_SIZE"));
        assertEquals("1", env.get("GROUP_RANK"));
        assertEquals("2", env.get("GROUP_WORLD_SIZE"));
        assertEquals("10.0.0.1", env.get("MASTER_ADDR"));
        assertEquals("29500", env.get("MASTER_PORT"));
        assertEquals("1", env.get("TORCHELASTIC_RESTART_COUNT"));
        assertEquals("3", env.get("TORCHELASTIC_MAX_RESTARTS"));
    }

    @Test
    void aNodeRankOutsideTheNodesIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LaunchPlan(1, 2, 2, "h", 1, 0));
        assertEquals("--node-rank must be in [0, 1], got 2", e.getMessage());
    }
}
