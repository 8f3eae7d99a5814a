package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * The functional forms of the layers, as PyTorch's {@code torch.nn.functional} ({@code F.linear(x, w, b)}).
 * Each method is one call into the class that implements its family; the sections below are by family.
 */
public final class F {
    private F() {}

    // ---------------------------------------------------------------- linear, embedding, normalisation, dropout, activations

    /** {@code x @ w^T + b} over any leading dims of x; {@code b} may be null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) { return Basic.linear(x, w, b); }
    public static Tensor linear(Tensor x, Tensor w) { return Basic.linear(x, w, null); }

    /** Rows of {@code weight} at integer {@code indices} (any shape): shape {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) { return Basic.embedding(indices, weight, paddingIdx); }
    public static Tensor embedding(Tensor indices, Tensor weight) { return Basic.embedding(indices, weight, null); }

    /** Normalises over the trailing dims {@code shape}; {@code w} and {@code b} may be null. */
    public static Tensor layerNorm(Tensor x, int[] shape, Tensor w, Tensor b, double eps) { return Basic.layerNorm(x, shape, w, b, eps); }
    public static Tensor layerNorm(Tensor x, int[] shape, Tensor w, Tensor b) { return Basic.layerNorm(x, shape, w, b, 1e-5); }
    public static Tensor layerNorm(Tensor x, int[] shape) { return Basic.layerNorm(x, shape, null, null, 1e-5); }

    /** Inverted dropout when {@code training}; {@code x} itself otherwise. */
    public static Tensor dropout(Tensor x, double p, boolean training) { return Basic.dropout(x, p, training); }
    public static Tensor dropout(Tensor x, double p) { return Basic.dropout(x, p, true); }

    public static Tensor relu(Tensor x) { return x.relu(); }
    /** GELU with {@code approximate} "none" (exact, erf) or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) { return Basic.gelu(x, approximate); }
    public static Tensor gelu(Tensor x) { return x.gelu(); }
    public static Tensor silu(Tensor x) { return x.silu(); }
    public static Tensor tanh(Tensor x) { return x.tanh(); }
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    // ---------------------------------------------------------------- attention

    /**
     * softmax(q kᵀ · scale + mask) @ v over [..., L, E] inputs; a bool {@code attnMask} is true where attention is
     * allowed, a floating one is added; {@code scale} null means 1/sqrt(E). See {@link Attention}.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal, Double scale) { return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, scale); }
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal) { return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, null); }
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask) { return Attention.scaledDotProductAttention(query, key, value, attnMask, 0, false, null); }
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) { return Attention.scaledDotProductAttention(query, key, value, null, 0, false, null); }

    // ---------------------------------------------------------------- convolution, pooling, batch norm

    /** 2-d convolution of x [N, C, H, W] (or [C, H, W]) with w [O, C/groups, kh, kw]; b [O] may be null. Pairs are {h, w}. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) { return Convolution.conv2d(x, w, b, stride, padding, dilation, groups); }
    /** {@code padding} "same" (output keeps the input's size; stride 1) or "valid" (none). */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, String padding, int[] dilation, int groups) { return Convolution.conv2d(x, w, b, stride, padding, dilation, groups); }
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, int groups) { return Convolution.conv2d(x, w, b, Convolution.pair(stride), Convolution.pair(padding), Convolution.pair(dilation), groups); }
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) { return Convolution.conv2d(x, w, b, Convolution.pair(stride), Convolution.pair(padding), Convolution.pair(1), 1); }
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b) { return Convolution.conv2d(x, w, b, Convolution.pair(1), Convolution.pair(0), Convolution.pair(1), 1); }
    public static Tensor conv2d(Tensor x, Tensor w) { return Convolution.conv2d(x, w, null, Convolution.pair(1), Convolution.pair(0), Convolution.pair(1), 1); }

    /** Sliding windows of x [N, C, H, W] as columns [N, C*kh*kw, L] (im2col); {@link #fold} is its adjoint. */
    public static Tensor unfold(Tensor x, int[] kernelSize, int[] dilation, int[] padding, int[] stride) { return Convolution.unfold(x, kernelSize, dilation, padding, stride); }
    public static Tensor unfold(Tensor x, int kernelSize) { return Convolution.unfold(x, Convolution.pair(kernelSize), Convolution.pair(1), Convolution.pair(0), Convolution.pair(1)); }
    /** Columns [N, C*kh*kw, L] summed back into images [N, C, outputSize] (col2im); overlaps add up. */
    public static Tensor fold(Tensor cols, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) { return Convolution.fold(cols, outputSize, kernelSize, dilation, padding, stride); }
    public static Tensor fold(Tensor cols, int[] outputSize, int kernelSize) { return Convolution.fold(cols, outputSize, Convolution.pair(kernelSize), Convolution.pair(1), Convolution.pair(0), Convolution.pair(1)); }

    /** Max over each window (padding never wins); {@code stride} null means the kernel size. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) { return Convolution.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode); }
    public static Tensor maxPool2d(Tensor x, int kernelSize, int stride, int padding) { return Convolution.maxPool2d(x, Convolution.pair(kernelSize), Convolution.pair(stride), Convolution.pair(padding), Convolution.pair(1), false); }
    public static Tensor maxPool2d(Tensor x, int kernelSize, int stride) { return Convolution.maxPool2d(x, Convolution.pair(kernelSize), Convolution.pair(stride), Convolution.pair(0), Convolution.pair(1), false); }
    public static Tensor maxPool2d(Tensor x, int kernelSize) { return Convolution.maxPool2d(x, Convolution.pair(kernelSize), null, Convolution.pair(0), Convolution.pair(1), false); }
    /** The maxima and their int64 positions {@code h * W + w} in the input (PyTorch's {@code return_indices=True}). */
    public static dev.gpush.ops.Reductions.ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) { return Convolution.maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode); }

    /** Mean over each window; {@code stride} null means the kernel size, {@code divisorOverride} may be null. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, Integer divisorOverride) { return Convolution.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride); }
    public static Tensor avgPool2d(Tensor x, int kernelSize, int stride, int padding) { return Convolution.avgPool2d(x, Convolution.pair(kernelSize), Convolution.pair(stride), Convolution.pair(padding), false, true, null); }
    public static Tensor avgPool2d(Tensor x, int kernelSize, int stride) { return Convolution.avgPool2d(x, Convolution.pair(kernelSize), Convolution.pair(stride), Convolution.pair(0), false, true, null); }
    public static Tensor avgPool2d(Tensor x, int kernelSize) { return Convolution.avgPool2d(x, Convolution.pair(kernelSize), null, Convolution.pair(0), false, true, null); }

    /** Average pooling to {@code outH x outW} with PyTorch's adaptive windows. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) { return Convolution.adaptiveAvgPool2d(x, outH, outW); }
    public static Tensor adaptiveAvgPool2d(Tensor x, int outputSize) { return Convolution.adaptiveAvgPool2d(x, outputSize, outputSize); }

    /** Per-channel (dim 1) normalisation; training uses batch statistics and updates the running ones in place. Any of the tensors may be null. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training, double momentum, double eps) { return BatchNorm.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps); }
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training) { return BatchNorm.batchNorm(x, runningMean, runningVar, weight, bias, training, 0.1, 1e-5); }

    // ---------------------------------------------------------------- losses

    /**
     * Cross entropy of logits ([C], [N, C] or [N, C, d1, ...]) against class indices (the input's shape without
     * the class dim) or class probabilities (the input's shape); {@code weight} may be null. See {@link Losses}.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) { return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing); }
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) { return Losses.crossEntropy(input, target, null, Losses.IGNORE_INDEX, reduction, 0); }
    public static Tensor crossEntropy(Tensor input, Tensor target) { return Losses.crossEntropy(input, target, null, Losses.IGNORE_INDEX, Reduction.MEAN, 0); }
    /** Negative log-likelihood of class indices under log-probabilities; {@code weight} may be null. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) { return Losses.nllLoss(input, target, weight, ignoreIndex, reduction); }
    public static Tensor nllLoss(Tensor input, Tensor target) { return Losses.nllLoss(input, target, null, Losses.IGNORE_INDEX, Reduction.MEAN); }
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.mseLoss(input, target, reduction); }
    public static Tensor mseLoss(Tensor input, Tensor target) { return Losses.mseLoss(input, target, Reduction.MEAN); }
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) { return Losses.l1Loss(input, target, reduction); }
    public static Tensor l1Loss(Tensor input, Tensor target) { return Losses.l1Loss(input, target, Reduction.MEAN); }
    /** Binary cross entropy of logits against probabilities, stable for any logit; weight and posWeight may be null. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) { return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction); }
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) { return Losses.binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN); }
}
