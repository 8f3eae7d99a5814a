package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout}: in training each element is zeroed with probability
 * {@code p} and the survivors scaled by {@code 1/(1-p)}; in eval mode the input passes through unchanged.
 * The mask is drawn from the default generator.
 */
public class Dropout extends Module {
    public final double p;

    public Dropout() { this(0.5); }

    public Dropout(double p) {
        Basic.checkProbability(p);
        this.p = p;
    }

    @Override public Tensor forward(Tensor input) { return Basic.dropout(input, p, training); }

    @Override protected String extraRepr() { return "p=" + Repr.pyFloat(p) + ", inplace=False"; }
}
