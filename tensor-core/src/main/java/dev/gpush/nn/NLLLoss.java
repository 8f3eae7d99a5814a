package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * The negative log-likelihood of class indices under log-probabilities, as PyTorch's {@code nn.NLLLoss}:
 * {@code new NLLLoss()}, or {@code NLLLoss.builder().weight(w).ignoreIndex(0).reduction(Reduction.SUM).build()}.
 * The class weight is a buffer named {@code weight}. See {@link Losses#nllLoss}.
 */
public class NLLLoss extends Module {
    private final Tensor weight;
    private final long ignoreIndex;
    private final Reduction reduction;

    public NLLLoss() { this(null, Losses.IGNORE_INDEX, Reduction.MEAN); }

    public NLLLoss(Reduction reduction) { this(null, Losses.IGNORE_INDEX, reduction); }

    /** All of PyTorch's options; {@code weight} may be null. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
    }

    public static Builder builder() { return new Builder(); }

    /** The loss of log-probabilities {@code input} against class indices {@code target}. */
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** {@link #forward(Tensor, Tensor)}, as calling the module in PyTorch. */
    public Tensor apply(Tensor input, Tensor target) { return forward(input, target); }

    public Tensor weight() { return weight; }
    public long ignoreIndex() { return ignoreIndex; }
    public Reduction reduction() { return reduction; }

    /** Options by name, PyTorch's defaults where unset. */
    public static final class Builder {
        private Tensor weight;
        private long ignoreIndex = Losses.IGNORE_INDEX;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {}

        public Builder weight(Tensor weight) { this.weight = weight; return this; }
        public Builder ignoreIndex(long ignoreIndex) { this.ignoreIndex = ignoreIndex; return this; }
        public Builder reduction(Reduction reduction) { this.reduction = reduction; return this; }

        public NLLLoss build() { return new NLLLoss(weight, ignoreIndex, reduction); }
    }
}
