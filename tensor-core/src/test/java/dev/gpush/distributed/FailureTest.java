package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.tensor.Tensor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dead, late and missing peers give a {@link DistributedException} that names the rank, never a hang. The timeouts
 * given to the groups are long where a failure must be reported before them: the message tells which path fired.
 */
class FailureTest {
    static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void aPeerThatClosesItsSocketsIsNamedAtOnceNotAtTheTimeout() {
        var outcomes = Ranks.outcomes(3, LONG, g -> {
            if (g.rank() == 2) {
                g.barrier();
                ((CpuProcessGroup) g).abort(); // as a crash would: no goodbye
                return null;
            }
            try {
                // the barrier too: the crash can cut off its last message before the others have read it
                g.barrier();
                g.allReduce(Tensor.ones(10));
                return null;
            } catch (DistributedException e) {
                return e; // returned, not thrown: this rank leaves politely and cannot be mistaken for the dead one
            }
        });
        var e = (DistributedException) outcomes.get(0).get();
        assertEquals(2, e.peer(), e::getMessage);
        assertTrue(e.getMessage().contains("rank 2 closed its connection"), e::getMessage);
        assertFalse(e.getMessage().contains("timed out"), e::getMessage);
        assertInstanceOf(DistributedException.class, outcomes.get(1).get());
    }

    @Test
    void aKilledPeerProcessIsNamed() throws Exception {
        int port = Ranks.freePort();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PeerProcess.class.getName(), "1", "2", String.valueOf(port))
                .redirectErrorStream(true).start();
        try (ProcessGroup g = ProcessGroups.create("cpu", new Rendezvous(0, 2, "127.0.0.1", port, LONG))) {
            // create() returned: the child has connected and now sleeps
            child.destroyForcibly().waitFor();    // SIGKILL: the kernel closes its sockets
            var e = assertThrows(DistributedException.class, () -> g.allReduce(Tensor.ones(1000)));
            assertEquals(1, e.peer(), e::getMessage);
            assertTrue(e.getMessage().contains("rank 1"), e::getMessage);
            assertFalse(e.getMessage().contains("timed out"), e::getMessage);
        } finally {
            child.destroyForcibly();
            child.waitFor(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void aPeerThatNeverCallsTheCollectiveIsNamedAtTheTimeout() {
        var rank0Done = new CountDownLatch(1);
        var outcomes = Ranks.outcomes(2, Duration.ofSeconds(1), g -> {
            if (g.rank() == 1) {
                rank0Done.await(); // alive, but busy elsewhere
                return null;
            }
            try {
                g.allReduce(Tensor.ones(3));
                return null;
            } finally {
                rank0Done.countDown();
            }
        });
        var e = (DistributedException) outcomes.get(0).error();
        assertEquals(1, e.peer());
        assertTrue(e.getMessage().contains("allReduce #0 on rank 0 timed out after 1 s waiting for rank 1"), e::getMessage);
    }

    @Test
    void aRendezvousNamesTheRanksThatDidNotArrive() {
        var outcomes = Ranks.outcomes(3, 2, Duration.ofSeconds(2), g -> null);
        for (var o : outcomes) {
            var e = (DistributedException) o.error();
            assertEquals(2, e.peer());
            assertTrue(e.getMessage().contains("2 of 3 ranks arrived; rank 2 did not"), e::getMessage);
        }
    }

    @Test
    void aTakenMasterPortIsReportedByRankZero() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            var e = assertThrows(DistributedException.class, () -> ProcessGroups.create("cpu",
                    new Rendezvous(0, 1, "127.0.0.1", taken.getLocalPort(), Duration.ofSeconds(5))));
            assertTrue(e.getMessage().contains("the port is in use"), e::getMessage);
        }
    }

    @Test
    void aDestroyedGroupRefusesCollectives() {
        var g = ProcessGroups.create("cpu", new Rendezvous(0, 1, "127.0.0.1", Ranks.freePort(), LONG));
        g.close();
        var e = assertThrows(IllegalStateException.class, () -> g.allReduce(Tensor.ones(1)));
        assertTrue(e.getMessage().contains("destroyed"), e::getMessage);
    }
}
