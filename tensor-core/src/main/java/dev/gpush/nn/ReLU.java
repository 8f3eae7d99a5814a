package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/** {@code max(x, 0)}, as PyTorch's {@code nn.ReLU}. */
public class ReLU extends Module {
    @Override public Tensor forward(Tensor input) { return input.relu(); }
}
