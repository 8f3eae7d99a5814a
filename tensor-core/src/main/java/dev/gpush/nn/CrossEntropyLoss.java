package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * The cross entropy between logits and class indices or class probabilities, as PyTorch's
 * {@code nn.CrossEntropyLoss}: {@code new CrossEntropyLoss()}, or with options
 * {@code CrossEntropyLoss.builder().weight(w).ignoreIndex(0).labelSmoothing(0.1).build()}.
 * The class weight is a buffer named {@code weight}, so it moves with {@link #to} and is in the state dict.
 * See {@link Losses#crossEntropy} for the semantics.
 */
public class CrossEntropyLoss extends Module {
    private final Tensor weight;
    private final long ignoreIndex;
    private final Reduction reduction;
    private final double labelSmoothing;

    public CrossEntropyLoss() { this(null, Losses.IGNORE_INDEX, Reduction.MEAN, 0); }

    public CrossEntropyLoss(Reduction reduction) { this(null, Losses.IGNORE_INDEX, reduction, 0); }

    /** All of PyTorch's options; {@code weight} may be null. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0, got "
                    + labelSmoothing);
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
        this.labelSmoothing = labelSmoothing;
    }

    public static Builder builder() { return new Builder(); }

    /** The loss of logits {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** {@link #forward(Tensor, Tensor)}, as calling the module in PyTorch. */
    public Tensor apply(Tensor input, Tensor target) { return forward(input, target); }

    public Tensor weight() { return weight; }
    public long ignoreIndex() { return ignoreIndex; }
    public Reduction reduction() { return reduction; }
    public double labelSmoothing() { return labelSmoothing; }

    /** Options by name, PyTorch's defaults where unset. */
    public static final class Builder {
        private Tensor weight;
        private long ignoreIndex = Losses.IGNORE_INDEX;
        private Reduction reduction = Reduction.MEAN;
        private double labelSmoothing;

        private Builder() {}

        public Builder weight(Tensor weight) { this.weight = weight; return this; }
        public Builder ignoreIndex(long ignoreIndex) { this.ignoreIndex = ignoreIndex; return this; }
        public Builder reduction(Reduction reduction) { this.reduction = reduction; return this; }
        public Builder labelSmoothing(double labelSmoothing) { this.labelSmoothing = labelSmoothing; return this; }

        public CrossEntropyLoss build() { return new CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing); }
    }
}
