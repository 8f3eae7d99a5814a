package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/** The hyperbolic tangent, as PyTorch's {@code nn.Tanh}. */
public class Tanh extends Module {
    @Override public Tensor forward(Tensor input) { return input.tanh(); }
}
