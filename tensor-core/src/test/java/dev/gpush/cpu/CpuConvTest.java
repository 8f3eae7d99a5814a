package dev.gpush.cpu;

import dev.gpush.autograd.Autograd;
import dev.gpush.nn.F;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CPU's fused conv2d ({@link CpuConv}: im2col one image at a time, one GEMM per image and group) against the
 * composite it replaces, written out here: {@code F.unfold} (PyTorch's layout), a batched matmul per group and
 * the bias, with autograd's gradients through them.
 */
class CpuConvTest {
    private static Tensor randn(long seed, DType dtype, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(dtype);
    }

    /** conv2d as unfold + matmul, differentiable op by op. */
    private static Tensor composite(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                                    int groups) {
        int n = x.size(0), o = w.size(0), k = w.size(1) * w.size(2) * w.size(3);
        int oh = (x.size(2) + 2 * padding[0] - dilation[0] * (w.size(2) - 1) - 1) / stride[0] + 1;
        int ow = (x.size(3) + 2 * padding[1] - dilation[1] * (w.size(3) - 1) - 1) / stride[1] + 1;
        Tensor cols = F.unfold(x, new int[]{w.size(2), w.size(3)}, dilation, padding, stride)
                .reshape(n, groups, k, oh * ow);
        Tensor y = w.reshape(groups, o / groups, k).matmul(cols).reshape(n, o, oh, ow);
        return b == null ? y : y.add(b.view(o, 1, 1));
    }

    /** The fused conv2d's output and gradients equal the composite's, for every input that requires grad. */
    private static void assertMatchesComposite(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding,
                                               int[] dilation, int groups, double tol) {
        Tensor y = F.conv2d(x, w, b, stride, padding, dilation, groups);
        assertEquals("conv2d", y.gradFn().name(), "the fused CPU conv2d ran");
        Tensor want = composite(x, w, b, stride, padding, dilation, groups);
        assertClose(want, y, tol, "output");
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor t : new Tensor[]{x, w, b}) if (t != null && t.requiresGrad()) inputs.add(t);
        Tensor g = randn(99, y.dtype(), y.shapeRef());
        List<Tensor> got = Autograd.grad(List.of(y), inputs, List.of(g), false, false, false);
        List<Tensor> ref = Autograd.grad(List.of(want), inputs, List.of(g), false, false, false);
        for (int i = 0; i < inputs.size(); i++) assertClose(ref.get(i), got.get(i), tol, "gradient " + i);
    }

    private static void assertClose(Tensor want, Tensor got, double tol, String what) {
        assertArrayEquals(want.shapeRef(), got.shapeRef(), what + ": shape");
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++)
            assertEquals(w[i], g[i], tol * (1 + Math.abs(w[i])), what + ", element " + i);
    }

    @Test
    void aResNet3x3ConvolutionMatchesTheCompositeInFloat32AndFloat64() {
        int[] one = {1, 1};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            double tol = dt == DType.FLOAT32 ? 1e-4 : 1e-11;
            Tensor x = randn(1, dt, 3, 8, 10, 9).requiresGrad(true), w = randn(2, dt, 6, 8, 3, 3).requiresGrad(true);
            assertMatchesComposite(x, w, null, one, one, one, 1, tol);
            assertMatchesComposite(x, w, randn(3, dt, 6).requiresGrad(true), one, one, one, 1, tol);
        }
    }

    @Test
    void stridePaddingDilationAndGroupsMatchTheComposite() {
        Tensor x = randn(1, DType.FLOAT64, 2, 6, 11, 9).requiresGrad(true);
        Tensor w = randn(2, DType.FLOAT64, 9, 2, 3, 2).requiresGrad(true), b = randn(3, DType.FLOAT64, 9).requiresGrad(true);
        assertMatchesComposite(x, w, b, new int[]{2, 3}, new int[]{1, 0}, new int[]{1, 2}, 3, 1e-11);
        assertMatchesComposite(x, randn(4, DType.FLOAT64, 4, 6, 1, 1).requiresGrad(true), null, new int[]{2, 2},
                new int[]{0, 0}, new int[]{1, 1}, 1, 1e-11);   // a strided 1x1 convolution
    }

    @Test
    void stride1ConvolutionsWithDilationGroupsAndWidePaddingMatchTheComposite() {
        // stride 1 takes the shifted products (Note [shifted products]); the input's gradient too where the padding
        // is at most (k-1)*d, and im2col and col2im where it is wider (the 1x1 kernel with padding 1)
        Tensor x = randn(1, DType.FLOAT64, 2, 6, 9, 8).requiresGrad(true);
        Tensor w = randn(2, DType.FLOAT64, 4, 3, 3, 2).requiresGrad(true), b = randn(3, DType.FLOAT64, 4).requiresGrad(true);
        int[] one = {1, 1};
        assertMatchesComposite(x, w, b, one, new int[]{2, 0}, new int[]{2, 1}, 2, 1e-11);
        assertMatchesComposite(x, w, null, one, new int[]{0, 1}, one, 2, 1e-11);
        assertMatchesComposite(x, randn(4, DType.FLOAT64, 5, 6, 1, 1).requiresGrad(true), null, one, one, one, 1, 1e-11);
    }

    @Test
    void stridedViewsAsInputAndWeightMatchTheComposite() {
        // a transposed image and a permuted weight: neither is contiguous
        Tensor x = randn(1, DType.FLOAT64, 2, 3, 7, 5).transpose(2, 3).requiresGrad(true);
        Tensor w = randn(2, DType.FLOAT64, 3, 3, 4, 2).permute(1, 0, 3, 2).requiresGrad(true);
        assertFalse(x.isContiguous() || w.isContiguous());
        assertMatchesComposite(x, w, null, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1, 1e-11);
    }

    @Test
    void onlyTheInputsThatRequireGradGetGradients() {
        int[] one = {1, 1};
        Tensor x = randn(1, DType.FLOAT64, 2, 4, 6, 6), w = randn(2, DType.FLOAT64, 4, 4, 3, 3);
        assertMatchesComposite(x.requiresGrad(true), w, null, one, one, one, 1, 1e-11);
        assertMatchesComposite(x.detach(), w.requiresGrad(true), null, one, one, one, 1, 1e-11);
    }
}
