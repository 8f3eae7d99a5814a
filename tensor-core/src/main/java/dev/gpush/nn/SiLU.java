package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/** {@code x * sigmoid(x)} (swish), as PyTorch's {@code nn.SiLU}. */
public class SiLU extends Module {
    @Override public Tensor forward(Tensor input) { return input.silu(); }
}
