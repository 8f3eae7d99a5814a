package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.cpu.CpuBackend;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The routing of conv2d, pooling and batch norm to the backend's fused kernels (Note [fused windows], Note [fused
 * batch norm]): the CPU has a fused conv2d for float32 and float64 and no other, so its pooling and batch norm
 * run the composites untouched, and the gradient formulas the fused nodes fall back to (under createGraph) equal
 * the composites' autograd gradients.
 */
class FusedWindowsTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).double_();
    }

    private static void assertClose(Tensor want, Tensor got) {
        assertArrayEquals(want.shapeRef(), got.shapeRef());
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-10 * (1 + Math.abs(w[i])), "element " + i);
    }

    @Test
    void theCpuBackendHasNoFusedPoolingOrBatchNormAndLeavesTheOutputsAlone() {
        var cpu = CpuBackend.INSTANCE;
        Tensor x = randn(1, 2, 4, 6, 6), y = Tensor.zeros(2, 4, 4, 4);
        int[] one = {1, 1}, none = {0, 0}, k = {3, 3};
        assertFalse(cpu.pool2d(y, x, true, k, one, none, true));
        assertFalse(cpu.pool2dBackward(Tensor.zeros(2, 4, 6, 6), y, y, x, false, k, one, none, true));
        Tensor mean = Tensor.zeros(4), invstd = Tensor.zeros(4), out = Tensor.zeros(2, 4, 6, 6);
        assertFalse(cpu.batchNorm(out, mean, invstd, x, null, null, null, null, true, 0.1, 1e-5));
        assertFalse(cpu.batchNormBackward(Tensor.zeros(2, 4, 6, 6), null, null, out, x, null, mean, invstd, 1e-5));
        for (Tensor t : List.of(y, mean, invstd, out)) assertEquals(0, t.abs().sum().item(), "an output was written");
    }

    @Test
    void onTheCpuConv2dIsOneFusedNodeAndHalfPrecisionRunsTheComposite() {
        Tensor x = randn(1, 2, 4, 6, 6), w = randn(2, 4, 2, 3, 3);
        int[] one = {1, 1}, none = {0, 0};
        Tensor y = F.conv2d(x.requiresGrad(true), w, randn(3, 4), one, none, one, 2);
        assertEquals("conv2d", y.gradFn().name(), "the fused CPU conv2d ran, as one node");
        Tensor half = F.conv2d(x.detach().to(DType.BFLOAT16).requiresGrad(true), w.to(DType.BFLOAT16), null, one, none,
                one, 2);
        assertNotEquals("conv2d", half.gradFn().name(), "bfloat16 has no fused CPU kernel: the composite ran");
    }

    @Test
    void onTheCpuNoFusedPoolingOrBatchNormIsTakenAndNothingIsUpdated() {
        Tensor x = randn(1, 2, 4, 6, 6);
        int[] one = {1, 1}, none = {0, 0};
        assertNull(FusedWindows.pool2d(x, true, new int[]{2, 2}, new int[]{2, 2}, none, one, true, null, new int[]{3, 3}));
        Tensor rm = Tensor.zeros(DType.FLOAT64, 4), rv = Tensor.ones(DType.FLOAT64, 4);
        assertNull(FusedBatchNorm.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5));
        assertEquals(0, rm.abs().sum().item());
        assertEquals(4, rv.sum().item());
    }

    /** On the CPU F.conv2d is the fused node, so this also holds the fused backward to the composite's formulas. */
    @Test
    void conv2dGradientFormulasEqualTheFusedGradients() {
        Tensor x = randn(1, 2, 6, 9, 8).requiresGrad(true), w = randn(2, 9, 2, 3, 2).requiresGrad(true);
        Tensor g = randn(3, 2, 9, 5, 3);
        int[] stride = {2, 2}, padding = {1, 0}, dilation = {1, 2};
        Tensor y = F.conv2d(x, w, null, stride, padding, dilation, 3);
        List<Tensor> want = Autograd.grad(List.of(y), List.of(x, w), List.of(g), false, false, false);
        assertClose(want.get(0), FusedWindows.conv2dGrad(0, g, x, w, stride, padding, dilation, 3));
        assertClose(want.get(1), FusedWindows.conv2dGrad(1, g, x, w, stride, padding, dilation, 3));
    }

    @Test
    void poolingGradientFormulasEqualTheCompositesGradients() {
        Tensor x = randn(1, 2, 3, 9, 10).requiresGrad(true);
        int[] k = {3, 2}, s = {2, 1}, p = {1, 1};
        Tensor max = F.maxPool2d(x, k, s, p, new int[]{1, 1}, false);
        Tensor gMax = randn(2, max.shapeRef());
        assertClose(Autograd.grad(List.of(max), List.of(x), List.of(gMax), false, false, false).getFirst(),
                FusedWindows.pool2dGrad(gMax, x, true, k, s, p, false));
        for (boolean countIncludePad : new boolean[]{true, false}) {
            Tensor avg = F.avgPool2d(x, k, s, p, false, countIncludePad, null);
            Tensor g = randn(3, avg.shapeRef());
            assertClose(Autograd.grad(List.of(avg), List.of(x), List.of(g), false, false, false).getFirst(),
                    FusedWindows.pool2dGrad(g, x, false, k, s, p, countIncludePad));
        }
    }

    @Test
    void batchNormGradientFormulasEqualTheCompositesGradients() {
        Tensor x = randn(1, 3, 4, 5, 2).requiresGrad(true), w = randn(2, 4).requiresGrad(true);
        Tensor b = randn(3, 4).requiresGrad(true), g = randn(4, 3, 4, 5, 2);
        int[] dims = {0, 2, 3}, perChannel = {1, 4, 1, 1};
        Tensor train = F.batchNorm(x, null, null, w, b, true, 0.1, 1e-5);
        List<Tensor> want = Autograd.grad(List.of(train), List.of(x, w, b), List.of(g), false, false, false);
        for (int i = 0; i < 3; i++)
            assertClose(want.get(i), FusedBatchNorm.trainingGrad(i, g, x, w, b, dims, perChannel, 1e-5));
        Tensor rm = randn(5, 4), rv = randn(6, 4).abs().add(0.5);
        Tensor eval = F.batchNorm(x, rm, rv, w, b, false, 0.1, 1e-5);
        want = Autograd.grad(List.of(eval), List.of(x, w, b), List.of(g), false, false, false);
        for (int i = 0; i < 3; i++)
            assertClose(want.get(i), FusedBatchNorm.evalGrad(i, g, x, w, b, rm, rv, dims, perChannel, 1e-5));
    }
}
