package dev.gpush.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpush launch} as a real child process starting real worker JVMs that rendezvous over real sockets. */
class LaunchCommandTest {
    /** A guard against a hung launcher, not a speed requirement. */
    static final long HANG_GUARD_MINUTES = 10;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        @Override public String toString() { return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    Run launch(String script, String... options) throws Exception {
        return launch(Map.of(), script, options);
    }

    /** Launches with {@code env} added to the launcher's environment. */
    Run launch(Map<String, String> env, String script, String... options) throws Exception {
        Path file = Files.writeString(dir.resolve("script.jsh"), script);
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LaunchMain.class.getName(), "launch"));
        command.addAll(List.of(options));
        command.add(file.toString());
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("hung:\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoWorkersAllReduceAndPrintWithTheirRankPrefix() throws Exception {
        var run = launch("""
                import dev.gpush.distributed.*;
                Dist.initProcessGroup("cpu");
                var t = Tensor.of(new float[]{Dist.getRank() + 1, 10});
                Dist.allReduce(t);
                System.out.println("env " + System.getenv("RANK") + " " + System.getenv("LOCAL_RANK") + " "
                        + System.getenv("WORLD_SIZE") + " " + System.getenv("LOCAL_WORLD_SIZE") + " "
                        + System.getenv("GROUP_RANK") + " " + System.getenv("MASTER_ADDR"));
                System.out.println("sum " + java.util.Arrays.toString(t.toFloatArray()));
                Dist.destroyProcessGroup();
                """, "--nproc-per-node", "2", "--master-port", String.valueOf(freePort()));

        assertEquals(0, run.exit(), run::toString);
        var lines = run.out().lines().sorted().toList();
        assertEquals(List.of("[rank0]: env 0 0 2 2 0 127.0.0.1", "[rank0]: sum [3.0, 20.0]",
                "[rank1]: env 1 1 2 2 0 127.0.0.1", "[rank1]: sum [3.0, 20.0]"), lines, run::toString);
    }

    @Test
    void inASlurmJobTheLauncherTakesTheNodesAndThePortFromSlurm() throws Exception {
        int port = 10000;
        while (!free(port)) port++;                     // a port the job's rule gives: 10000 + SLURM_JOB_ID % 20000
        var slurm = Map.of("SLURM_JOB_ID", String.valueOf(20000 + port - 10000), "SLURM_NNODES", "1",
                "SLURM_NODEID", "0", "SLURM_JOB_NODELIST", "localhost", "SLURM_PROCID", "0", "SLURM_NTASKS", "1");
        var run = launch(slurm, """
                import dev.gpush.distributed.*;
                Dist.initProcessGroup("cpu");
                var t = Tensor.of(new float[]{Dist.getRank() + 1});
                Dist.allReduce(t);
                System.out.println(System.getenv("RANK") + " of " + System.getenv("WORLD_SIZE") + " at "
                        + System.getenv("MASTER_ADDR") + ":" + System.getenv("MASTER_PORT") + " sum " + t.item());
                Dist.destroyProcessGroup();
                """, "--nproc-per-node", "2");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("[rank0]: 0 of 2 at localhost:" + port + " sum 3.0",
                "[rank1]: 1 of 2 at localhost:" + port + " sum 3.0"), run.out().lines().sorted().toList(), run::toString);
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aFailingWorkerStopsTheOthersAndItsExitCodeIsTheLaunchers() throws Exception {
        var run = launch("""
                if (System.getenv("RANK").equals("1")) {
                    System.out.println("rank one gives up");
                    System.exit(3);
                }
                System.out.println("rank zero waits");
                Thread.sleep(600_000);
                System.out.println("rank zero was not stopped");
                """, "--nproc_per_node", "2", "--standalone");

        assertEquals(3, run.exit(), run::toString);
        assertTrue(run.out().contains("[rank1]: rank one gives up"), run::toString);
        assertFalse(run.out().contains("was not stopped"), run::toString);
        assertTrue(run.err().contains("gpush launch: rank 1 (of 2) failed with exit code 3"), run::toString);
        assertTrue(run.err().contains("the last lines of rank 1:\n  rank one gives up"), run::toString);
    }

    @Test
    void aWorkerThatThrowsFailsTheLaunchWithTheErrorAndTheOtherRankSeesItsPeerGo() throws Exception {
        var run = launch("""
                import dev.gpush.distributed.*;
                Dist.initProcessGroup("cpu");
                if (Dist.getRank() == 0) throw new IllegalStateException("bad batch on rank zero");
                Dist.allReduce(Tensor.ones(4));
                """, "--nproc-per-node", "2", "--standalone");

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[rank0]: Exception java.lang.IllegalStateException: bad batch on rank zero"),
                run::toString);
        assertTrue(run.err().contains("rank 0 (of 2) failed with exit code 1"), run::toString);
    }

    @Test
    void optionsAreCheckedBeforeAnythingStarts() throws Exception {
        var run = launch("System.out.println(1);", "--nproc-per-node", "0");
        assertEquals(LaunchCommand.USAGE, run.exit(), run::toString);
        assertTrue(run.err().contains("--nproc-per-node must be >= 1, got 0"), run::toString);
        assertEquals("", run.out());
    }
}
