package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rank 0's NCCL unique id reaches every rank through a real {@link TcpStore}, as plain bytes (no GPU involved);
 * ranks that do not arrive, arrive twice or disagree on the world size are named.
 */
class UniqueIdExchangeTest {
    static final byte[] ID = new byte[128];

    static {
        new Random(7).nextBytes(ID);
    }

    /** Ranks as threads, given as (rank, worldSize) pairs; each opens its store and shares. Outcomes per rank. */
    private static List<Object> share(int port, Duration timeout, int[][] ranks) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(ranks.length);
        CountDownLatch done = new CountDownLatch(ranks.length);   // rank 0 serves the store until all are done
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int[] rw : ranks)
                futures.add(pool.submit(() -> {
                    var r = new Rendezvous(rw[0], rw[1], "127.0.0.1", port, timeout);
                    try (TcpStore store = TcpStore.open(r)) {
                        try {
                            return UniqueIdExchange.share(r, store, () -> {
                                if (rw[0] != 0) throw new AssertionError("only rank 0 makes the id");
                                return ID.clone();
                            });
                        } finally {
                            done.countDown();
                            done.await(1, TimeUnit.MINUTES);
                        }
                    }
                }));
            List<Object> out = new ArrayList<>();
            for (Future<byte[]> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    out.add(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyRankGetsRankZerosBytes() throws InterruptedException {
        var outcomes = share(Ranks.freePort(), Duration.ofMinutes(1), new int[][]{{2, 3}, {1, 3}, {0, 3}});
        for (Object o : outcomes) assertArrayEquals(ID, (byte[]) o, String.valueOf(o));
    }

    @Test
    void aRankThatDoesNotArriveIsNamed() throws InterruptedException {
        var outcomes = share(Ranks.freePort(), Duration.ofSeconds(1), new int[][]{{0, 3}, {1, 3}});
        for (Object o : outcomes) {
            var e = (DistributedException) o;
            assertEquals(2, e.peer());
            assertTrue(e.getMessage().contains("timed out after 1 s: 2 of 3 ranks arrived; rank 2 did not"),
                    e::getMessage);
        }
    }

    @Test
    void twoProcessesWithOneRankAreNamed() throws InterruptedException {
        var outcomes = share(Ranks.freePort(), Duration.ofSeconds(1), new int[][]{{0, 2}, {1, 2}, {1, 2}});
        long duplicates = outcomes.stream().filter(o -> o instanceof DistributedException e
                && e.getMessage().equals("two processes joined as rank 1: every process needs its own RANK")).count();
        assertEquals(1, duplicates, outcomes.toString());
    }

    @Test
    void differentWorldSizesAreNamed() throws InterruptedException {
        var outcomes = share(Ranks.freePort(), Duration.ofSeconds(5), new int[][]{{0, 2}, {1, 3}});
        var e = (DistributedException) outcomes.get(0);
        assertTrue(e.getMessage().contains("rank 1 was started with WORLD_SIZE=3 but rank 0 with WORLD_SIZE=2"),
                e::getMessage);
    }
}
