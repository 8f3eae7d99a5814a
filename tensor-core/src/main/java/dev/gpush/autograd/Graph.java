package dev.gpush.autograd;

import dev.gpush.autograd.Node.Grad;
import dev.gpush.tensor.Tensor;

/**
 * How ops record themselves: each op computes its output, then calls {@code record} with one gradient formula
 * per input and the tensors those formulas read. Nothing is recorded when grad mode is off or no input
 * requires grad.
 */
public final class Graph {
    private Graph() {}

    private static final Tensor[] NONE = new Tensor[0];

    public static boolean needsGrad(Tensor a) {
        return a.requiresGrad() && GradMode.isEnabled();
    }

    public static boolean needsGrad(Tensor a, Tensor b) {
        return (a.requiresGrad() || b.requiresGrad()) && GradMode.isEnabled();
    }

    public static Tensor record(String name, Tensor out, Tensor a, Grad ga, Tensor... saved) {
        if (!needsGrad(a)) return out;
        out.setGradFn(Node.of(name, new Tensor[]{a}, new Grad[]{ga}, saved));
        return out;
    }

    public static Tensor record(String name, Tensor out, Tensor a, Grad ga, Tensor b, Grad gb, Tensor... saved) {
        if (!needsGrad(a, b)) return out;
        out.setGradFn(Node.of(name, new Tensor[]{a, b}, new Grad[]{ga, gb}, saved));
        return out;
    }

    public static Tensor record(String name, Tensor out, Tensor[] inputs, Grad[] grads, Tensor... saved) {
        if (!GradMode.isEnabled()) return out;
        boolean any = false;
        for (Tensor t : inputs) any |= t != null && t.requiresGrad();
        if (!any) return out;
        out.setGradFn(Node.of(name, inputs, grads, saved == null ? NONE : saved));
        return out;
    }
}
