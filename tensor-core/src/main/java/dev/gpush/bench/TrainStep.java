package dev.gpush.bench;

import dev.gpush.nn.CrossEntropyLoss;
import dev.gpush.nn.Embedding;
import dev.gpush.nn.Linear;
import dev.gpush.nn.Sequential;
import dev.gpush.nn.TransformerEncoder;
import dev.gpush.nn.TransformerEncoderLayer;
import dev.gpush.optim.Adam;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * One training step of the Transformer text classifier of examples/transformer_classification.jsh, at full size:
 * token embedding, a post-norm ReLU encoder (batch first, dropout 0.1), the mean over the sequence, a linear head,
 * cross-entropy, backward and Adam (lr 1e-4), in float32 with no autocast, checkpointing or positional embedding.
 *
 * <p>Rules:
 * <ul>
 *   <li>On the CPU a step runs in no {@link Scope}, as the example does: the GC frees each temporary once it is
 *       unreachable, where a scope would hold every one of them until the step ends. On CUDA each step runs in a
 *       scope, so device memory is freed when the step ends, not when the GC gets to it.</li>
 *   <li>Peak memory is measured in a step of its own, after two steps (so Adam's state exists), untimed, and
 *       counts from before the model was built: model, gradients, Adam's state and activations. On CUDA it is the
 *       allocator's peak of allocated bytes over the step ({@code Cuda.maxMemoryAllocated}, as PyTorch's
 *       {@code torch.cuda.max_memory_allocated}). On the CPU it is the heap in use after a full GC, taken at the
 *       end of the forward pass, of the backward pass and of the optimizer step, the largest of the three: what
 *       was reachable at those points, a lower bound of the true peak, with no garbage counted.</li>
 * </ul>
 */
final class TrainStep {
    private final Device device;
    private final Embedding embedding;
    private final TransformerEncoder encoder;
    private final Linear head;
    private final Adam optimizer;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();
    private final Tensor tokens, labels;

    private TrainStep(Profile.Transformer t, Device device, Tensor tokens, Tensor labels) {
        this.device = device;
        this.tokens = tokens;
        this.labels = labels;
        embedding = new Embedding(t.vocab(), t.dModel());
        encoder = new TransformerEncoder(new TransformerEncoderLayer(t.dModel(), t.heads(), t.feedForward(),
                Profile.Transformer.DROPOUT, "relu", 1e-5, true, false, true), t.layers());
        head = new Linear(t.dModel(), Profile.Transformer.CLASSES);
        var model = new Sequential(embedding, encoder, head); // a container for to() and parameters(); forward is below
        model.to(device);
        optimizer = new Adam(model.parameters(), Profile.Transformer.LR);
    }

    static List<Workload> workloads(Profile.Transformer t, Device device) {
        String shape = t.batch() + "x" + t.seq() + " d" + t.dModel() + " h" + t.heads() + " ff" + t.feedForward()
                + " L" + t.layers();
        String args = t.batch() + ":" + t.seq() + ":" + t.vocab() + ":" + t.dModel() + ":" + t.heads() + ":"
                + t.feedForward() + ":" + t.layers();
        return List.of(
                new Workload("transformer train step " + shape, null, "train_step:" + args,
                        List.of(Workload.Metric.rate("steps/s", 1)),
                        Workload.timed(device, () -> {
                            TrainStep s = make(t, device);
                            return iterations -> {
                                for (long i = 0; i < iterations; i++) Sink.keep(i, s.step());
                            };
                        })),
                new Workload("transformer train step " + shape + ", peak memory", null, "train_memory:" + args,
                        List.of(Workload.Metric.megabytes()), p -> new double[]{peakBytes(t, device)}));
    }

    /** How the peak memory row is measured on each side, for the notes under the table. */
    static String memoryNote(Device device) {
        return device.isCuda()
                ? "peak memory: the caching allocator's peak of allocated bytes over one step, counted from before the "
                  + "model was built (gpush Cuda.maxMemoryAllocated, PyTorch torch.cuda.max_memory_allocated)"
                : "peak memory, counted from before the model was built: gpush, the heap in use after a full GC at the "
                  + "end of the forward pass, the backward pass and the optimizer step (live objects only, a lower "
                  + "bound); PyTorch, the growth of the process's peak resident size (VmHWM, in a fresh process), "
                  + "which also counts pages the allocator keeps";
    }

    private static TrainStep make(Profile.Transformer t, Device device) {
        Tensor tokens = Tensor.randint(0, t.vocab(), t.batch(), t.seq()).to(device);
        Tensor labels = Tensor.randint(0, Profile.Transformer.CLASSES, t.batch()).to(device);
        return new TrainStep(t, device, tokens, labels);
    }

    /** One step; returns the loss. */
    private Tensor step() {
        if (!device.isCuda()) return stepIn(null);
        try (var scope = Scope.open()) {
            return scope.keep(stepIn(null));
        }
    }

    /** One step, calling {@code probe} after the forward pass, the backward pass and the optimizer step. */
    private Tensor stepIn(Runnable probe) {
        optimizer.zeroGrad();
        Tensor loss = lossFn.apply(head.forward(encoder.forward(embedding.forward(tokens)).mean(1)), labels);
        if (probe != null) probe.run();
        loss.backward();
        Tensor value = loss.detach();
        loss = null; // the graph is garbage now: the probe must not see it through this frame
        if (probe != null) probe.run();
        optimizer.step();
        if (probe != null) probe.run();
        return value;
    }

    private static double peakBytes(Profile.Transformer t, Device device) {
        if (device.isCuda()) {
            long base = Gpu.memoryAllocated();
            TrainStep s = make(t, device);
            s.step();
            s.step();
            Gpu.resetPeakMemoryStats();
            s.step();
            return Gpu.maxMemoryAllocated() - base;
        }
        Tensor tokens = Tensor.randint(0, t.vocab(), t.batch(), t.seq());
        Tensor labels = Tensor.randint(0, Profile.Transformer.CLASSES, t.batch());
        long base = heapAfterGc();
        TrainStep s = new TrainStep(t, device, tokens, labels);
        s.step();
        s.step();
        long[] peak = {0};
        s.stepIn(() -> peak[0] = Math.max(peak[0], heapAfterGc()));
        return peak[0] - base;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
