package dev.gpush.autograd;

import dev.gpush.amp.Autocast;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Storage;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Activation checkpointing, as PyTorch's {@code torch.utils.checkpoint.checkpoint} (the reentrant form): trade
 * compute for memory by keeping a block's inputs instead of its intermediate activations.
 * <pre>{@code
 * Tensor h = Checkpoint.apply(xs -> block.forward(xs.get(0)), x);
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>Forward runs {@code fn} under no-grad, so nothing inside records a graph; the output gets one node,
 *       {@code checkpoint}, that keeps only the inputs (checked for in-place change like any saved tensor).</li>
 *   <li>Its backward runs {@code fn} again with grad enabled, on detached copies of the inputs, and
 *       back-propagates the incoming gradient through that fresh graph: the copies' gradients go to the inputs,
 *       and every parameter {@code fn} reads (a module's weights) accumulates its {@code grad()} there, exactly as
 *       without checkpointing. The node is recorded even when no input requires grad, so parameters still learn.</li>
 *   <li>The recomputation sees the forward's random state (the default {@link Generator}'s seed and offset) and
 *       autocast setting, so dropout draws the same mask and ops run in the same dtypes; the generator is put back
 *       afterwards. Another thread drawing from the default generator during the recomputation would disturb it.</li>
 *   <li>Like PyTorch's reentrant checkpoint it serves {@code backward()}: through {@link Autograd#grad} the inputs'
 *       gradients are right, but parameters inside {@code fn} also accumulate theirs, and createGraph (double
 *       backward) is refused.</li>
 *   <li>With grad mode off, {@code fn} simply runs.</li>
 * </ul>
 *
 * <p>Note [checkpoint scopes]: the forward under no-grad and each recomputation run in a scope of their own that
 * keeps only what leaves them (the output; the inputs' gradients). Without it, a training step inside an outer
 * {@code Scope} would hold every intermediate of every checkpointed block until the step ends, since a scope holds
 * what was made in it: more memory than no checkpointing at all. Parameters' gradients and buffers updated inside
 * are library-kept tensors, which no scope closes.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** {@code fn(inputs)}, keeping only {@code inputs} for backward (null entries are passed through). */
    public static Tensor apply(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs) {
        return apply(fn, inputs, true);
    }

    public static Tensor apply(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
        return apply(fn, Arrays.asList(inputs), true);
    }

    /**
     * With {@code preserveRngState == false} the recomputation draws fresh random numbers, so a dropout inside
     * {@code fn} masks differently in backward than in forward (PyTorch's {@code preserve_rng_state=False}).
     */
    public static Tensor apply(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, boolean preserveRngState) {
        List<Tensor> ins = Collections.unmodifiableList(new ArrayList<>(inputs));
        if (!GradMode.isEnabled()) return fn.apply(ins);
        Generator gen = Generator.defaultGenerator();
        Recompute recompute = new Recompute(fn, ins, gen.seed(), gen.offset(), Autocast.mode(), preserveRngState);
        Tensor result;
        try (Scope scope = Scope.open(); GradMode off = GradMode.disable()) { // Note [checkpoint scopes]
            result = scope.keep(fn.apply(ins));
        }
        if (result == null) throw new NullPointerException("checkpoint: the checkpointed function returned null");
        if (!result.isFloatingPoint()) return result;
        // never give a graph node to a tensor the caller handed in (fn returned an input, or a parameter)
        Tensor out = result.requiresGrad() || ins.stream().anyMatch(x -> x == result) ? result.detach() : result;

        int n = ins.size();
        Tensor[] nodeInputs = new Tensor[n + 1];
        Node.Grad[] grads = new Node.Grad[n + 1];
        // input 0 is a trigger that always requires grad: its formula runs the recomputation (and gives nothing)
        nodeInputs[0] = Tensor.zeros(DType.FLOAT32).requiresGrad(true);
        grads[0] = g -> {
            recompute.gradients(g);
            return null;
        };
        List<Tensor> saved = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor x = ins.get(i);
            nodeInputs[i + 1] = x;
            if (x == null) continue;
            saved.add(x);
            int k = i;
            if (x.requiresGrad()) grads[i + 1] = g -> recompute.gradients(g)[k];
        }
        out.setGradFn(Node.of("checkpoint", nodeInputs, grads, saved.toArray(new Tensor[0])));
        return out;
    }

    /** What the backward of one checkpoint needs to run {@code fn} again, and the gradients of its last run. */
    private static final class Recompute {
        private final Function<List<Tensor>, Tensor> fn;
        private final List<Tensor> inputs;
        private final long seed, offset;
        private final Autocast.Mode autocast;
        private final boolean preserveRng;
        private Tensor gradFor;      // the output gradient the cached input gradients answer
        private Tensor[] cached;

        Recompute(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, long seed, long offset,
                  Autocast.Mode autocast, boolean preserveRng) {
            this.fn = fn;
            this.inputs = inputs;
            this.seed = seed;
            this.offset = offset;
            this.autocast = autocast;
            this.preserveRng = preserveRng;
        }

        /** The inputs' gradients for output gradient {@code g}, recomputing once per backward pass. */
        Tensor[] gradients(Tensor g) {
            if (cached != null && gradFor == g) return cached;
            if (GradMode.isEnabled())   // the engine records gradient ops only under createGraph
                throw new UnsupportedOperationException("checkpoint: createGraph (double backward) through a "
                        + "checkpointed function is not supported; run the function without Checkpoint.apply");
            Tensor[] r = new Tensor[inputs.size() + 1];
            try (Scope scope = Scope.open()) { // Note [checkpoint scopes]
                List<Tensor> detached = new ArrayList<>(inputs.size());
                for (Tensor x : inputs)
                    detached.add(x == null ? null : x.detach().requiresGrad(x.requiresGrad()));
                Tensor out = rerun(Collections.unmodifiableList(detached));
                if (out.gradEdge() != null) Engine.backward(out, g, false, false);
                for (int i = 0; i < inputs.size(); i++) {
                    Tensor d = detached.get(i);
                    r[i] = d == null ? null : d.grad(); // gradients are library-kept: no scope closes them
                }
            }
            gradFor = g;
            cached = r;
            return r;
        }

        /** {@code fn} with grad enabled, under the forward's random state and autocast setting. */
        private Tensor rerun(List<Tensor> xs) {
            Generator gen = Generator.defaultGenerator();
            long nowSeed = gen.seed(), nowOffset = gen.offset();
            if (preserveRng) moveTo(gen, seed, offset);
            try (GradMode on = GradMode.enable(); Autocast ac = Autocast.set(autocast)) {
                Tensor out = fn.apply(xs);
                if (out == null) throw new NullPointerException("checkpoint: the checkpointed function returned null");
                return out;
            } finally {
                if (preserveRng) moveTo(gen, nowSeed, nowOffset);
            }
        }

        private static void moveTo(Generator gen, long seed, long offset) {
            gen.manualSeed_(seed);
            gen.reserve(offset);
        }
    }

    /**
     * The bytes of the distinct storages that the graph behind {@code t} keeps for its backward (the tensors each
     * node saved): the memory checkpointing saves. For tests and diagnostics.
     */
    static long savedBytes(Tensor t) {
        Node root = t.gradFn();
        if (root == null) return 0;
        Set<Storage> storages = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : Engine.topologicalOrder(List.of(root)))
            for (Tensor s : node.saved) if (!s.isClosed()) storages.add(s.storage());
        long bytes = 0;
        for (Storage s : storages) bytes += (long) s.length() * s.dtype().itemSize();
        return bytes;
    }
}
