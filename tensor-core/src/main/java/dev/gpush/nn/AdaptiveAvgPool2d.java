package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * Average pooling of [N, C, H, W] (or [C, H, W]) images to a fixed output size, as PyTorch's
 * {@code nn.AdaptiveAvgPool2d}: output row i averages input rows {@code [floor(i*H/outH), ceil((i+1)*H/outH))},
 * and likewise for columns, so windows may overlap when the sizes don't divide.
 */
public class AdaptiveAvgPool2d extends Module {
    public final int outputHeight, outputWidth;
    private final boolean square;        // made from one int: printed as output_size=1, as PyTorch does

    public AdaptiveAvgPool2d(int outputSize) { this(outputSize, outputSize, true); }
    public AdaptiveAvgPool2d(int outputHeight, int outputWidth) { this(outputHeight, outputWidth, false); }

    private AdaptiveAvgPool2d(int outputHeight, int outputWidth, boolean square) {
        if (outputHeight < 1 || outputWidth < 1)
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got (" + outputHeight
                    + ", " + outputWidth + ")");
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.square = square;
    }

    @Override public Tensor forward(Tensor input) { return Convolution.adaptiveAvgPool2d(input, outputHeight, outputWidth); }

    @Override protected String extraRepr() {
        return "output_size=" + (square ? String.valueOf(outputHeight) : Repr.pyTuple(new int[]{outputHeight, outputWidth}));
    }
}
