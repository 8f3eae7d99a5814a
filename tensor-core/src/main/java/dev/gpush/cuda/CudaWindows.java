package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * Sliding 2-d windows on a CUDA device through windows.cu: im2col ({@code unfold}) and its adjoint col2im
 * ({@code fold}), with Backend.unfold2d's contract. Rules:
 * <ul>
 *   <li>float32 or float64, one dtype on both sides (the CPU's rule and message); any strides.</li>
 *   <li>unfold writes every element of cols, 0 outside the image. fold gives each image element one thread, which
 *       adds the cols elements landing on it in the CPU's order, so there are no atomics and the result equals
 *       the CPU's.</li>
 *   <li>An empty cols or image writes nothing (unfold zeroes cols), as on the CPU.</li>
 * </ul>
 */
final class CudaWindows {
    private CudaWindows() {}

    static void unfold2d(CudaDevice dev, Tensor cols, Tensor img, int[] stride, int[] padding, int[] dilation, boolean fold) {
        if (cols.numel() == 0 || img.numel() == 0) {
            if (!fold) CudaElementwise.fill(dev, cols, 0);
            return;
        }
        DType dt = cols.dtype();
        if (dt != img.dtype() || (dt != DType.FLOAT32 && dt != DType.FLOAT64))
            throw new IllegalArgumentException("unfold2d: expected float32 or float64 tensors of one dtype, got "
                    + cols.dtype() + " and " + img.dtype());
        int[] cs = cols.shapeRef(), is = img.shapeRef();
        long[] g = {cs[2], cs[3], cs[4], cs[5], is[2], is[3], stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1]};
        long[] c = Layout.operand(CudaElementwise.address(cols), dt.ordinal(), cols.strideRef());
        long[] i = Layout.operand(CudaElementwise.address(img), dt.ordinal(), img.strideRef());
        String type = dt == DType.FLOAT32 ? "_f32" : "_f64";
        Tensor over = fold ? img : cols;
        dev.kernels().launchOver((fold ? "fold2d" : "unfold2d") + type, over.numel(), shape(over.shapeRef()), g, c, i);
    }

    /** The GpShape of {@code shape} as it is (not coalesced: the kernels need every coordinate). */
    private static long[] shape(int[] shape) {
        long[] w = new long[Layout.STRUCT_WORDS];
        long n = 1;
        for (int s : shape) n *= s;
        w[0] = shape.length;
        w[1] = n;
        for (int d = 0; d < Layout.MAX_DIMS; d++) w[2 + d] = d < shape.length ? shape[d] : 1;
        return w;
    }
}
