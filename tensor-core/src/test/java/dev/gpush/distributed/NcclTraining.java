package dev.gpush.distributed;

import dev.gpush.nn.Linear;
import dev.gpush.nn.MSELoss;
import dev.gpush.nn.Module;
import dev.gpush.nn.Sequential;
import dev.gpush.nn.Tanh;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDP run of the GPU tests: a small model trained for a few steps, each rank on its shard of one batch, and
 * the reference: one process on the whole batch. Averaged gradients of equal shards are the whole batch's
 * gradient, so both end with the same parameters.
 */
final class NcclTraining {
    private NcclTraining() {}

    static final int STEPS = 5, BATCH = 8;

    private static Tensor[] batch() {
        Generator.manualSeed(42);
        return new Tensor[]{Tensor.randn(BATCH, 3), Tensor.randn(BATCH, 2)};
    }

    private static Sequential model() {
        Generator.manualSeed(0);
        return new Sequential(new Linear(3, 8), new Tanh(), new Linear(8, 2));
    }

    static float[] flat(Module m) {
        List<Tensor> ps = new ArrayList<>();
        for (Tensor p : m.parameters()) ps.add(p.detach().cpu().reshape(-1));
        return Tensor.cat(ps, 0).toFloatArray();
    }

    /** This rank's replica after training on its shard on {@code device} under DDP over {@code g}. */
    static float[] trainWithDdp(ProcessGroup g, Device device) {
        Tensor[] xy = batch();
        int shard = BATCH / g.size();
        Tensor x = xy[0].narrow(0, shard * g.rank(), shard).to(device);
        Tensor y = xy[1].narrow(0, shard * g.rank(), shard).to(device);
        var model = model();
        model.to(device);
        var ddp = new DistributedDataParallel<>(model, g);
        var opt = new SGD(ddp.parameters(), 0.1);
        for (int step = 0; step < STEPS; step++) {
            opt.zeroGrad();
            new MSELoss().apply(ddp.forward(x), y).backward();
            opt.step();
        }
        return flat(ddp.module());
    }

    /** One process, the whole batch, on the CPU. */
    static float[] trainAlone() {
        Tensor[] xy = batch();
        var model = model();
        var opt = new SGD(model.parameters(), 0.1);
        for (int step = 0; step < STEPS; step++) {
            opt.zeroGrad();
            new MSELoss().apply(model.forward(xy[0]), xy[1]).backward();
            opt.step();
        }
        return flat(model);
    }
}
