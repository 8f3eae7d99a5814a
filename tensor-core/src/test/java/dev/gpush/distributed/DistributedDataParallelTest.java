package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.nn.Linear;
import dev.gpush.nn.MSELoss;
import dev.gpush.nn.Module;
import dev.gpush.nn.Sequential;
import dev.gpush.nn.Tanh;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two ranks (threads, real sockets) train on their halves of a batch; the reference is one process training on
 * the whole batch. Averaged gradients of equal-sized shards are the full batch's gradient, so both must agree.
 */
class DistributedDataParallelTest {
    static final int STEPS = 5;

    static Sequential model(long seed) {
        Generator.manualSeed(seed);
        return new Sequential(new Linear(3, 8), new Tanh(), new Linear(8, 2));
    }

    static float[] flat(Module m) {
        List<Tensor> ps = new ArrayList<>();
        for (Tensor p : m.parameters()) ps.add(p.detach().reshape(-1));
        return Tensor.cat(ps, 0).toFloatArray();
    }

    static float[] grads(Module m) {
        List<Tensor> gs = new ArrayList<>();
        for (Tensor p : m.parameters()) gs.add(p.grad().reshape(-1));
        return Tensor.cat(gs, 0).toFloatArray();
    }

    @Test
    void twoRanksOnHalfBatchesEndWithTheParametersOfOneProcessOnTheWholeBatch() {
        Generator.manualSeed(42);
        Tensor x = Tensor.randn(8, 3), y = Tensor.randn(8, 2);
        List<Sequential> replicas = List.of(model(0), model(1));
        assertFalse(java.util.Arrays.equals(flat(replicas.get(0)), flat(replicas.get(1))), "replicas start different");
        Sequential reference = model(2);
        reference.loadStateDict(replicas.get(0).stateDict());

        List<float[]> trained = Ranks.run(2, g -> {
            var ddp = new DistributedDataParallel<>(replicas.get(g.rank()), g);
            var opt = new SGD(ddp.parameters(), 0.1);
            Tensor xs = x.narrow(0, 4 * g.rank(), 4), ys = y.narrow(0, 4 * g.rank(), 4);
            for (int step = 0; step < STEPS; step++) {
                opt.zeroGrad();
                new MSELoss().apply(ddp.forward(xs), ys).backward();
                opt.step();
            }
            return flat(ddp.module());
        });

        var opt = new SGD(reference.parameters(), 0.1);
        for (int step = 0; step < STEPS; step++) {
            opt.zeroGrad();
            new MSELoss().apply(reference.forward(x), y).backward();
            opt.step();
        }
        assertArrayEquals(trained.get(0), trained.get(1), "the replicas are bit-identical");
        assertArrayEquals(flat(reference), trained.get(0), 1e-5f);
        assertFalse(java.util.Arrays.equals(flat(replicas.get(0)), flat(model(0))), "training changed the parameters");
    }

    @Test
    void gradientsAccumulatedUnderNoSyncAreAveragedAtTheNextSynchronisedBackward() {
        Generator.manualSeed(7);
        Tensor a = Tensor.randn(4, 3), b = Tensor.randn(4, 3), ya = Tensor.randn(4, 2), yb = Tensor.randn(4, 2);
        List<Sequential> replicas = List.of(model(3), model(3));
        Sequential reference = model(3);

        List<float[]> synced = Ranks.run(2, g -> {
            var ddp = new DistributedDataParallel<>(replicas.get(g.rank()), g);
            int r = g.rank();
            try (var ns = ddp.noSync()) {
                new MSELoss().apply(ddp.forward(a.narrow(0, 2 * r, 2)), ya.narrow(0, 2 * r, 2)).backward();
            }
            float[] local = grads(ddp.module());
            new MSELoss().apply(ddp.forward(b.narrow(0, 2 * r, 2)), yb.narrow(0, 2 * r, 2)).backward();
            float[] both = grads(ddp.module());
            return r == 0 ? both : local; // rank 1 tells whether no-sync grads stayed local
        });

        new MSELoss().apply(reference.forward(a), ya).backward();
        float[] fullA = grads(reference);
        new MSELoss().apply(reference.forward(b), yb).backward();
        assertArrayEquals(grads(reference), synced.get(0), 1e-5f, "avg over ranks of (gA + gB) = full gA + full gB");
        assertFalse(java.util.Arrays.equals(fullA, synced.get(1)), "under noSync rank 1 kept its own half's gradient");
    }

    /** A model with a layer its forward never uses. */
    static final class TwoHeads extends Module {
        final Linear used = registerModule("used", new Linear(3, 1));
        final Linear unused = registerModule("unused", new Linear(3, 1));

        @Override public Tensor forward(Tensor x) { return used.forward(x); }
    }

    @Test
    void anUnusedParameterIsReportedUnlessFindUnusedParametersIsOn() {
        Tensor x = Tensor.randn(2, 3);
        List<String> errors = Ranks.run(2, g -> {
            var ddp = new DistributedDataParallel<>(new TwoHeads(), g);
            ddp.forward(x).sum().backward();
            return assertThrows(IllegalStateException.class, () -> ddp.forward(x)).getMessage();
        });
        for (String e : errors) {
            assertTrue(e.startsWith("Expected to have finished reduction in the prior iteration"), e);
            assertTrue(e.contains("[unused.weight, unused.bias]"), e);
        }

        List<float[]> grads = Ranks.run(2, g -> {
            var ddp = new DistributedDataParallel<>(new TwoHeads(),
                    DistributedDataParallel.options().group(g).findUnusedParameters(true));
            for (int step = 0; step < 2; step++) {
                ddp.zeroGrad();
                ddp.forward(x.mul(g.rank() + 1)).sum().backward();
            }
            assertNull(ddp.module().unused.weight.grad(), "no rank used it: it keeps no gradient");
            return ddp.module().used.weight.grad().toFloatArray();
        });
        assertArrayEquals(grads.get(0), grads.get(1));
    }
}
