package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/** The squared error, as PyTorch's {@code nn.MSELoss}: {@code new MSELoss()} or {@code new MSELoss(Reduction.SUM)}. */
public class MSELoss extends Module {
    private final Reduction reduction;

    public MSELoss() { this(Reduction.MEAN); }

    public MSELoss(Reduction reduction) { this.reduction = java.util.Objects.requireNonNull(reduction, "reduction"); }

    public Tensor forward(Tensor input, Tensor target) { return Losses.mseLoss(input, target, reduction); }

    /** {@link #forward(Tensor, Tensor)}, as calling the module in PyTorch. */
    public Tensor apply(Tensor input, Tensor target) { return forward(input, target); }

    public Reduction reduction() { return reduction; }
}
