package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CPU group's async forms run on the group's own threads (Note [queues] in {@link CpuProcessGroup}): they return
 * before the peers have joined, run in the order called, fail in {@code await}, and stop with the group. Where a
 * rank waits for another with a latch, the bound only turns a blocked group into a failure instead of a hang.
 */
class AsyncCollectivesTest {
    static final Duration LONG = Duration.ofMinutes(5);

    static boolean awaitLatch(CountDownLatch latch) throws InterruptedException {
        return latch.await(2, TimeUnit.MINUTES);
    }

    @Test
    void anAsyncAllReduceReturnsBeforeThePeerHasJoinedIt() {
        var rank0Returned = new CountDownLatch(1);
        List<float[]> results = Ranks.run(2, g -> {
            Tensor t = Tensor.of(new float[]{g.rank() + 1, 10});
            if (g.rank() == 1) {
                assertTrue(awaitLatch(rank0Returned), "rank 0's allReduceAsync waited for rank 1 to join");
                g.allReduce(t);
                return t.toFloatArray();
            }
            Work w = g.allReduceAsync(t, ReduceOp.SUM);
            assertFalse(w.isCompleted(), "rank 1 has not sent its part yet");
            rank0Returned.countDown();
            w.await();
            assertTrue(w.isCompleted());
            return t.toFloatArray();
        });
        for (float[] r : results) assertArrayEquals(new float[]{3, 20}, r);
    }

    @Test
    void severalCollectivesInFlightRunInTheOrderCalledWithTheRightResults() {
        List<double[][]> results = Ranks.run(3, g -> {
            int rank = g.rank();
            Tensor sum = Tensor.of(new double[]{rank, 1}), max = Tensor.of(new double[]{-rank, rank});
            Tensor broadcast = Tensor.of(new double[]{rank * 7});
            List<Tensor> gathered = new ArrayList<>();
            for (int i = 0; i < 3; i++) gathered.add(Tensor.zeros(DType.FLOAT64, 2));
            Tensor scattered = Tensor.zeros(DType.FLOAT64, 1);
            List<Work> works = List.of(
                    g.allReduceAsync(sum, ReduceOp.SUM),
                    g.broadcastAsync(broadcast, 2),
                    g.allReduceAsync(max, ReduceOp.MAX),
                    g.allGatherAsync(gathered, Tensor.of(new double[]{rank, -rank})),
                    g.reduceScatterAsync(scattered, List.of(Tensor.of(new double[]{rank}), Tensor.of(new double[]{10 + rank}),
                            Tensor.of(new double[]{20 + rank})), ReduceOp.SUM),
                    g.barrierAsync());
            works.getLast().await();
            for (Work w : works) assertTrue(w.isCompleted(), "the last one done means every earlier one is: " + works);
            for (Work w : works) w.await();
            return new double[][]{sum.toDoubleArray(), broadcast.toDoubleArray(), max.toDoubleArray(),
                    Tensor.cat(gathered, 0).toDoubleArray(), scattered.toDoubleArray()};
        });
        for (int r = 0; r < 3; r++) {
            double[][] got = results.get(r);
            assertArrayEquals(new double[]{3, 3}, got[0], "allReduce SUM");
            assertArrayEquals(new double[]{14}, got[1], "broadcast from rank 2");
            assertArrayEquals(new double[]{0, 2}, got[2], "allReduce MAX");
            assertArrayEquals(new double[]{0, 0, 1, -1, 2, -2}, got[3], "allGather");
            assertArrayEquals(new double[]{10 * r * 3 + 3}, got[4], "reduceScatter on rank " + r);
        }
    }

    @Test
    void aPeerThatDiesFailsTheAwaitOfEveryCollectiveQueuedWithTheRankNamed() {
        var rank0Queued = new CountDownLatch(1);
        var outcomes = Ranks.outcomes(2, LONG, g -> {
            if (g.rank() == 1) {
                awaitLatch(rank0Queued);
                ((CpuProcessGroup) g).abort(); // as a crash would: no goodbye
                return null;
            }
            Work first = g.allReduceAsync(Tensor.ones(100), ReduceOp.SUM);
            Work second = g.allReduceAsync(Tensor.ones(100), ReduceOp.SUM);
            rank0Queued.countDown();
            var e = assertThrows(DistributedException.class, first::await);
            assertEquals(1, e.peer(), e::getMessage);
            assertTrue(e.getMessage().contains("rank 1 closed its connection"), e::getMessage);
            assertFalse(e.getMessage().contains("timed out"), e::getMessage);
            var again = assertThrows(DistributedException.class, first::await);
            assertEquals(e.getMessage(), again.getMessage(), "a second await throws the same");
            var later = assertThrows(DistributedException.class, second::await);
            assertEquals(1, later.peer(), later::getMessage);
            var blocking = assertThrows(DistributedException.class, () -> g.allReduce(Tensor.ones(1)));
            assertTrue(blocking.getMessage().contains("rank 1 closed its connection"), blocking::getMessage);
            return null;
        });
        outcomes.get(0).get();
        outcomes.get(1).get();
    }

    @Test
    void ranksThatEachPostIrecvBeforeIsendDoNotDeadlock() {
        List<float[]> results = Ranks.run(3, g -> {
            int rank = g.rank(), next = (rank + 1) % 3, prev = (rank + 2) % 3;
            Tensor fromPrev = Tensor.zeros(2), fromNext = Tensor.zeros(2);
            Work r1 = g.irecv(fromPrev, prev), r2 = g.irecv(fromNext, next);
            Work s1 = g.isend(Tensor.of(new float[]{rank, 1}), next), s2 = g.isend(Tensor.of(new float[]{rank, 2}), prev);
            for (Work w : List.of(r1, r2, s1, s2)) w.await();
            return new float[]{fromPrev.toFloatArray()[0], fromPrev.toFloatArray()[1], fromNext.toFloatArray()[0],
                    fromNext.toFloatArray()[1]};
        });
        for (int r = 0; r < 3; r++)
            assertArrayEquals(new float[]{(r + 2) % 3, 1, (r + 1) % 3, 2}, results.get(r), "rank " + r);
    }

    @Test
    void aReceiveWaitingForOneRankDoesNotHoldUpAReceiveFromAnother() {
        // rank 1 answers rank 0 only after hearing from it, and rank 0 speaks to rank 1 only after hearing from
        // rank 2: rank 0's receive from 2, posted behind its receive from 1, must complete first
        List<float[]> results = Ranks.run(3, g -> {
            Tensor got = Tensor.zeros(1);
            switch (g.rank()) {
                case 0 -> {
                    Tensor from1 = Tensor.zeros(1), from2 = Tensor.zeros(1);
                    Work r1 = g.irecv(from1, 1), r2 = g.irecv(from2, 2);
                    r2.await();
                    g.send(from2.add(1), 1);
                    r1.await();
                    got = from1;
                }
                case 1 -> {
                    g.recv(got, 0);
                    g.send(got.mul(10), 0);
                }
                default -> g.send(Tensor.of(new float[]{2}), 0);
            }
            return got.toFloatArray();
        });
        assertArrayEquals(new float[]{30}, results.get(0), "rank 2's 2, plus one at rank 0, times ten at rank 1");
        assertArrayEquals(new float[]{3}, results.get(1));
    }

    @Test
    void destroyingTheGroupFailsWhatIsQueuedAndStopsItsThreads() {
        var rank0Closed = new CountDownLatch(1);
        var outcomes = Ranks.outcomes(2, LONG, g -> {
            if (g.rank() == 1) {   // alive, but never joins: only the close can end rank 0's waits
                awaitLatch(rank0Closed);
                return null;
            }
            var cpu = (CpuProcessGroup) g;
            Work waiting = g.allReduceAsync(Tensor.ones(4), ReduceOp.SUM);
            Work queued = g.barrierAsync();
            Work receive = g.irecv(Tensor.zeros(4), 1);
            Work send = g.isend(Tensor.ones(4), 1);
            send.await();
            assertEquals(3, cpu.queueThreads().size(), "collectives, sends, receives from rank 1");
            g.close();
            rank0Closed.countDown();
            assertEquals(List.of(), cpu.queueThreads(), "close stops the threads");
            var e = assertThrows(IllegalStateException.class, waiting::await);
            assertTrue(e.getMessage().startsWith("allReduce #0 on rank 0: the process group was destroyed"), e::getMessage);
            var q = assertThrows(IllegalStateException.class, queued::await);
            assertEquals("barrier #1 on rank 0: the process group was destroyed before it ran", q.getMessage());
            var r = assertThrows(IllegalStateException.class, receive::await);
            assertTrue(r.getMessage().startsWith("recv #0 on rank 0 from rank 1: the process group was destroyed"),
                    r::getMessage);
            var later = assertThrows(IllegalStateException.class, () -> g.allReduceAsync(Tensor.ones(1), ReduceOp.SUM));
            assertEquals("allReduce #2 on rank 0: the process group was destroyed", later.getMessage());
            return null;
        });
        outcomes.get(0).get();
        outcomes.get(1).get();
    }
}
