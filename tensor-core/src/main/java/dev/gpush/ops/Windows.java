package dev.gpush.ops;

import dev.gpush.autograd.Graph;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * Sliding 2-d windows over images, the op under convolution and pooling. {@link #unfold} (im2col) reads every
 * window of an image [N, C, H, W] into cols [N, C, kh, kw, oh, ow]; {@link #fold} (col2im) is its adjoint, adding
 * each window element back where it came from. Each is the other's gradient, so both are differentiable again.
 *
 * <p>Rules:
 * <ul>
 *   <li>Window (y, x) element (i, j) reads image position {@code (y*sh - ph + i*dh, x*sw - pw + j*dw)}; positions
 *       outside the image read 0 (zero padding) and receive nothing in fold.</li>
 *   <li>The output size is given, not derived, so callers choose floor or ceil rounding and asymmetric padding
 *       ('same' convolutions, ceil-mode pooling) without another op.</li>
 *   <li>float32 and float64 run on the backend; float16 and bfloat16 go through float32 and round once.</li>
 * </ul>
 */
public final class Windows {
    private Windows() {}

    /** The number of windows along one dim: {@code floor((in + 2p - d(k-1) - 1) / s) + 1}. */
    public static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        return Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** The windows of {@code x} [N, C, H, W]: [N, C, kh, kw, oh, ow]. */
    public static Tensor unfold(Tensor x, int kh, int kw, int oh, int ow, int[] stride, int[] padding, int[] dilation) {
        check("unfold", x, stride, padding, dilation);
        if (x.dtype().isHalf())
            return unfold(x.to(DType.FLOAT32), kh, kw, oh, ow, stride, padding, dilation).to(x.dtype());
        int[] s = x.shapeRef();
        int h = s[2], w = s[3];
        Tensor cols = Creation.empty(new int[]{s[0], s[1], kh, kw, oh, ow}, x.dtype(), x.device());
        Creation.backend(cols).unfold2d(cols, x, stride.clone(), padding.clone(), dilation.clone(), false);
        return Graph.record("unfold2d", cols, x, g -> fold(g, h, w, stride, padding, dilation));
    }

    /** The adjoint of {@link #unfold}: cols [N, C, kh, kw, oh, ow] summed into a zero image [N, C, h, w]. */
    public static Tensor fold(Tensor cols, int h, int w, int[] stride, int[] padding, int[] dilation) {
        check("fold", cols, stride, padding, dilation);
        if (cols.dim() != 6)
            throw new IllegalArgumentException("fold: expected cols of shape [N, C, kh, kw, oh, ow], got "
                    + Shapes.str(cols.shapeRef()));
        if (cols.dtype().isHalf()) return fold(cols.to(DType.FLOAT32), h, w, stride, padding, dilation).to(cols.dtype());
        int[] s = cols.shapeRef();
        int kh = s[2], kw = s[3], oh = s[4], ow = s[5];
        Tensor img = Tensor.zeros(new int[]{s[0], s[1], h, w}, cols.dtype(), cols.device());
        Creation.backend(img).unfold2d(cols, img, stride.clone(), padding.clone(), dilation.clone(), true);
        return Graph.record("fold2d", img, cols, g -> unfold(g, kh, kw, oh, ow, stride, padding, dilation));
    }

    private static void check(String op, Tensor t, int[] stride, int[] padding, int[] dilation) {
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected a floating point tensor, got " + t.dtype());
        if (op.equals("unfold") && t.dim() != 4)
            throw new IllegalArgumentException("unfold: expected an image batch [N, C, H, W], got shape "
                    + Shapes.str(t.shapeRef()));
        for (int k = 0; k < 2; k++)
            if (stride[k] < 1 || dilation[k] < 1 || padding[k] < 0)
                throw new IllegalArgumentException(op + ": expected stride and dilation >= 1 and padding >= 0, got stride "
                        + java.util.Arrays.toString(stride) + ", padding " + java.util.Arrays.toString(padding)
                        + ", dilation " + java.util.Arrays.toString(dilation));
    }
}
