package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * The binary cross entropy of logits, as PyTorch's {@code nn.BCEWithLogitsLoss}: {@code new BCEWithLogitsLoss()},
 * or {@code BCEWithLogitsLoss.builder().posWeight(p).build()}. {@code weight} and {@code posWeight} are buffers
 * named {@code weight} and {@code pos_weight}, as in PyTorch's state dict. See
 * {@link Losses#binaryCrossEntropyWithLogits}.
 */
public class BCEWithLogitsLoss extends Module {
    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    public BCEWithLogitsLoss() { this(null, Reduction.MEAN, null); }

    public BCEWithLogitsLoss(Reduction reduction) { this(null, reduction, null); }

    /** All of PyTorch's options, in its order; {@code weight} and {@code posWeight} may be null. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        this.weight = registerBuffer("weight", weight);
        this.posWeight = registerBuffer("pos_weight", posWeight);
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
    }

    public static Builder builder() { return new Builder(); }

    /** The loss of logits {@code input} against probabilities {@code target} of the positive class. */
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    /** {@link #forward(Tensor, Tensor)}, as calling the module in PyTorch. */
    public Tensor apply(Tensor input, Tensor target) { return forward(input, target); }

    public Tensor weight() { return weight; }
    public Tensor posWeight() { return posWeight; }
    public Reduction reduction() { return reduction; }

    /** Options by name, PyTorch's defaults where unset. */
    public static final class Builder {
        private Tensor weight, posWeight;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {}

        public Builder weight(Tensor weight) { this.weight = weight; return this; }
        public Builder posWeight(Tensor posWeight) { this.posWeight = posWeight; return this; }
        public Builder reduction(Reduction reduction) { this.reduction = reduction; return this; }

        public BCEWithLogitsLoss build() { return new BCEWithLogitsLoss(weight, reduction, posWeight); }
    }
}
