package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Graph;
import dev.gpush.autograd.Node.Grad;
import dev.gpush.backend.Backend;
import dev.gpush.ops.Creation;
import dev.gpush.ops.Windows;
import dev.gpush.tensor.Tensor;

import java.util.function.IntFunction;

/**
 * Note [fused windows]: conv2d and pooling through the backend's fused kernels (cuDNN on CUDA; on the CPU conv2d
 * only, float32 and float64: im2col one image at a time and a GEMM, {@code cpu.CpuConv}), each recorded as one
 * autograd node. Rules:
 * <ul>
 *   <li>Each method returns null where there is no fused path, before anything is recorded, and
 *       {@link Convolution} then runs its composite (unfold + GEMM, max or sum over windows). The CPU has no fused
 *       pooling, so CPU pooling always runs the composite.</li>
 *   <li>Only what the kernels express is offered: non-empty 4-d floating tensors on one device, symmetric padding
 *       with floor rounding (a 'same' convolution with an even kernel, or a ceil-mode pooling whose last window is
 *       extra, goes composite), pooling without dilation or a divisor override.</li>
 *   <li>Backward calls the backend's backward kernel once for all inputs (conv2d: input and weight; the bias's
 *       gradient is a sum). Under createGraph, or where the backend has no backward, the gradients are the
 *       composite's formulas in differentiable ops, so higher derivatives are right.</li>
 * </ul>
 */
final class FusedWindows {
    private FusedWindows() {}

    // ---------------------------------------------------------------- convolution

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups,
                         int[] out) {
        if (!x.dtype().isFloatingPoint() || x.numel() == 0 || w.numel() == 0 || !onDevice(x, w, b)) return null;
        for (int k = 0; k < 2; k++)
            if (out[k] != Windows.outputSize(x.size(2 + k), w.size(2 + k), stride[k], padding[k], dilation[k]))
                return null;
        Backend backend = Creation.backend(x);
        Tensor y = Creation.empty(new int[]{x.size(0), w.size(0), out[0], out[1]}, x.dtype(), x.device());
        if (!backend.conv2d(y, x, w, b, stride, padding, dilation, groups)) {
            y.close();
            return null;
        }
        Tensor[] seen = new Tensor[1], grads = new Tensor[2];
        IntFunction<Grad> grad = i -> g -> {
            if (GradMode.isEnabled()) return conv2dGrad(i, g, x, w, stride, padding, dilation, groups);
            if (seen[0] != g) {   // the first of the two formulas called for this gradient computes both
                seen[0] = g;
                grads[0] = x.requiresGrad() ? Tensor.emptyLike(x) : null;
                grads[1] = w.requiresGrad() ? Tensor.emptyLike(w) : null;
                if (!backend.conv2dBackward(grads[0], grads[1], g.to(x.dtype()), x, w, stride, padding, dilation, groups)) {
                    for (int k = 0; k < 2; k++) {
                        if (grads[k] == null) continue;
                        grads[k].close();
                        grads[k] = conv2dGrad(k, g, x, w, stride, padding, dilation, groups);
                    }
                }
            }
            return grads[i];
        };
        Grad biasGrad = g -> g.sum(new int[]{0, 2, 3}, false);
        return Graph.record("conv2d", y, new Tensor[]{x, w, b},
                new Grad[]{grad.apply(0), grad.apply(1), b == null ? null : biasGrad}, x, w);
    }

    /**
     * conv2d's gradient for its input ({@code i} 0) or weight (1) in differentiable ops, as the composite computes
     * it: the unfolded input's gradient {@code w^T g} folded back, and {@code g cols^T} summed over the batch.
     */
    static Tensor conv2dGrad(int i, Tensor g, Tensor x, Tensor w, int[] stride, int[] padding, int[] dilation,
                             int groups) {
        int n = x.size(0), c = x.size(1), o = w.size(0), kh = w.size(2), kw = w.size(3), oh = g.size(2), ow = g.size(3);
        int k = c / groups * kh * kw, l = oh * ow;
        Tensor gy = g.reshape(n, groups, o / groups, l);
        if (i == 0) {
            Tensor cols = w.reshape(groups, o / groups, k).transpose(1, 2).matmul(gy);   // [N, g, K, L]
            return Windows.fold(cols.reshape(n, c, kh, kw, oh, ow), x.size(2), x.size(3), stride, padding, dilation);
        }
        Tensor cols = Windows.unfold(x, kh, kw, oh, ow, stride, padding, dilation).reshape(n, groups, k, l);
        return gy.matmul(cols.transpose(2, 3)).sum(0).reshape(w.shapeRef());
    }

    // ---------------------------------------------------------------- pooling

    /** Max or average pooling of [N, C, H, W] to {@code out}; null where there is no fused path. */
    static Tensor pool2d(Tensor x, boolean max, int[] kernel, int[] stride, int[] padding, int[] dilation,
                         boolean countIncludePad, Integer divisorOverride, int[] out) {
        if (!x.dtype().isFloatingPoint() || x.numel() == 0 || dilation[0] != 1 || dilation[1] != 1
                || divisorOverride != null) return null;
        for (int k = 0; k < 2; k++)
            if (out[k] != Windows.outputSize(x.size(2 + k), kernel[k], stride[k], padding[k], 1)) return null;
        Backend backend = Creation.backend(x);
        Tensor y = Creation.empty(new int[]{x.size(0), x.size(1), out[0], out[1]}, x.dtype(), x.device());
        if (!backend.pool2d(y, x, max, kernel, stride, padding, countIncludePad)) {
            y.close();
            return null;
        }
        Grad grad = g -> {
            if (!GradMode.isEnabled()) {
                Tensor gx = Tensor.emptyLike(x);
                if (backend.pool2dBackward(gx, g.to(x.dtype()), y, x, max, kernel, stride, padding, countIncludePad))
                    return gx;
                gx.close();
            }
            return pool2dGrad(g, x, max, kernel, stride, padding, countIncludePad);
        };
        return Graph.record(max ? "max_pool2d" : "avg_pool2d", y, x, grad, x, y);
    }

    /**
     * Pooling's input gradient in differentiable ops: max pooling sends each output's gradient to its window's
     * first maximum (the composite's rule), average pooling spreads it over its window divided by the divisor.
     */
    static Tensor pool2dGrad(Tensor g, Tensor x, boolean max, int[] kernel, int[] stride, int[] padding,
                             boolean countIncludePad) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), oh = g.size(2), ow = g.size(3);
        int[] one = {1, 1};
        if (max) {
            Tensor where;
            try (GradMode ng = GradMode.disable()) {
                where = Convolution.maxPool2dWithIndices(x.detach(), kernel, stride, padding, one, false).indices();
            }
            return Tensor.zeros(new int[]{n, c, h * w}, g.dtype(), g.device())
                    .scatterAdd(2, where.reshape(n, c, oh * ow), g.reshape(n, c, oh * ow)).reshape(n, c, h, w);
        }
        Tensor spread = g.div(Convolution.poolDivisor(x, kernel, stride, padding, new int[]{oh, ow}, countIncludePad))
                .reshape(n, c, 1, 1, oh, ow).expand(n, c, kernel[0], kernel[1], oh, ow);
        return Windows.fold(spread, h, w, stride, padding, one);
    }

    private static boolean onDevice(Tensor x, Tensor w, Tensor b) {
        return w.device().equals(x.device()) && (b == null || b.device().equals(x.device()));
    }
}
