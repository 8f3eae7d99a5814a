package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.nn.MSELoss;
import dev.gpush.nn.Sequential;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * DDP starts each bucket's all-reduce during backward and awaits them all at its end. The evidence is the order of
 * events (a {@link RecordingGroup} logs starts and awaits, hooks registered after DDP's log each gradient), and a
 * rank that holds back: rank 1 starts its backward only once rank 0's backward has produced its last gradient,
 * which rank 0 could never do if a bucket's all-reduce blocked it.
 */
class DistributedDataParallelOverlapTest {

    @Test
    void bucketsAreAllReducedWhileBackwardGoesOnAndAwaitedAtItsEnd() {
        Generator.manualSeed(8);
        Tensor x = Tensor.randn(6, 3), y = Tensor.randn(6, 2);
        List<Sequential> replicas = List.of(DistributedDataParallelTest.model(11), DistributedDataParallelTest.model(11));
        var rank0Finished = new CountDownLatch(1);
        List<List<Object>> results = Ranks.run(2, g -> {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            var ddp = new DistributedDataParallel<>(replicas.get(g.rank()),
                    DistributedDataParallel.options().group(new RecordingGroup(g, log)).bucketCapMb(1e-9));
            assertEquals(4, ddp.bucketNames().size(), "one parameter per bucket");
            var gradients = new AtomicInteger();
            ddp.module().namedParameters().forEach((name, p) -> p.registerPostAccumulateGradHook(t -> {
                log.add("gradient " + name);
                if (gradients.incrementAndGet() == 4 && g.rank() == 0) rank0Finished.countDown();
            }));
            if (g.rank() == 1)
                assertTrue(rank0Finished.await(2, TimeUnit.MINUTES), "rank 0's backward stopped at an all-reduce");
            Tensor xs = x.narrow(0, 3 * g.rank(), 3), ys = y.narrow(0, 3 * g.rank(), 3);
            new MSELoss().apply(ddp.forward(xs), ys).backward();
            log.add("backward returned");
            return List.of(List.copyOf(log), DistributedDataParallelTest.grads(ddp.module()));
        });

        Sequential reference = DistributedDataParallelTest.model(11);
        new MSELoss().apply(reference.forward(x), y).backward();
        for (List<Object> r : results) {
            @SuppressWarnings("unchecked") List<String> log = (List<String>) r.get(0);
            int firstLayerFirst = Math.min(log.indexOf("gradient 0.weight"), log.indexOf("gradient 0.bias"));
            int firstLayerLast = Math.max(log.indexOf("gradient 0.weight"), log.indexOf("gradient 0.bias"));
            assertTrue(log.indexOf("start allReduce 1") < firstLayerFirst,
                    "the second layer's two buckets start before the first layer has gradients: " + log);
            assertTrue(log.indexOf("start allReduce 3") < firstLayerLast,
                    "the last bucket starts from the hook of the last gradient: " + log);
            int previous = firstLayerLast;
            for (int b = 0; b < 4; b++) {
                int awaited = log.indexOf("awaited allReduce " + b);
                assertTrue(awaited > previous, "bucket " + b + " is awaited after the last gradient, in order: " + log);
                previous = awaited;
            }
            assertTrue(previous < log.indexOf("backward returned"), "backward returns after the awaits: " + log);
            assertArrayEquals(DistributedDataParallelTest.grads(reference), (float[]) r.get(1), 1e-6f,
                    "the averaged gradients are the whole batch's");
        }
        assertArrayEquals((float[]) results.get(0).get(1), (float[]) results.get(1).get(1), "bit-identical on both ranks");
    }
}
