package dev.gpush.autograd;

import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** The user's entry points to autograd beyond {@code Tensor.backward()}: no-grad blocks, grad, gradcheck. */
public final class Autograd {
    private Autograd() {}

    /** {@code try (var ng = Autograd.noGrad()) { ... }}: no graph is recorded inside. */
    public static GradMode noGrad() { return GradMode.disable(); }

    /** Re-enables recording inside a no-grad block. */
    public static GradMode enableGrad() { return GradMode.enable(); }

    public static <T> T noGrad(Supplier<T> body) {
        try (GradMode g = GradMode.disable()) {
            return body.get();
        }
    }

    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    /** The gradients of {@code outputs} with respect to {@code inputs}, leaving every {@code grad()} untouched. */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        List<dev.gpush.autograd.Node> roots = new ArrayList<>();
        List<Tensor> seeds = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor o = outputs.get(i);
            Node e = o.gradEdge();
            if (e == null) throw new IllegalArgumentException("element " + i + " of outputs does not require grad");
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            if (g == null) {
                if (o.numel() != 1)
                    throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs; output "
                            + i + " has shape " + dev.gpush.tensor.Shapes.str(o.shapeRef()));
                g = Tensor.onesLike(o);
            }
            roots.add(e);
            seeds.add(g);
        }
        List<Node> targets = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Node e = inputs.get(i).gradEdge();
            if (e == null) throw new IllegalArgumentException("element " + i + " of inputs does not require grad");
            targets.add(e);
        }
        Tensor[] r = Engine.run(roots, seeds, retainGraph || createGraph, createGraph, targets);
        List<Tensor> result = new ArrayList<>();
        for (int i = 0; i < r.length; i++) {
            if (r[i] == null && !allowUnused)
                throw new IllegalStateException("one of the differentiated tensors (input " + i + ") appears not to have "
                        + "been used in the graph; pass allowUnused=true if this is the desired behaviour");
            result.add(r[i]);
        }
        return result;
    }

    public static List<Tensor> grad(Tensor output, List<Tensor> inputs) {
        return grad(List.of(output), inputs, null, false, false, false);
    }

    /** Like {@link #grad(Tensor, List)} but keeps the graph of the gradients, for higher-order derivatives. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }

    /** See {@link Gradcheck#check}. */
    public static boolean gradcheck(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs) {
        return Gradcheck.check(fn, inputs, 1e-6, 1e-5, 1e-3);
    }

    public static boolean gradcheck(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
        return Gradcheck.check(fn, List.of(inputs), 1e-6, 1e-5, 1e-3);
    }
}
