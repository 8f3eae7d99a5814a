package dev.gpush.nn;

import dev.gpush.ops.Reductions.ValuesIndices;
import dev.gpush.tensor.Tensor;

import static dev.gpush.nn.Convolution.pair;
import static dev.gpush.nn.Convolution.pyArg;

/**
 * The maximum of each window of [N, C, H, W] (or [C, H, W]) images, as PyTorch's {@code nn.MaxPool2d}; the stride
 * defaults to the kernel size, and the gradient goes to each window's first maximum. Pairs are {@code {h, w}}.
 */
public class MaxPool2d extends Module {
    public final int[] kernelSize, stride, padding, dilation;
    public final boolean ceilMode;
    private final boolean givenAsInts;   // printed as PyTorch prints what it was given: 2 or (2, 2)

    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0, 1, false); }
    public MaxPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0, 1, false); }
    public MaxPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, 1, false); }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this(pair(kernelSize), pair(stride), pair(padding), pair(dilation), ceilMode, true);
    }

    /** {@code stride} null: the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this(kernelSize, stride == null ? kernelSize : stride, padding, dilation, ceilMode, false);
    }

    private MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean ints) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
        this.givenAsInts = ints;
    }

    @Override public Tensor forward(Tensor input) {
        return Convolution.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** The maxima and their positions {@code h * W + w} in the input (PyTorch's {@code return_indices=True}). */
    public ValuesIndices forwardWithIndices(Tensor input) {
        return Convolution.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override protected String extraRepr() {
        return "kernel_size=" + pyArg(kernelSize, givenAsInts) + ", stride=" + pyArg(stride, givenAsInts)
                + ", padding=" + pyArg(padding, givenAsInts) + ", dilation=" + pyArg(dilation, givenAsInts)
                + ", ceil_mode=" + Repr.pyBool(ceilMode);
    }
}
