package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Graph;
import dev.gpush.autograd.Node.Grad;
import dev.gpush.backend.Backend;
import dev.gpush.ops.Creation;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Note [fused batch norm]: batch norm through the backend's fused kernels (cuDNN on CUDA), recorded as one autograd
 * node. Rules:
 * <ul>
 *   <li>{@link #batchNorm} returns null where there is no fused path, before anything is recorded or updated, and
 *       {@link BatchNorm#batchNorm} runs its composite. The CPU has none, so the CPU always runs the composite.</li>
 *   <li>Offered for a non-empty float32 or float64 input whose weight, bias and running statistics (where given)
 *       are contiguous, of its dtype and on its device, and whose running statistics need no gradient; training
 *       wants both running statistics or neither.</li>
 *   <li>Training saves the batch's mean and invstd; backward hands them to the backend's backward kernel for the
 *       input's, weight's and bias's gradients at once. The running statistics are written by the kernel, and their
 *       storage versions bumped as an in-place op would.</li>
 *   <li>Eval's backward is the affine map's: {@code g * w * invstd} for the input, sums over every dim but 1 for
 *       the weight and bias. Under createGraph (or where the backend has no backward) training's gradients are
 *       the composite's formulas in differentiable ops, with the statistics recomputed from x.</li>
 * </ul>
 */
final class FusedBatchNorm {
    private FusedBatchNorm() {}

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        DType dt = x.dtype();
        if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || x.numel() == 0 || !fusable(weight, x) || !fusable(bias, x)
                || !fusable(runningMean, x) || !fusable(runningVar, x) || (runningMean == null) != (runningVar == null)
                || (runningMean != null && (runningMean.requiresGrad() || runningVar.requiresGrad()))) return null;
        int c = x.size(1);
        int[] dims = new int[x.dim() - 1], perChannel = new int[x.dim()];
        for (int d = 0, k = 0; d < x.dim(); d++) {
            perChannel[d] = d == 1 ? c : 1;
            if (d != 1) dims[k++] = d;
        }
        Backend backend = Creation.backend(x);
        Tensor y = Tensor.emptyLike(x);
        Tensor mean = training ? Creation.empty(new int[]{c}, dt, x.device()) : null;
        Tensor invstd = training ? Creation.empty(new int[]{c}, dt, x.device()) : null;
        if (!backend.batchNorm(y, mean, invstd, x, weight, bias, runningMean, runningVar, training, momentum, eps)) {
            for (Tensor t : new Tensor[]{y, mean, invstd}) if (t != null) t.close();
            return null;
        }
        if (training && runningMean != null) {
            runningMean.storage().bumpVersion();
            runningVar.storage().bumpVersion();
        }
        IntFunction<Grad> grad = training ? trainingGrads(backend, x, weight, bias, mean, invstd, dims, perChannel, eps)
                : i -> g -> evalGrad(i, g, x, weight, bias, runningMean, runningVar, dims, perChannel, eps);
        List<Tensor> saved = new ArrayList<>(List.of(x));
        if (training) saved.addAll(List.of(mean, invstd));
        else saved.addAll(List.of(runningMean, runningVar));
        if (weight != null) saved.add(weight);
        return Graph.record("native_batch_norm", y, new Tensor[]{x, weight, bias},
                new Grad[]{grad.apply(0), weight == null ? null : grad.apply(1), bias == null ? null : grad.apply(2)},
                saved.toArray(Tensor[]::new));
    }

    /** Training's gradients: the first formula called for a gradient runs the backward kernel for all three. */
    private static IntFunction<Grad> trainingGrads(Backend backend, Tensor x, Tensor w, Tensor b, Tensor mean,
                                                   Tensor invstd, int[] dims, int[] perChannel, double eps) {
        Tensor[] seen = new Tensor[1], grads = new Tensor[3];
        return i -> g -> {
            if (GradMode.isEnabled()) return trainingGrad(i, g, x, w, b, dims, perChannel, eps);
            if (seen[0] != g) {
                seen[0] = g;
                grads[0] = x.requiresGrad() ? Tensor.emptyLike(x) : null;
                grads[1] = w != null && w.requiresGrad() ? Tensor.emptyLike(w) : null;
                grads[2] = b != null && b.requiresGrad() ? Tensor.emptyLike(b) : null;
                if (!backend.batchNormBackward(grads[0], grads[1], grads[2], g.to(x.dtype()), x, w, mean, invstd, eps)) {
                    for (int k = 0; k < 3; k++) {
                        if (grads[k] == null) continue;
                        grads[k].close();
                        grads[k] = trainingGrad(k, g, x, w, b, dims, perChannel, eps);
                    }
                }
            }
            return grads[i];
        };
    }

    /**
     * Training batch norm's gradient for input {@code i} (0 x, 1 weight, 2 bias) in differentiable ops, the batch's
     * mean and invstd recomputed from x: {@code gx = invstd (d - mean(d) - xh mean(d xh))} with {@code d = g w}.
     */
    static Tensor trainingGrad(int i, Tensor g, Tensor x, Tensor w, Tensor b, int[] dims, int[] perChannel, double eps) {
        if (i == 2) return g.sum(dims, false).reshape(b.shapeRef());
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor invstd = centred.mul(centred).mean(dims, true).add(eps).rsqrt();
        Tensor xh = centred.mul(invstd);
        if (i == 1) return g.mul(xh).sum(dims, false).reshape(w.shapeRef());
        Tensor d = w == null ? g : g.mul(w.view(perChannel));
        return invstd.mul(d.sub(d.mean(dims, true)).sub(xh.mul(d.mul(xh).mean(dims, true))));
    }

    /** Eval batch norm's gradient for input {@code i}: that of {@code y = (x - rm) * invstd * w + b}. */
    static Tensor evalGrad(int i, Tensor g, Tensor x, Tensor w, Tensor b, Tensor runningMean, Tensor runningVar,
                           int[] dims, int[] perChannel, double eps) {
        if (i == 2) return g.sum(dims, false).reshape(b.shapeRef());
        Tensor invstd = runningVar.view(perChannel).add(eps).rsqrt();
        if (i == 1) return g.mul(x.sub(runningMean.view(perChannel)).mul(invstd)).sum(dims, false).reshape(w.shapeRef());
        return g.mul(w == null ? invstd : invstd.mul(w.view(perChannel)));
    }

    private static boolean fusable(Tensor t, Tensor x) {
        return t == null || t.dtype() == x.dtype() && t.isContiguous() && t.device().equals(x.device());
    }
}
