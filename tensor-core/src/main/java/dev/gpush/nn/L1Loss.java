package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/** The absolute error, as PyTorch's {@code nn.L1Loss}: {@code new L1Loss()} or {@code new L1Loss(Reduction.SUM)}. */
public class L1Loss extends Module {
    private final Reduction reduction;

    public L1Loss() { this(Reduction.MEAN); }

    public L1Loss(Reduction reduction) { this.reduction = java.util.Objects.requireNonNull(reduction, "reduction"); }

    public Tensor forward(Tensor input, Tensor target) { return Losses.l1Loss(input, target, reduction); }

    /** {@link #forward(Tensor, Tensor)}, as calling the module in PyTorch. */
    public Tensor apply(Tensor input, Tensor target) { return forward(input, target); }

    public Reduction reduction() { return reduction; }
}
