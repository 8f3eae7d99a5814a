package dev.gpush.nn;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Graph;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * The loss functions behind {@link F}'s losses and the loss modules, with PyTorch's semantics. Rules:
 * <ul>
 *   <li>Each loss is a composition of tensor ops, so its gradients (for the input, and for probability targets,
 *       regression targets and weights as well) come from the ops' own rules and are differentiable again. The
 *       one node written here is {@link #negLogSigmoid}: composed, it is inexact or has the wrong slope at 0.</li>
 *   <li>Class losses find the classes at dim 1 ({@code [N, C, d1, ...]}), or at dim 0 for one unbatched sample
 *       ({@code [C]}); a target of class indices has the input's shape without the class dim.</li>
 *   <li>Note [gather, not one-hot]: class-index losses gather each target's log-probability
 *       ({@code logp.gather(classDim, target)}) and never build an {@code [N, C]} one-hot matrix; gather's
 *       backward scatters into one fresh zero tensor. Over a vocabulary of 10,000 the cost is the log softmax
 *       and its gradient, nothing more.</li>
 *   <li>A target equal to ignoreIndex counts for nothing: its loss is 0 and its weight leaves the mean's
 *       denominator. MEAN divides by the summed class weights of the counted targets (their count when
 *       unweighted), so a batch whose targets are all ignored gives 0/0 = NaN, as in PyTorch. Probability
 *       targets take no ignoreIndex, and their mean divides by the number of positions (N·d1·...), weighted or
 *       not.</li>
 * </ul>
 */
public final class Losses {
    private Losses() {}

    /** PyTorch's default {@code ignore_index}: no class has it. */
    public static final long IGNORE_INDEX = -100;

    private static final System.Logger LOG = System.getLogger(Losses.class.getName());
    /** Warnings given, each once, as Python shows a warning once per place. */
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // ---------------------------------------------------------------- class losses

    /**
     * The cross entropy of logits {@code input} against class indices or class probabilities {@code target}
     * (probabilities when the target has the input's shape), with optional class {@code weight} and PyTorch's
     * label smoothing: the targets are mixed with the uniform distribution, {@code (1 - s)·target + s/C}.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> crossEntropy(t[0], t[1], t[2], ignoreIndex, reduction, labelSmoothing), input, target, weight);
        String op = "crossEntropy";
        int classDim = classDim(op, input);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException(op + ": labelSmoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        int c = input.size(classDim);
        Tensor w = classWeight(op, weight, input, c);
        boolean probabilities = Arrays.equals(input.shapeRef(), target.shapeRef());
        if (probabilities) checkProbabilityTarget(op, input, target, ignoreIndex);
        else checkIndexTarget(op, input, classDim, target, true);
        Tensor logp = input.logSoftmax(classDim);
        if (probabilities) return probabilityCrossEntropy(logp, target, w, classDim, reduction, labelSmoothing);
        Picked p = pick(op, logp, classDim, target, w, ignoreIndex);
        Tensor nll = reduce(p.loss(), p.weight(), reduction);
        if (labelSmoothing == 0) return nll;
        // the uniform part: every class's weighted log-probability, counted and reduced as the nll part is
        Tensor all = (w == null ? logp : logp.mul(alongClasses(w, logp.dim(), classDim))).sum(classDim).neg();
        Tensor smooth = reduce(Tensor.where(p.keep(), all, 0), p.weight(), reduction);
        return nll.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / c));
    }

    /** The negative log-likelihood of class indices under log-probabilities {@code input}. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> nllLoss(t[0], t[1], t[2], ignoreIndex, reduction), input, target, weight);
        String op = "nllLoss";
        int classDim = classDim(op, input);
        Tensor w = classWeight(op, weight, input, input.size(classDim));
        checkIndexTarget(op, input, classDim, target, false);
        Picked p = pick(op, input, classDim, target, w, ignoreIndex);
        return reduce(p.loss(), p.weight(), reduction);
    }

    /** -Σ_c w_c·t_c·logp_c at each position, reduced; the mean divides by the number of positions. */
    private static Tensor probabilityCrossEntropy(Tensor logp, Tensor target, Tensor w, int classDim,
                                                  Reduction reduction, double labelSmoothing) {
        int c = logp.size(classDim);
        Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
        Tensor terms = logp.mul(t);
        if (w != null) terms = terms.mul(alongClasses(w, logp.dim(), classDim));
        return switch (reduction) {
            case NONE -> terms.sum(classDim).neg();
            case SUM -> terms.sum().neg();
            case MEAN -> terms.sum().neg().div(Shapes.numel(withoutDim(logp.shapeRef(), classDim)));
        };
    }

    /**
     * Per target position: the weighted negative log-probability of the target class ({@code loss}), the
     * target's class weight ({@code weight}) and whether it counts ({@code keep}); ignored positions hold 0.
     */
    private record Picked(Tensor loss, Tensor weight, Tensor keep) {}

    private static Picked pick(String op, Tensor logp, int classDim, Tensor target, Tensor w, long ignoreIndex) {
        int c = logp.size(classDim);
        Tensor keep = target.ne(ignoreIndex);
        Tensor safe = Tensor.where(keep, target, 0);    // ignored positions read class 0, then count for nothing
        checkRange(op, safe, c, ignoreIndex);
        // Note [gather, not one-hot]
        Tensor picked = logp.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim);
        Tensor weight = w == null ? keep.to(logp.dtype())
                : Tensor.where(keep, w.indexSelect(0, safe.reshape(-1)).reshape(target.shapeRef()), 0);
        // where, not a product alone: an ignored position whose class 0 has log-probability -inf must give 0
        Tensor loss = Tensor.where(keep, picked.mul(weight).neg(), 0);
        return new Picked(loss, weight, keep);
    }

    private static Tensor reduce(Tensor loss, Tensor weight, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(weight.sum());
        };
    }

    // ---------------------------------------------------------------- regression and binary losses

    /** The squared error {@code (input - target)²}, reduced; the target broadcasts (with a warning, as PyTorch). */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> mseLoss(t[0], t[1], reduction), input, target);
        Tensor d = difference("mseLoss", input, target);
        return reduce(d.mul(d), reduction);
    }

    /** The absolute error {@code |input - target|}, reduced. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> l1Loss(t[0], t[1], reduction), input, target);
        return reduce(difference("l1Loss", input, target).abs(), reduction);
    }

    /**
     * The binary cross entropy of logits against probabilities of the positive class, in the stable form
     * {@code (1 - y)·x + (1 + (p - 1)·y)·log(1 + e^-x)} with {@code log(1 + e^-x)} taken as
     * {@code max(-x, 0) + log(1 + e^-|x|)} (PyTorch's; with no posWeight {@code p} it is
     * {@code max(x, 0) - x·y + log(1 + e^-|x|)}). weight scales each element's loss; posWeight, broadcast along the
     * last dim, the positive term.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        if (Autocast.isActive()) return Autocast.fullPrecision(t -> binaryCrossEntropyWithLogits(t[0], t[1], t[2], t[3], reduction), input, target, weight, posWeight);
        String op = "binaryCrossEntropyWithLogits";
        if (!Arrays.equals(input.shapeRef(), target.shapeRef()))
            throw new IllegalArgumentException(op + ": target size " + Shapes.str(target.shapeRef())
                    + " must be the same as input size " + Shapes.str(input.shapeRef()));
        if (!input.isFloatingPoint() || !target.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected floating point input and target (the target holds "
                    + "probabilities of the positive class), got input " + input.dtype() + " and target "
                    + target.dtype());
        Tensor softplus = negLogSigmoid(input);
        if (posWeight != null) softplus = softplus.mul(fitted(op, "posWeight", posWeight, input).sub(1).mul(target).add(1));
        Tensor loss = target.rsub(1).mul(input).add(softplus);
        if (weight != null) loss = loss.mul(fitted(op, "weight", weight, input));
        return reduce(loss, reduction);
    }

    /**
     * {@code -log(sigmoid(x)) = max(-x, 0) + log(1 + e^-|x|)}, exact for every x. One node, with the slope
     * {@code -sigmoid(-x)}: composed of relu and abs, the slope at x = 0 would come out 0 instead of -1/2.
     */
    static Tensor negLogSigmoid(Tensor x) {
        Tensor out;
        try (GradMode g = GradMode.disable()) {
            out = x.neg().relu().add(x.abs().neg().exp().log1p());
        }
        return Graph.record("neg_log_sigmoid", out, x, g -> g.mul(x.neg().sigmoid()).neg(), x);
    }

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
        };
    }

    private static Tensor difference(String op, Tensor input, Tensor target) {
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected a floating point input, got " + input.dtype());
        if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
            try {
                Shapes.broadcast(input.shapeRef(), target.shapeRef());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": the target of shape " + Shapes.str(target.shapeRef())
                        + " does not broadcast with the input of shape " + Shapes.str(input.shapeRef()), e);
            }
            String message = op + ": using a target size " + Shapes.str(target.shapeRef()) + " that is different to "
                    + "the input size " + Shapes.str(input.shapeRef()) + ". This will likely lead to incorrect results due "
                    + "to broadcasting. Please ensure they have the same size.";
            if (WARNED.add(message)) LOG.log(System.Logger.Level.WARNING, message);
        }
        return input.sub(target);
    }

    /** A weight that broadcasts to the input's shape without growing it (PyTorch applies it in place). */
    private static Tensor fitted(String op, String name, Tensor w, Tensor input) {
        int[] shape;
        try {
            shape = Shapes.broadcast(w.shapeRef(), input.shapeRef());
        } catch (IllegalArgumentException e) {
            shape = null;
        }
        if (!Arrays.equals(shape, input.shapeRef()))
            throw new IllegalArgumentException(op + ": " + name + " of shape " + Shapes.str(w.shapeRef())
                    + " does not broadcast to the input's shape " + Shapes.str(input.shapeRef()));
        return w;
    }

    // ---------------------------------------------------------------- checks

    /** The class dim of a class loss's input, after checking it is floating point with a dim. */
    private static int classDim(String op, Tensor input) {
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected a floating point input, got " + input.dtype());
        if (input.dim() == 0)
            throw new IllegalArgumentException(op + ": expected an input of shape [C], [N, C] or [N, C, d1, ...], got "
                    + "a 0-d input");
        return input.dim() == 1 ? 0 : 1;
    }

    /** {@code weight} in the input's dtype, after checking it holds one value per class. */
    private static Tensor classWeight(String op, Tensor weight, Tensor input, int c) {
        if (weight == null) return null;
        if (weight.dim() != 1 || weight.size(0) != c)
            throw new IllegalArgumentException(op + ": weight should hold one value for each of the " + c
                    + " classes (shape [" + c + "]), got weight of shape " + Shapes.str(weight.shapeRef()));
        return weight.dtype() == input.dtype() ? weight : weight.to(input.dtype());
    }

    private static void checkIndexTarget(String op, Tensor input, int classDim, Tensor target, boolean orProbabilities) {
        int[] expected = withoutDim(input.shapeRef(), classDim);
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32)
            throw new IllegalArgumentException(op + ": expected a target of class indices (int64 or int32) of shape "
                    + Shapes.str(expected) + (orProbabilities ? ", or of class probabilities (floating point) of the "
                    + "input's shape " + Shapes.str(input.shapeRef()) : "") + ", got a " + target.dtype()
                    + " target of shape " + Shapes.str(target.shapeRef()));
        if (!Arrays.equals(expected, target.shapeRef()))
            throw new IllegalArgumentException(op + ": expected a target of shape " + Shapes.str(expected)
                    + " for the input of shape " + Shapes.str(input.shapeRef()) + " (the input's shape without the "
                    + "class dim " + classDim + "), got a target of shape " + Shapes.str(target.shapeRef()));
    }

    private static void checkProbabilityTarget(String op, Tensor input, Tensor target, long ignoreIndex) {
        if (!target.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected a floating point target of class probabilities, as "
                    + "the target has the input's shape " + Shapes.str(input.shapeRef()) + ", got " + target.dtype()
                    + " (a target of class indices has the input's shape without the class dim)");
        if (ignoreIndex >= 0)
            throw new IllegalArgumentException(op + ": ignoreIndex is not supported for a target of class "
                    + "probabilities, got ignoreIndex " + ignoreIndex);
    }

    /** Every counted target is a class: {@code safe} holds the targets with ignored ones replaced by 0. */
    private static void checkRange(String op, Tensor safe, int c, long ignoreIndex) {
        if (safe.numel() == 0) return;
        long hi, lo;
        try (GradMode g = GradMode.disable()) {
            hi = (long) safe.max().item();
            lo = (long) safe.min().item();
        }
        if (hi >= c || lo < 0)
            throw new IndexOutOfBoundsException(op + ": target " + (hi >= c ? hi : lo) + " is out of bounds: expected "
                    + "class indices in [0, " + c + ") for " + c + " classes, or the ignoreIndex " + ignoreIndex);
    }

    /** {@code w} ([C]) viewed to broadcast along the class dim of a rank-{@code rank} tensor. */
    private static Tensor alongClasses(Tensor w, int rank, int classDim) {
        int[] shape = new int[rank];
        Arrays.fill(shape, 1);
        shape[classDim] = w.size(0);
        return w.view(shape);
    }

    private static int[] withoutDim(int[] shape, int dim) {
        int[] r = new int[shape.length - 1];
        for (int i = 0, k = 0; i < shape.length; i++) if (i != dim) r[k++] = shape[i];
        return r;
    }
}
