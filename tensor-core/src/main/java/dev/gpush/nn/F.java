package dev.gpush.nn;

/**
 * The functional forms of the layers, as PyTorch's {@code torch.nn.functional} ({@code F.linear(x, w, b)}).
 * Each method is one call into the class that implements its family; the sections below are by family.
 */
public final class F {
    private F() {}

    // ---------------------------------------------------------------- linear, embedding, normalisation, dropout, activations

    // ---------------------------------------------------------------- attention

    // ---------------------------------------------------------------- convolution, pooling, batch norm

    // ---------------------------------------------------------------- losses
}
