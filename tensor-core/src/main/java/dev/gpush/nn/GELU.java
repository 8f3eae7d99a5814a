package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * {@code x * Phi(x)}, as PyTorch's {@code nn.GELU}: exact with {@code approximate = "none"} (the default), or
 * with the tanh approximation for {@code "tanh"}.
 */
public class GELU extends Module {
    public final String approximate;
    private final boolean tanh;

    public GELU() { this("none"); }

    public GELU(String approximate) {
        this.tanh = Basic.tanhApproximation(approximate);
        this.approximate = approximate;
    }

    @Override public Tensor forward(Tensor input) { return input.gelu(tanh); }

    @Override protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
