package dev.gpush.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpush.distributed.Slurm;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

    private static LaunchPlan planOf(Optional<Slurm> slurm, String... args) {
        var command = new LaunchCommand();
        new CommandLine(command).parseArgs(args);
        return command.plan(slurm);
    }

    @Test
    void inASlurmJobTheNodesComeFromSlurmUnlessGiven() {
        var job = Slurm.of(Map.of("SLURM_JOB_ID", "31337", "SLURM_NNODES", "4", "SLURM_NODEID", "3",
                "SLURM_JOB_NODELIST", "gpu[08-11]"));
        assertEquals(new LaunchPlan(8, 4, 3, "gpu08", 10000 + 31337 % 20000, 0),
                planOf(job, "--nproc-per-node", "8", "train.jsh"));
        assertEquals(new LaunchPlan(8, 2, 1, "10.1.1.1", 29400, 0), planOf(job, "--nproc-per-node", "8", "--nnodes", "2",
                "--node-rank", "1", "--master-addr", "10.1.1.1", "--master-port", "29400", "train.jsh"));
    }

    @Test
    void outsideSlurmTheDefaultsAreTorchruns() {
        assertEquals(new LaunchPlan(1, 1, 0, "127.0.0.1", 29500, 0), planOf(Optional.empty(), "train.jsh"));
    }
}
