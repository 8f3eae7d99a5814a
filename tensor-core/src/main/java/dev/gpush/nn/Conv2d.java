package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Tensor;

import static dev.gpush.nn.Convolution.pair;

/**
 * 2-d convolution over [N, C, H, W] (or unbatched [C, H, W]) images, as PyTorch's {@code nn.Conv2d}: weight
 * [out, in/groups, kh, kw] and bias [out] (or none), initialised as PyTorch does: weight by
 * {@code kaimingUniform_(a = sqrt(5))}, uniform on ±1/sqrt(fanIn) with fanIn = in/groups * kh * kw, and bias
 * uniform on the same bound. Pairs are {@code {h, w}}; an int stands for both.
 */
public class Conv2d extends Module {
    public final int inChannels, outChannels, groups;
    public final int[] kernelSize, stride, dilation;
    /** Ignored when {@link #paddingMode} is set. */
    public final int[] padding;
    /** "same" or "valid" for a convolution made with a padding string, else null. */
    public final String paddingMode;
    public final Tensor weight;
    /** Null when made with {@code bias = false}. */
    public final Tensor bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, pair(kernelSize), pair(1), pair(0), pair(1), 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding), pair(1), 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding), pair(dilation), groups, bias);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias);
    }

    /** {@code padding} "same" (stride 1) or "valid". */
    public Conv2d(int inChannels, int outChannels, int kernelSize, String padding) {
        this(inChannels, outChannels, pair(kernelSize), pair(1), pair(0), padding, pair(1), 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation,
                  int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, pair(0), padding, dilation, groups, bias);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingMode,
                   int[] dilation, int groups, boolean bias) {
        if (groups < 1) throw new IllegalArgumentException("Conv2d: groups must be a positive integer, got " + groups);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new IllegalArgumentException("Conv2d: in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ") must be divisible by groups (" + groups + ")");
        if (paddingMode != null && !paddingMode.equals("same") && !paddingMode.equals("valid"))
            throw new IllegalArgumentException("Conv2d: invalid padding string '" + paddingMode
                    + "', should be one of 'valid', 'same'");
        if ("same".equals(paddingMode) && (stride[0] != 1 || stride[1] != 1))
            throw new IllegalArgumentException("Conv2d: padding='same' is not supported for strided convolutions");
        for (int[] p : new int[][]{kernelSize, stride, padding, dilation})
            if (p.length != 2)
                throw new IllegalArgumentException("Conv2d: kernel size, stride, padding and dilation are pairs {h, w}, "
                        + "got " + java.util.Arrays.toString(p));
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.paddingMode = paddingMode;
        this.dilation = dilation.clone();
        this.weight = registerParameter("weight", Tensor.empty(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outChannels) : null);
        resetParameters();
    }

    /** Draws fresh weights from the default generator, as at construction. */
    public void resetParameters() {
        try (GradMode ng = GradMode.disable()) {
            Init.kaimingUniform_(weight, Math.sqrt(5));
            if (bias != null) {
                int fanIn = Init.calculateFanInAndFanOut(weight)[0];
                double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
                Init.uniform_(bias, -bound, bound);
            }
        }
    }

    @Override public Tensor forward(Tensor input) {
        return paddingMode != null
                ? Convolution.conv2d(input, weight, bias, stride, paddingMode, dilation, groups)
                : Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** PyTorch's: the defaults (no padding, dilation 1, one group, a bias) are left out. */
    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Repr.pyTuple(kernelSize)).append(", stride=").append(Repr.pyTuple(stride));
        if (paddingMode != null) s.append(", padding=").append(paddingMode);
        else if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(Repr.pyTuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(Repr.pyTuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }
}
