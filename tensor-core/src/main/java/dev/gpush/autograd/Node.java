package dev.gpush.autograd;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One recorded op in the autograd graph: the op's name, an edge to each input's node, and for each input the
 * formula of its gradient. A leaf that requires grad has an accumulate node (no inputs) that adds into
 * {@code leaf.grad()}.
 *
 * <p>A node has one output. Gradients flow to it in the output's shape; {@link Engine} reduces each input's
 * gradient to that input's shape (broadcasting) and dtype, so the formulas never do.
 */
public final class Node {
    /** The gradient for one input, given the gradient of the output. May return null for "no gradient". */
    @FunctionalInterface
    public interface Grad {
        Tensor apply(Tensor grad);
    }

    /** Removes a hook. */
    public interface Handle {
        void remove();
    }

    final String name;
    final Node[] next;            // per input: its node, or null when it needs no gradient
    Grad[] grads;                 // per input; null once released
    final int[][] inputShapes;
    final DType[] inputDtypes;
    Tensor[] saved;               // tensors the formulas read, checked against in-place change
    final int[] savedVersions;
    final Tensor leaf;            // non-null for an accumulate node
    List<UnaryOperator<Tensor>> hooks;
    List<java.util.function.Consumer<Tensor>> postAccumulateHooks; // accumulate nodes only: run after grad() is set
    WeakReference<Tensor> retained;

    private Node(String name, Node[] next, Grad[] grads, int[][] inputShapes, DType[] inputDtypes, Tensor[] saved,
                 Tensor leaf) {
        this.name = name;
        this.next = next;
        this.grads = grads;
        this.inputShapes = inputShapes;
        this.inputDtypes = inputDtypes;
        this.saved = saved;
        this.leaf = leaf;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].storage().version();
    }

    public static Node accumulate(Tensor leaf) {
        return new Node("AccumulateGrad", new Node[0], new Grad[0], new int[0][], new DType[0], new Tensor[0], leaf);
    }

    static Node of(String name, Tensor[] inputs, Grad[] grads, Tensor[] saved) {
        int n = inputs.length;
        Node[] next = new Node[n];
        int[][] shapes = new int[n][];
        DType[] dtypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            if (in == null) continue;
            next[i] = grads[i] == null ? null : in.gradEdge();
            shapes[i] = in.shapeRef();
            dtypes[i] = in.dtype();
        }
        return new Node(name, next, grads, shapes, dtypes, saved, null);
    }

    /** The op's name, as in PyTorch's {@code grad_fn} ("MulBackward" is written "mul" here). */
    public String name() { return name; }

    /** The nodes of the inputs (null where an input needs no gradient). */
    public List<Node> nextFunctions() { return java.util.Arrays.asList(next.clone()); }

    public boolean isLeafAccumulator() { return leaf != null; }

    public Handle addHook(UnaryOperator<Tensor> hook) {
        if (hooks == null) hooks = new ArrayList<>(2);
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Runs {@code hook} on the leaf after backward has added into its {@code grad()} (accumulate nodes only). */
    public Handle addPostAccumulateHook(java.util.function.Consumer<Tensor> hook) {
        if (leaf == null) throw new IllegalStateException("post-accumulate-grad hooks can only be registered on leaf tensors");
        if (postAccumulateHooks == null) postAccumulateHooks = new ArrayList<>(1);
        postAccumulateHooks.add(hook);
        return () -> postAccumulateHooks.remove(hook);
    }

    public void retainGradOf(Tensor t) { retained = new WeakReference<>(t); }

    void checkSaved() {
        if (grads == null)
            throw new IllegalStateException("trying to backward through the graph a second time (or to use saved "
                    + "tensors after they were freed): " + name + " already ran its backward. Saved values are freed by "
                    + "backward(); call backward(gradient, true) (retainGraph) to backward through the graph again");
        for (int i = 0; i < saved.length; i++) {
            Tensor s = saved[i];
            if (s.isClosed())
                throw new IllegalStateException("a tensor needed for the gradient of " + name + " was closed "
                        + "(by close() or its Scope) before backward ran");
            int v = s.storage().version();
            if (v != savedVersions[i])
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an in-place operation: [" + s.dtype() + " " + Shapes.str(s.shapeRef())
                        + "], saved by " + name + ", is at version " + v + "; expected version " + savedVersions[i]
                        + " instead");
        }
    }

    void release() {
        grads = null;
        saved = new Tensor[0];
    }

    @Override public String toString() { return "<" + name + (leaf != null ? "" : "Backward") + ">"; }
}
