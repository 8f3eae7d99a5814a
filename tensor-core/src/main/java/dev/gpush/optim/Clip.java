package dev.gpush.optim;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Both
 * change the gradients in place and skip parameters without one.
 */
public final class Clip {
    private Clip() {}

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm. */
    public static Tensor clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2, false);
    }

    public static Tensor clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales the gradients so that their total norm is at most {@code maxNorm}, and returns the total norm before
     * clipping: the {@code normType}-norm of the per-gradient norms ({@code Double.POSITIVE_INFINITY} for the
     * largest magnitude), a 0-dim tensor. Gradients are multiplied by {@code min(1, maxNorm / (total + 1e-6))}
     * on their device, with no read back to the host unless {@code errorIfNonfinite} asks to check the norm.
     * With no gradients at all the norm is 0.
     */
    public static Tensor clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) return Tensor.scalar(0.0f);
        try (GradMode noGrad = GradMode.disable(); Scope temporaries = Scope.open()) {
            List<Tensor> norms = new ArrayList<>(grads.size());
            Tensor first = grads.getFirst();
            for (Tensor g : grads) norms.add(g.norm(normType).to(first.device()));
            Tensor total = Tensor.stack(norms, 0).norm(normType);
            if (errorIfNonfinite) {
                double t = total.item();
                if (Double.isNaN(t) || Double.isInfinite(t))
                    throw new IllegalStateException("The total norm of order " + normType + " for gradients from "
                            + "`parameters` is non-finite (" + t + "), so it cannot be clipped. To disable this error "
                            + "and scale the gradients by the non-finite norm anyway, set errorIfNonfinite=false");
            }
            Tensor coef = total.add(1e-6).rdiv(maxNorm).clampMax(1.0);
            for (Tensor g : grads) g.mul_(g.device().equals(coef.device()) ? coef : coef.to(g.device()));
            return temporaries.keep(total);
        }
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        try (GradMode noGrad = GradMode.disable(); Scope temporaries = Scope.open()) {
            for (Tensor g : grads(params)) g.clamp_(-clipValue, clipValue);
        }
    }

    private static List<Tensor> grads(Iterable<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) if (p.grad() != null) grads.add(p.grad());
        return grads;
    }
}
