package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Tensor;

/**
 * {@code y = x W^T + b}, as PyTorch's {@code nn.Linear}: weight [out, in], bias [out] (or none). Initialised as
 * PyTorch does: weight by {@code kaimingUniform_(a = sqrt(5))}, which is uniform on ±1/sqrt(in), and bias uniform
 * on the same ±1/sqrt(in).
 */
public class Linear extends Module {
    public final int inFeatures, outFeatures;
    public final Tensor weight;
    /** Null when made with {@code bias = false}. */
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures) { this(inFeatures, outFeatures, true); }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0)
            throw new IllegalArgumentException("Linear: feature counts must be non-negative, got in_features="
                    + inFeatures + ", out_features=" + outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(outFeatures, inFeatures));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters();
    }

    /** Draws fresh weights from the default generator, as at construction. */
    public void resetParameters() {
        try (GradMode ng = GradMode.disable()) {
            Init.kaimingUniform_(weight, Math.sqrt(5));
            if (bias != null) {
                int fanIn = inFeatures;
                double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
                Init.uniform_(bias, -bound, bound);
            }
        }
    }

    @Override public Tensor forward(Tensor input) { return Basic.linear(input, weight, bias); }

    @Override protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.pyBool(bias != null);
    }
}
