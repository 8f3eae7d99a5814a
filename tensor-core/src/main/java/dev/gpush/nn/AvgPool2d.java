package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

import static dev.gpush.nn.Convolution.pair;
import static dev.gpush.nn.Convolution.pyArg;

/**
 * The mean of each window of [N, C, H, W] (or [C, H, W]) images, as PyTorch's {@code nn.AvgPool2d}; the stride
 * defaults to the kernel size. With {@code countIncludePad} (the default) zero padding counts in the divisor;
 * a non-null {@code divisorOverride} replaces the divisor. Pairs are {@code {h, w}}.
 */
public class AvgPool2d extends Module {
    public final int[] kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;
    public final Integer divisorOverride;
    private final boolean givenAsInts;   // printed as PyTorch prints what it was given: 2 or (2, 2)

    public AvgPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }
    public AvgPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0); }
    public AvgPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, false, true, null); }

    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad,
                     Integer divisorOverride) {
        this(pair(kernelSize), pair(stride), pair(padding), ceilMode, countIncludePad, divisorOverride, true);
    }

    /** {@code stride} null: the kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                     Integer divisorOverride) {
        this(kernelSize, stride == null ? kernelSize : stride, padding, ceilMode, countIncludePad, divisorOverride, false);
    }

    private AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                      Integer divisorOverride, boolean ints) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.givenAsInts = ints;
    }

    @Override public Tensor forward(Tensor input) {
        return Convolution.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override protected String extraRepr() {
        return "kernel_size=" + pyArg(kernelSize, givenAsInts) + ", stride=" + pyArg(stride, givenAsInts)
                + ", padding=" + pyArg(padding, givenAsInts);
    }
}
