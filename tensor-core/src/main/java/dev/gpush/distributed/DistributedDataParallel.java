package dev.gpush.distributed;

import dev.gpush.autograd.Engine;
import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Node;
import dev.gpush.nn.Module;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Data-parallel training (PyTorch's {@code DistributedDataParallel}): each rank runs the same model on its own
 * data, and backward leaves every rank with the gradients averaged over all ranks, so the optimizers take the same
 * step everywhere.
 * <pre>{@code
 * Dist.initProcessGroup("cpu");
 * var ddp = new DistributedDataParallel<>(model);
 * var opt = new SGD(ddp.parameters(), 0.1);
 * loss = lossFn.apply(ddp.forward(x), y);   // x: this rank's shard
 * loss.backward();                          // gradients are averaged across ranks here
 * opt.step();
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>Construction broadcasts rank 0's parameters and buffers to every rank.</li>
 *   <li>Gradients go in buckets of about {@code bucketCapMb} (25 MB), filled in reverse parameter order (roughly
 *       the order backward produces them). A post-accumulate-grad hook on each parameter counts it ready; once a
 *       bucket is full, its gradients are copied into one flat tensor and its {@code allReduceAsync(AVG)} is
 *       started, and backward goes on while it runs (on the CPU group's queue thread, or NCCL's stream). Buckets
 *       are always started in the same order on every rank. A callback the hooks queue with
 *       {@link Engine#queueCallback} runs when the backward pass has ended: it
 *       awaits every bucket started in that pass, in order, and copies the averages into the gradients, so
 *       {@code backward()} returns with them averaged (and throws a collective's failure). Between start and
 *       finish only the collective touches a bucket's flat tensor, and the hooks never write a gradient.</li>
 *   <li>Every parameter that requires grad must get a gradient in each backward, or with
 *       {@code findUnusedParameters} the forward finds those its output does not reach and counts them ready; a
 *       parameter no rank used keeps no gradient.</li>
 *   <li>Inside {@link #noSync()} gradients accumulate locally; the next synchronised backward averages the
 *       accumulated sums, as in PyTorch. The choice is taken at forward (and checked again at backward).</li>
 *   <li>With {@code broadcastBuffers} (the default) each training forward copies rank 0's buffers (BatchNorm's
 *       running statistics) to every rank first.</li>
 *   <li>The wrapped module is registered as {@code module}, so state dict keys read {@code module.0.weight} as in
 *       PyTorch; save {@code ddp.module().stateDict()} for the bare names.</li>
 * </ul>
 */
public final class DistributedDataParallel<M extends Module> extends Module {

    /** Settings, PyTorch's keyword arguments. */
    public static final class Options {
        ProcessGroup group;
        boolean findUnusedParameters;
        boolean broadcastBuffers = true;
        double bucketCapMb = 25;

        /** The group to average over (default: {@link Dist#group()}). */
        public Options group(ProcessGroup g) { group = g; return this; }
        public Options findUnusedParameters(boolean on) { findUnusedParameters = on; return this; }
        public Options broadcastBuffers(boolean on) { broadcastBuffers = on; return this; }
        public Options bucketCapMb(double mb) { bucketCapMb = mb; return this; }
    }

    public static Options options() { return new Options(); }

    private final M module;
    private final ProcessGroup group;
    private final Options options;
    private final List<Tensor> params = new ArrayList<>();       // those that require grad
    private final List<String> names = new ArrayList<>();
    private final List<GradBucket> buckets = new ArrayList<>();
    private final int[] bucketOf;
    private final List<Node.Handle> hooks = new ArrayList<>();

    // the iteration in progress
    private final boolean[] ready;
    private int[] pending;             // per bucket: parameters not ready yet
    private int nextBucket;            // buckets before it are started
    private boolean started;           // a hook fired since the last reset
    private final List<GradBucket.Reduction> inFlight = new ArrayList<>();   // started in the pass running
    private final Runnable finish = this::finishBackward;                    // its end-of-backward callback
    private boolean[] usedHere;        // findUnusedParameters: reached from this rank's output
    private Tensor usedFlags;          // ... all-reduced (MAX) across ranks while usedWork runs
    private Work usedWork;
    private boolean[] usedSomewhere;   // ... from some rank's output (known once usedWork is awaited)
    private boolean syncEnabled = true, forwardSynced = true;

    public DistributedDataParallel(M module) { this(module, options()); }

    public DistributedDataParallel(M module, ProcessGroup group) { this(module, options().group(group)); }

    public DistributedDataParallel(M module, Options options) {
        this.module = registerModule("module", module);
        this.options = options;
        this.group = options.group != null ? options.group : Dist.group();
        try (GradMode off = GradMode.disable()) {
            for (Tensor t : module.stateDict().values()) group.broadcast(t, 0);
        }
        module.namedParameters().forEach((name, p) -> {
            if (p.requiresGrad()) { names.add(name); params.add(p); }
        });
        bucketOf = new int[params.size()];
        ready = new boolean[params.size()];
        long cap = Math.max(1, (long) (options.bucketCapMb * 1024 * 1024));
        for (int i = params.size() - 1; i >= 0; i--) {
            Tensor p = params.get(i);
            if (buckets.isEmpty() || !buckets.getLast().fits(p, cap)) buckets.add(new GradBucket(p.dtype(), p.device()));
            buckets.getLast().add(p, i);
            bucketOf[i] = buckets.size() - 1;
            int index = i;
            hooks.add(p.registerPostAccumulateGradHook(t -> onGradReady(index)));
        }
        reset();
    }

    public M module() { return module; }

    public ProcessGroup processGroup() { return group; }

    /** Gradients accumulate locally until the block closes: {@code try (var ns = ddp.noSync()) {...}}. */
    public AutoCloseable noSync() {
        boolean previous = syncEnabled;
        syncEnabled = false;
        return () -> syncEnabled = previous;
    }

    // ---------------------------------------------------------------- forward

    @Override public Tensor forward(Tensor input) { return forward(m -> m.forward(input)); }

    /** Runs {@code call} on the wrapped module (for modules whose forward takes other arguments). */
    public <R> R forward(Function<? super M, R> call) {
        boolean backwardComes = GradMode.isEnabled() && isTraining();
        if (backwardComes) {
            inFlight.clear();   // left by a backward that threw before its end: no longer awaited
            checkPreviousIteration();
        }
        if (options.broadcastBuffers && isTraining() && group.size() > 1) {
            try (GradMode off = GradMode.disable()) {
                for (Tensor b : module.namedBuffers().values()) group.broadcast(b, 0);
            }
        }
        R out = call.apply(module);
        if (backwardComes) {
            forwardSynced = syncEnabled;
            if (options.findUnusedParameters && forwardSynced) markUnused(out);
        }
        return out;
    }

    private void checkPreviousIteration() {
        if (!started) return;
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (!ready[i]) missing.add(names.get(i));
        reset();
        throw new IllegalStateException("Expected to have finished reduction in the prior iteration before starting a "
                + "new one. This error indicates that your module has parameters that were not used in producing "
                + "loss: " + missing + ". Pass DistributedDataParallel.options().findUnusedParameters(true), and make "
                + "sure all outputs of forward take part in the loss");
    }

    /** Counts parameters the output does not reach as ready now: their hooks will not fire. */
    private void markUnused(Object out) {
        List<Node> roots = new ArrayList<>();
        if (out instanceof Tensor t && t.gradFn() != null) roots.add(t.gradFn());
        if (out instanceof Iterable<?> it) for (Object o : it) if (o instanceof Tensor t && t.gradFn() != null) roots.add(t.gradFn());
        if (roots.isEmpty()) return;
        Set<Node> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (n == null || !reached.add(n)) continue;
            stack.addAll(n.nextFunctions());
        }
        reset();
        usedHere = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) {
            usedHere[i] = reached.contains(params.get(i).gradEdge());
            if (!usedHere[i]) markReady(i);
        }
    }

    // ---------------------------------------------------------------- backward

    private void onGradReady(int i) {
        if (!syncEnabled || !forwardSynced) return;
        if (ready[i]) reset(); // a second backward without a forward: a new iteration
        started = true;
        Engine.queueCallback(finish);   // once per pass
        markReady(i);
        while (nextBucket < buckets.size() && pending[nextBucket] == 0) {
            if (nextBucket == 0 && usedHere != null) startAgreeingOnUsed();
            inFlight.add(buckets.get(nextBucket++).launch(group));
        }
    }

    private void markReady(int i) {
        if (ready[i]) return;
        ready[i] = true;
        pending[bucketOf[i]]--;
    }

    /** One allReduce(MAX) of the used flags, so every rank learns which parameters no rank used. */
    private void startAgreeingOnUsed() {
        int[] flags = new int[params.size()];
        for (int i = 0; i < flags.length; i++) flags[i] = usedHere[i] ? 1 : 0;
        usedFlags = Scope.escape(Tensor.of(flags).to(params.getFirst().device()));   // nccl: on the GPU
        usedWork = group.allReduceAsync(usedFlags, ReduceOp.MAX);
    }

    /** The end of a synchronised backward pass: awaits what it started and writes the averaged gradients. */
    private void finishBackward() {
        List<GradBucket.Reduction> launched = List.copyOf(inFlight);
        inFlight.clear();
        if (usedWork != null) {
            usedWork.await();
            int[] flags = usedFlags.toIntArray();
            usedSomewhere = new boolean[params.size()];
            for (int i = 0; i < flags.length; i++) usedSomewhere[i] = flags[i] != 0;
            usedFlags.close();
            usedWork = null;
        }
        for (GradBucket.Reduction r : launched) r.finish(usedSomewhere);
        if (nextBucket == buckets.size()) reset();
    }

    private void reset() {
        java.util.Arrays.fill(ready, false);
        pending = new int[buckets.size()];
        for (int b = 0; b < buckets.size(); b++) pending[b] = buckets.get(b).params.size();
        nextBucket = 0;
        started = false;
        usedHere = null;
        usedFlags = null;
        usedWork = null;
        usedSomewhere = null;
    }

    /** Removes the gradient hooks: the module trains alone again. */
    public void detach() {
        for (Node.Handle h : hooks) h.remove();
        hooks.clear();
    }

    /** The parameter names per bucket, in reduction order (for inspection). */
    public List<List<String>> bucketNames() {
        List<List<String>> out = new ArrayList<>();
        for (GradBucket b : buckets) out.add(b.indices.stream().map(names::get).toList());
        return out;
    }
}
