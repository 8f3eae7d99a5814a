package dev.gpush.autograd;

import dev.gpush.ops.Reductions;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the chain rule backwards from some outputs. The only place that sorts the graph, sums a broadcast
 * gradient back to its input's shape, adds up gradients that meet, runs hooks and fills {@code grad()}.
 */
public final class Engine {
    private Engine() {}

    /** Per thread: the callbacks queued during the backward pass running on it; null outside a pass. */
    private static final ThreadLocal<List<Runnable>> CALLBACKS = new ThreadLocal<>();

    /**
     * Runs {@code callback} when the backward pass running on this thread has finished, after every node and hook
     * (PyTorch's {@code Variable._execution_engine.queue_callback}; DDP awaits its bucket all-reduces there).
     * Callbacks run on this thread in the order queued, with the caller's grad mode, and may queue more; one
     * already queued in this pass (the same object) is not queued again, so a hook may queue its callback every
     * time it fires. A pass that throws runs none. Only a hook, during a pass, can queue one.
     */
    public static void queueCallback(Runnable callback) {
        List<Runnable> callbacks = CALLBACKS.get();
        if (callbacks == null)
            throw new IllegalStateException("queueCallback: a callback can only be queued during a backward pass "
                    + "(from a hook)");
        for (Runnable queued : callbacks) if (queued == callback) return;
        callbacks.add(callback);
    }

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
        Node edge = root.gradEdge();
        if (edge == null)
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        if (gradient == null) {
            if (root.numel() != 1)
                throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs, but the "
                        + "output has shape " + Shapes.str(root.shapeRef()) + "; pass a gradient of that shape to "
                        + "backward(gradient)");
            gradient = Tensor.onesLike(root);
        } else if (!java.util.Arrays.equals(gradient.shapeRef(), root.shapeRef())) {
            throw new IllegalArgumentException("backward: gradient has shape " + Shapes.str(gradient.shapeRef())
                    + " but the output has shape " + Shapes.str(root.shapeRef()));
        } else if (gradient.dtype() != root.dtype() || !gradient.device().equals(root.device())) {
            gradient = gradient.detach().to(root.device(), root.dtype());
        }
        run(List.of(edge), List.of(gradient), retainGraph, createGraph, null);
    }

    /**
     * Back-propagates {@code grads} from {@code roots}. With {@code targets} (autograd.grad), returns the gradient
     * reaching each target and touches no {@code grad()}; otherwise accumulates into the leaves.
     */
    static Tensor[] run(List<Node> roots, List<Tensor> grads, boolean retainGraph, boolean createGraph,
                        List<Node> targets) {
        List<Runnable> outer = CALLBACKS.get(), callbacks = new ArrayList<>();   // a hook may start a nested pass
        CALLBACKS.set(callbacks);
        try {
            Tensor[] captured = propagate(roots, grads, retainGraph, createGraph, targets);
            for (int i = 0; i < callbacks.size(); i++) callbacks.get(i).run();
            return captured;
        } finally {
            CALLBACKS.set(outer);
        }
    }

    private static Tensor[] propagate(List<Node> roots, List<Tensor> grads, boolean retainGraph, boolean createGraph,
                                      List<Node> targets) {
        List<Node> order = topologicalOrder(roots);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        for (int i = 0; i < roots.size(); i++) pending.merge(roots.get(i), grads.get(i), Engine::sum);
        Map<Node, Integer> targetIndex = new IdentityHashMap<>();
        if (targets != null) for (int i = 0; i < targets.size(); i++) targetIndex.put(targets.get(i), i);
        Tensor[] captured = new Tensor[targets == null ? 0 : targets.size()];
        Set<Tensor> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
        handedOut.addAll(grads);

        try (GradMode mode = GradMode.set(createGraph)) {
            for (Node node : order) {
                if (Thread.currentThread().isInterrupted()) throw new dev.gpush.tensor.InterruptedOpException("backward");
                Tensor g = pending.remove(node);
                if (g == null) continue;
                if (node.hooks != null) for (var hook : List.copyOf(node.hooks)) {
                    Tensor r = hook.apply(g);
                    if (r != null) g = r;
                }
                Integer ti = targetIndex.get(node);
                if (ti != null) captured[ti] = captured[ti] == null ? g : sum(captured[ti], g);
                if (node.retained != null && targets == null) {
                    Tensor t = node.retained.get();
                    if (t != null) accumulate(t, g, createGraph, handedOut);
                }
                if (node.leaf != null) {
                    if (targets == null) {
                        accumulate(node.leaf, g, createGraph, handedOut);
                        if (node.postAccumulateHooks != null)
                            for (var hook : List.copyOf(node.postAccumulateHooks)) hook.accept(node.leaf);
                    }
                    continue;
                }
                node.checkSaved();
                for (int i = 0; i < node.next.length; i++) {
                    Node next = node.next[i];
                    if (next == null) continue;
                    Tensor gi = node.grads[i].apply(g);
                    if (gi == null) continue;
                    gi = Reductions.sumToShape(gi, node.inputShapes[i]);
                    if (gi.dtype() != node.inputDtypes[i]) gi = gi.to(node.inputDtypes[i]);
                    pending.merge(next, gi, Engine::sum);
                }
                if (!retainGraph) node.release();
            }
        }
        return captured;
    }

    private static Tensor sum(Tensor a, Tensor b) { return a.add(b); }

    /** Adds {@code g} into {@code t.grad()}, cloning when {@code g} may be shared with another gradient. */
    private static void accumulate(Tensor t, Tensor g, boolean createGraph, Set<Tensor> handedOut) {
        if (!createGraph) g = g.detach();
        Tensor old = t.grad();
        Tensor next;
        if (old == null) {
            boolean shared = !handedOut.add(g) || g.storage().refCount() > 1 || !g.isContiguous();
            next = shared ? g.clone() : g;
        } else {
            next = old.add(g);
        }
        Scope.escape(next);
        t.setGrad(next);
        handedOut.add(next);
    }

    /** Nodes reachable from the roots, each before all of its inputs. */
    static List<Node> topologicalOrder(List<Node> roots) {
        List<Node> post = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {node, next child index}
        for (Node r : roots) {
            if (!seen.add(r)) continue;
            stack.push(new Object[]{r, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Node n = (Node) top[0];
                int i = (Integer) top[1];
                if (i < n.next.length) {
                    top[1] = i + 1;
                    Node c = n.next[i];
                    if (c != null && seen.add(c)) stack.push(new Object[]{c, 0});
                } else {
                    stack.pop();
                    post.add(n);
                }
            }
        }
        Collections.reverse(post);
        return post;
    }
}
