package dev.gpush.nn;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.GradMode;
import dev.gpush.ops.Reductions.ValuesIndices;
import dev.gpush.ops.Windows;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * The functional forms of 2-d convolution and pooling ({@code F.conv2d}, {@code F.maxPool2d}, ...), as PyTorch's.
 * Rules:
 * <ul>
 *   <li>Where the device has fused kernels (cuDNN on CUDA; conv2d in float32 and float64 on the CPU), conv2d,
 *       maxPool2d and avgPool2d run them as one autograd node each (Note [fused windows], {@link FusedWindows});
 *       everywhere else they run the composites below.</li>
 *   <li>Every window op is {@link Windows#unfold} (im2col) followed by ordinary tensor ops, so every backward
 *       comes from those ops: conv2d is one batched GEMM per group against the unfolded input, max pooling a
 *       max over the window dim (the gradient goes to the first maximum), average pooling a sum and a divide.
 *       The backward of the unfold is {@link Windows#fold}, which adds overlapping windows up.</li>
 *   <li>Images are [N, C, H, W]; an unbatched [C, H, W] is taken as a batch of one and given back unbatched.</li>
 *   <li>Pairs are {@code {h, w}}: stride, padding, dilation and kernel sizes.</li>
 *   <li>Adaptive average pooling averages rows and columns separately (a mean over a rectangle is a mean of
 *       means), as two small GEMMs with PyTorch's windows: {@code [floor(i*in/out), ceil((i+1)*in/out))}.</li>
 * </ul>
 */
final class Convolution {
    private Convolution() {}

    // ---------------------------------------------------------------- convolution

    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        if (Autocast.isActive()) return Autocast.lowPrecision(t -> conv2d(t[0], t[1], t[2], stride, padding, dilation, groups), x, w, b);
        checkPairs("conv2d", stride, padding, dilation);
        if (w.dim() != 4)
            throw new IllegalArgumentException("conv2d: expected a 4D weight [out_channels, in_channels/groups, kh, kw], "
                    + "got shape " + Shapes.str(w.shapeRef()));
        int[] out = new int[2];
        for (int k = 0; k < 2; k++) out[k] = x.dim() < 3 ? 0 : Windows.outputSize(x.size(-2 + k), w.size(2 + k),
                stride[k], padding[k], dilation[k]);
        return conv2d(x, w, b, stride, padding, dilation, groups, out);
    }

    /**
     * {@code padding} "valid" (none) or "same" (the output keeps the input's size; stride 1 only). For an even
     * dilated kernel the extra row or column of padding goes at the end, as in PyTorch.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, String padding, int[] dilation, int groups) {
        checkPairs("conv2d", stride, new int[]{0, 0}, dilation);
        if (padding.equals("valid")) return conv2d(x, w, b, stride, new int[]{0, 0}, dilation, groups);
        if (!padding.equals("same"))
            throw new IllegalArgumentException("conv2d: invalid padding string '" + padding + "', should be one of "
                    + "'valid', 'same'");
        if (stride[0] != 1 || stride[1] != 1)
            throw new IllegalArgumentException("conv2d: padding='same' is not supported for strided convolutions");
        if (w.dim() != 4 || x.dim() < 3) return conv2d(x, w, b, stride, new int[]{0, 0}, dilation, groups);
        int[] left = {dilation[0] * (w.size(2) - 1) / 2, dilation[1] * (w.size(3) - 1) / 2};
        return conv2d(x, w, b, stride, left, dilation, groups, new int[]{x.size(-2), x.size(-1)});
    }

    private static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups,
                                 int[] outSize) {
        checkImage("conv2d", x);
        if (x.dim() == 3) return conv2d(x.unsqueeze(0), w, b, stride, padding, dilation, groups, outSize).squeeze(0);
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != x.dtype()))
            throw new IllegalArgumentException("conv2d: expected input, weight and bias of one dtype, got " + x.dtype()
                    + ", " + w.dtype() + (b == null ? "" : " and " + b.dtype()));
        int n = x.size(0), c = x.size(1), o = w.size(0), kh = w.size(2), kw = w.size(3);
        if (groups < 1) throw new IllegalArgumentException("conv2d: groups must be a positive integer, got " + groups);
        if (o % groups != 0)
            throw new IllegalArgumentException("conv2d: out_channels (" + o + ", weight of shape "
                    + Shapes.str(w.shapeRef()) + ") must be divisible by groups (" + groups + ")");
        if (c != w.size(1) * groups)
            throw new IllegalArgumentException("conv2d: given groups=" + groups + ", weight of shape "
                    + Shapes.str(w.shapeRef()) + " expects input of shape " + Shapes.str(x.shapeRef()) + " to have "
                    + w.size(1) * groups + " channels, but it has " + c + " channels");
        if (b != null && (b.dim() != 1 || b.size(0) != o))
            throw new IllegalArgumentException("conv2d: expected a bias of shape [" + o + "], got "
                    + Shapes.str(b.shapeRef()));
        int ph = x.size(2) + 2 * padding[0], pw = x.size(3) + 2 * padding[1];
        int eh = dilation[0] * (kh - 1) + 1, ew = dilation[1] * (kw - 1) + 1;
        if (outSize[0] < 1 || outSize[1] < 1)   // the padded input is smaller than the dilated kernel
            throw new IllegalArgumentException("conv2d: padded input size per channel (" + ph + " x " + pw + ") is "
                    + "smaller than the dilated kernel (" + eh + " x " + ew + "), input of shape "
                    + Shapes.str(x.shapeRef()) + ", weight of shape " + Shapes.str(w.shapeRef()));
        Tensor fused = FusedWindows.conv2d(x, w, b, stride, padding, dilation, groups, outSize);
        if (fused != null) return fused;
        int oh = outSize[0], ow = outSize[1], k = c / groups * kh * kw, l = oh * ow;
        Tensor cols = Windows.unfold(x, kh, kw, oh, ow, stride, padding, dilation);
        // one GEMM per image and group: [O/g, K] @ [K, L]
        Tensor y = groups == 1
                ? w.reshape(o, k).matmul(cols.reshape(n, k, l))
                : w.reshape(groups, o / groups, k).matmul(cols.reshape(n, groups, k, l));
        y = y.reshape(n, o, oh, ow);
        return b == null ? y : y.add(b.view(o, 1, 1));
    }

    // ---------------------------------------------------------------- unfold and fold, PyTorch's layout

    /** {@code x} [N, C, H, W] to [N, C*kh*kw, L], one column per window (PyTorch's {@code F.unfold}). */
    public static Tensor unfold(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        checkPairs("unfold", stride, padding, dilation);
        checkImage("unfold", x);
        if (x.dim() == 3) return unfold(x.unsqueeze(0), kernel, dilation, padding, stride).squeeze(0);
        int oh = Windows.outputSize(x.size(2), kernel[0], stride[0], padding[0], dilation[0]);
        int ow = Windows.outputSize(x.size(3), kernel[1], stride[1], padding[1], dilation[1]);
        if (kernel[0] < 1 || kernel[1] < 1 || oh < 1 || ow < 1)
            throw new IllegalArgumentException("unfold: input of shape " + Shapes.str(x.shapeRef()) + " with "
                    + windowArgs(kernel, dilation, padding, stride) + " has " + oh + " x " + ow
                    + " windows; expected at least one");
        return Windows.unfold(x, kernel[0], kernel[1], oh, ow, stride, padding, dilation)
                .reshape(x.size(0), x.size(1) * kernel[0] * kernel[1], oh * ow);
    }

    /** The adjoint of {@link #unfold}: [N, C*kh*kw, L] summed into [N, C, H, W] (PyTorch's {@code F.fold}). */
    public static Tensor fold(Tensor cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        checkPairs("fold", stride, padding, dilation);
        if (cols.dim() == 2) return fold(cols.unsqueeze(0), outputSize, kernel, dilation, padding, stride).squeeze(0);
        int kk = kernel[0] * kernel[1];
        int oh = Windows.outputSize(outputSize[0], kernel[0], stride[0], padding[0], dilation[0]);
        int ow = Windows.outputSize(outputSize[1], kernel[1], stride[1], padding[1], dilation[1]);
        if (cols.dim() != 3 || kk < 1 || cols.size(1) % kk != 0 || oh < 1 || ow < 1 || cols.size(2) != oh * ow)
            throw new IllegalArgumentException("fold: given output_size=" + Repr.pyTuple(outputSize) + ", "
                    + windowArgs(kernel, dilation, padding, stride) + ", expected input of shape [N, C*" + kk + ", "
                    + oh + "*" + ow + "], got " + Shapes.str(cols.shapeRef()));
        Tensor c6 = cols.reshape(cols.size(0), cols.size(1) / kk, kernel[0], kernel[1], oh, ow);
        return Windows.fold(c6, outputSize[0], outputSize[1], stride, padding, dilation);
    }

    // ---------------------------------------------------------------- pooling

    /** Max over each window; positions outside the image never win. Gradients go to the first maximum. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        checkImage("maxPool2d", x);
        if (x.dim() == 3) return maxPool2d(x.unsqueeze(0), kernel, stride, padding, dilation, ceilMode).squeeze(0);
        int[] s = strideOr(kernel, stride);
        int[] out = poolShape("maxPool2d", x, kernel, s, padding, dilation, ceilMode);
        Tensor fused = FusedWindows.pool2d(x, true, kernel, s, padding, dilation, false, null, out);
        if (fused != null) return fused;
        return maxPool2dWithIndices(x, kernel, stride, padding, dilation, ceilMode).values();
    }

    /** Values and, as PyTorch's {@code return_indices=True}, each maximum's int64 position {@code h * W + w}. */
    public static ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                     boolean ceilMode) {
        checkImage("maxPool2d", x);
        if (x.dim() == 3) {
            ValuesIndices r = maxPool2dWithIndices(x.unsqueeze(0), kernel, stride, padding, dilation, ceilMode);
            return new ValuesIndices(r.values().squeeze(0), r.indices().squeeze(0));
        }
        int[] s = strideOr(kernel, stride);
        int[] out = poolShape("maxPool2d", x, kernel, s, padding, dilation, ceilMode);
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), kk = kernel[0] * kernel[1];
        Tensor cols = Windows.unfold(x, kernel[0], kernel[1], out[0], out[1], s, padding, dilation)
                .reshape(n, c, kk, out[0], out[1]);
        long[] positions = new long[kk * out[0] * out[1]];
        boolean leaves = false;
        for (int i = 0, p = 0; i < kernel[0]; i++)
            for (int j = 0; j < kernel[1]; j++)
                for (int y = 0; y < out[0]; y++)
                    for (int z = 0; z < out[1]; z++, p++) {
                        int iy = y * s[0] - padding[0] + i * dilation[0], ix = z * s[1] - padding[1] + j * dilation[1];
                        boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                        positions[p] = inside ? (long) iy * w + ix : -1;
                        leaves |= !inside;
                    }
        Tensor where = Tensor.of(positions).view(kk, out[0], out[1]).to(x.device());
        if (leaves) cols = cols.maskedFill(where.lt(0), Double.NEGATIVE_INFINITY);
        ValuesIndices m = cols.max(2);
        Tensor idx;
        try (GradMode ng = GradMode.disable()) {
            idx = where.expand(n, c, kk, out[0], out[1]).gather(2, m.indices().unsqueeze(2)).squeeze(2);
        }
        return new ValuesIndices(m.values(), idx);
    }

    /**
     * Mean over each window. With {@code countIncludePad} the zero padding counts in the divisor (but not the part
     * of a ceil-mode window past it); {@code divisorOverride}, when not null, replaces the divisor.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        checkImage("avgPool2d", x);
        if (x.dim() == 3)
            return avgPool2d(x.unsqueeze(0), kernel, stride, padding, ceilMode, countIncludePad, divisorOverride).squeeze(0);
        if (divisorOverride != null && divisorOverride == 0)
            throw new IllegalArgumentException("avgPool2d: divisor must be not zero");
        int[] s = strideOr(kernel, stride), one = {1, 1};
        int[] out = poolShape("avgPool2d", x, kernel, s, padding, one, ceilMode);
        Tensor fused = FusedWindows.pool2d(x, false, kernel, s, padding, one, countIncludePad, divisorOverride, out);
        if (fused != null) return fused;
        int n = x.size(0), c = x.size(1);
        Tensor sums = Windows.unfold(x, kernel[0], kernel[1], out[0], out[1], s, padding, one)
                .reshape(n, c, kernel[0] * kernel[1], out[0], out[1]).sum(2);
        if (divisorOverride != null) return sums.div(divisorOverride);
        return sums.div(poolDivisor(x, kernel, s, padding, out, countIncludePad));
    }

    /**
     * Average pooling's divisor per output position [oh, ow]: the window's size, clipped to the padded image, with
     * {@code countIncludePad}; the part inside the image without.
     */
    static Tensor poolDivisor(Tensor x, int[] kernel, int[] s, int[] padding, int[] out, boolean countIncludePad) {
        int h = x.size(-2), w = x.size(-1);
        double[] divisor = new double[out[0] * out[1]];
        for (int y = 0; y < out[0]; y++)
            for (int z = 0; z < out[1]; z++) {
                int h0 = y * s[0] - padding[0], w0 = z * s[1] - padding[1];
                int h1 = Math.min(h0 + kernel[0], h + padding[0]), w1 = Math.min(w0 + kernel[1], w + padding[1]);
                int padded = (h1 - h0) * (w1 - w0);
                int inside = (Math.min(h1, h) - Math.max(h0, 0)) * (Math.min(w1, w) - Math.max(w0, 0));
                divisor[y * out[1] + z] = countIncludePad ? padded : inside;
            }
        return Tensor.of(divisor).view(out[0], out[1]).to(x.device(), x.dtype());
    }

    /** Mean over PyTorch's adaptive windows, to an output of {@code outH x outW}. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        checkImage("adaptiveAvgPool2d", x);
        if (outH < 1 || outW < 1)
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got (" + outH + ", "
                    + outW + ")");
        if (x.size(-2) < 1 || x.size(-1) < 1)
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected an input with non-zero height and width, "
                    + "got shape " + Shapes.str(x.shapeRef()));
        Tensor rows = averaging(outH, x.size(-2), x), cols = averaging(outW, x.size(-1), x);
        return rows.matmul(x).matmul(cols.t());
    }

    /** [out, in]: row i averages positions {@code [floor(i*in/out), ceil((i+1)*in/out))}. */
    private static Tensor averaging(int out, int in, Tensor like) {
        double[] m = new double[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out), end = (int) (((long) (i + 1) * in + out - 1) / out);
            for (int k = start; k < end; k++) m[i * in + k] = 1.0 / (end - start);
        }
        return Tensor.of(m).view(out, in).to(like.device(), like.dtype());
    }

    // ---------------------------------------------------------------- shapes and checks

    /** Output [oh, ow] of a pooling window, with PyTorch's ceil-mode rule and checks. */
    private static int[] poolShape(String op, Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        checkPairs(op, stride, padding, dilation);
        if (kernel.length != 2 || kernel[0] < 1 || kernel[1] < 1)
            throw new IllegalArgumentException(op + ": kernel size should be two numbers greater than zero, got "
                    + Arrays.toString(kernel));
        if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2)
            throw new IllegalArgumentException(op + ": pad should be at most half of kernel size, but got padding "
                    + Repr.pyTuple(padding) + " and kernel_size " + Repr.pyTuple(kernel));
        int[] out = new int[2];
        for (int k = 0; k < 2; k++) {
            int in = x.size(2 + k);
            int o = Math.floorDiv(in + 2 * padding[k] - dilation[k] * (kernel[k] - 1) - 1
                    + (ceilMode ? stride[k] - 1 : 0), stride[k]) + 1;
            // in ceil mode the last window must start inside the image or its left padding
            if (ceilMode && (o - 1) * stride[k] >= in + padding[k]) o--;
            out[k] = o;
        }
        if (out[0] < 1 || out[1] < 1)
            throw new IllegalArgumentException(op + ": given input of shape " + Shapes.str(x.shapeRef())
                    + ", the calculated output size (" + out[0] + " x " + out[1] + ") is too small");
        return out;
    }

    private static int[] strideOr(int[] kernel, int[] stride) {
        return stride == null || stride.length == 0 ? kernel : stride;
    }

    private static void checkImage(String op, Tensor x) {
        if (x.dim() != 3 && x.dim() != 4)
            throw new IllegalArgumentException(op + ": expected 3D (unbatched) or 4D (batched) input, got " + x.dim()
                    + "D input of shape " + Shapes.str(x.shapeRef()));
    }

    private static void checkPairs(String op, int[] stride, int[] padding, int[] dilation) {
        if (stride.length != 2 || padding.length != 2 || dilation.length != 2)
            throw new IllegalArgumentException(op + ": stride, padding and dilation are pairs {h, w}, got "
                    + Arrays.toString(stride) + ", " + Arrays.toString(padding) + " and " + Arrays.toString(dilation));
        for (int k = 0; k < 2; k++)
            if (stride[k] < 1 || dilation[k] < 1 || padding[k] < 0)
                throw new IllegalArgumentException(op + ": expected stride and dilation >= 1 and padding >= 0, got stride="
                        + Repr.pyTuple(stride) + ", padding=" + Repr.pyTuple(padding) + ", dilation=" + Repr.pyTuple(dilation));
    }

    private static String windowArgs(int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return "kernel_size=" + Repr.pyTuple(kernel) + ", dilation=" + Repr.pyTuple(dilation) + ", padding="
                + Repr.pyTuple(padding) + ", stride=" + Repr.pyTuple(stride);
    }

    /** {@code {v, v}}. */
    static int[] pair(int v) { return new int[]{v, v}; }

    /** A pooling argument as PyTorch prints it: the int the user gave ({@code 2}) or a tuple ({@code (2, 3)}). */
    static String pyArg(int[] v, boolean givenAsInt) { return givenAsInt ? String.valueOf(v[0]) : Repr.pyTuple(v); }
}
