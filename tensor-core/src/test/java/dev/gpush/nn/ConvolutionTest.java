package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * conv2d against a direct convolution written out here, its gradients against finite differences, unfold and fold
 * (im2col, col2im) against hand-worked values and each other, the Conv2d module, and a small CNN that learns.
 */
class ConvolutionTest {
    private static Tensor randn(int... shape) { return Tensor.randn(shape, DType.FLOAT64, Device.CPU); }

    /**
     * The definition: {@code out[n, o, y, x] = b[o] + sum_{c, i, j} w[o, c, i, j] x[n, g*Cg + c, y*sh - pt + i*dh,
     * x*sw - pl + j*dw]} over the input channels of o's group, zero outside the image.
     */
    static double[] directConv(Tensor xt, Tensor wt, Tensor bt, int[] s, int[] pad, int[] d, int groups, int oh, int ow) {
        double[] x = xt.toDoubleArray(), w = wt.toDoubleArray(), b = bt == null ? null : bt.toDoubleArray();
        int n = xt.size(0), c = xt.size(1), h = xt.size(2), wd = xt.size(3);
        int o = wt.size(0), cg = wt.size(1), kh = wt.size(2), kw = wt.size(3), og = o / groups;
        double[] out = new double[n * o * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int oi = 0; oi < o; oi++)
                for (int y = 0; y < oh; y++)
                    for (int z = 0; z < ow; z++) {
                        double acc = b == null ? 0 : b[oi];
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) {
                                    int iy = y * s[0] - pad[0] + i * d[0], ix = z * s[1] - pad[1] + j * d[1];
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    int ch = (oi / og) * cg + ci;
                                    acc += w[((oi * cg + ci) * kh + i) * kw + j] * x[((ni * c + ch) * h + iy) * wd + ix];
                                }
                        out[((ni * o + oi) * oh + y) * ow + z] = acc;
                    }
        return out;
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    // {N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, groups}
    private static final int[][] CASES = {
            {2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1},
            {2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {1, 2, 9, 8, 3, 3, 2, 2, 3, 1, 0, 1, 1, 1},
            {2, 4, 8, 9, 6, 3, 3, 1, 2, 2, 1, 2, 1, 2},
            {1, 6, 5, 7, 6, 1, 3, 1, 1, 0, 1, 1, 1, 6},
            {1, 4, 10, 11, 2, 5, 4, 3, 2, 2, 2, 2, 3, 2},
            {3, 1, 4, 4, 2, 4, 4, 1, 1, 0, 0, 1, 1, 1},
    };

    @Test void conv2dMatchesDirectConvolutionAcrossStridesPaddingsDilationsAndGroups() {
        Tensor.manualSeed(1);
        for (int[] k : CASES) {
            Tensor x = randn(k[0], k[1], k[2], k[3]), w = randn(k[4], k[1] / k[13], k[5], k[6]), b = randn(k[4]);
            int[] s = {k[7], k[8]}, p = {k[9], k[10]}, d = {k[11], k[12]};
            int oh = (k[2] + 2 * p[0] - d[0] * (k[5] - 1) - 1) / s[0] + 1, ow = (k[3] + 2 * p[1] - d[1] * (k[6] - 1) - 1) / s[1] + 1;
            Tensor y = F.conv2d(x, w, b, s, p, d, k[13]);
            assertArrayEquals(new int[]{k[0], k[4], oh, ow}, y.shape(), java.util.Arrays.toString(k));
            assertClose(directConv(x, w, b, s, p, d, k[13], oh, ow), y, 1e-12);
            // float32 follows the same definition
            Tensor y32 = F.conv2d(x.float_(), w.float_(), b.float_(), s, p, d, k[13]);
            assertEquals(DType.FLOAT32, y32.dtype());
            assertClose(directConv(x, w, b, s, p, d, k[13], oh, ow), y32, 1e-4);
        }
    }

    @Test void conv2dWithoutBiasAndOnUnbatchedInput() {
        Tensor.manualSeed(2);
        Tensor x = randn(3, 6, 5), w = randn(2, 3, 3, 3);
        Tensor y = F.conv2d(x, w);
        assertArrayEquals(new int[]{2, 4, 3}, y.shape());
        assertClose(directConv(x.unsqueeze(0), w, null, new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1}, 1, 4, 3), y, 1e-12);
    }

    @Test void conv2dReadsStridedViewsAndHalfPrecisionInputs() {
        Tensor.manualSeed(9);
        Tensor x = randn(2, 3, 6, 7), w = randn(4, 3, 3, 2);
        Tensor view = x.transpose(2, 3);   // [2, 3, 7, 6], not contiguous
        assertFalse(view.isContiguous());
        assertTrue(F.conv2d(view, w, null, 2, 1).allclose(F.conv2d(view.contiguous(), w, null, 2, 1), 1e-12, 1e-12));
        Tensor bf = F.conv2d(x.bfloat16(), w.bfloat16(), null, 1, 1);
        assertEquals(DType.BFLOAT16, bf.dtype());
        assertTrue(bf.to(DType.FLOAT64).allclose(F.conv2d(x.bfloat16().double_(), w.bfloat16().double_(), null, 1, 1), 0.02, 0.05));
    }

    @Test void conv2dOutputShapeFollowsTheFormula() {
        // floor((in + 2p - d(k - 1) - 1) / s) + 1 per dim
        Tensor y = F.conv2d(Tensor.zeros(2, 3, 32, 20), Tensor.zeros(8, 3, 5, 3), null,
                new int[]{2, 3}, new int[]{2, 1}, new int[]{1, 2}, 1);
        assertArrayEquals(new int[]{2, 8, 16, 6}, y.shape());
        assertArrayEquals(new int[]{1, 4, 1, 1}, F.conv2d(Tensor.zeros(1, 2, 3, 3), Tensor.zeros(4, 2, 3, 3)).shape());
    }

    @Test void samePaddingKeepsTheSizeAndPutsTheExtraPaddingAtTheEnd() {
        Tensor.manualSeed(3);
        Tensor x = randn(1, 2, 7, 6), w = randn(3, 2, 4, 3), b = randn(3);
        Tensor y = F.conv2d(x, w, b, new int[]{1, 1}, "same", new int[]{1, 1}, 1);
        assertArrayEquals(new int[]{1, 3, 7, 6}, y.shape());
        // kernel 4 needs 3 rows of padding: 1 before, 2 after; kernel 3 needs 1 column each side
        assertClose(directConv(x, w, b, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1, 7, 6), y, 1e-12);
        Tensor thin = randn(1, 1, 1, 3), w2 = randn(1, 1, 2, 2);   // a kernel taller than the input still fits
        assertClose(directConv(thin, w2, null, new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1}, 1, 1, 3),
                F.conv2d(thin, w2, null, new int[]{1, 1}, "same", new int[]{1, 1}, 1), 1e-12);
        Tensor valid = F.conv2d(x, w, b, new int[]{1, 1}, "valid", new int[]{1, 1}, 1);
        assertArrayEquals(new int[]{1, 3, 4, 4}, valid.shape());
        var e = assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(x, w, b, new int[]{2, 1}, "same", new int[]{1, 1}, 1));
        assertTrue(e.getMessage().contains("strided"), e.getMessage());
    }

    @Test void conv2dGradientsMatchFiniteDifferences() {
        Tensor.manualSeed(4);
        Tensor x = randn(2, 2, 5, 5).requiresGrad(true), w = randn(3, 2, 3, 3).requiresGrad(true), b = randn(3).requiresGrad(true);
        assertTrue(Autograd.gradcheck(in -> F.conv2d(in.get(0), in.get(1), in.get(2), new int[]{1, 1}, new int[]{1, 1},
                new int[]{1, 1}, 1), x, w, b));
        assertTrue(Autograd.gradcheck(in -> F.conv2d(in.get(0), in.get(1), in.get(2), new int[]{2, 2}, new int[]{1, 1},
                new int[]{1, 1}, 1), x, w, b));
        Tensor xg = randn(1, 4, 6, 5).requiresGrad(true), wg = randn(4, 2, 2, 3).requiresGrad(true), bg = randn(4).requiresGrad(true);
        assertTrue(Autograd.gradcheck(in -> F.conv2d(in.get(0), in.get(1), in.get(2), new int[]{1, 2}, new int[]{1, 0},
                new int[]{2, 1}, 2), xg, wg, bg));
    }

    @Test void conv2dErrorsNameTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(1, 4, 8, 8), Tensor.zeros(16, 3, 3, 3)));
        assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("4 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("(2 x 2)") && e.getMessage().contains("(3 x 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(1, 4, 8, 8), Tensor.zeros(6, 1, 3, 3),
                null, 1, 0, 1, 4));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("groups (4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(4, 3, 3, 3), Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(8, 8), Tensor.zeros(4, 3, 3, 3)));
        assertTrue(e.getMessage().contains("2D"), e.getMessage());
    }

    // ---------------------------------------------------------------- unfold and fold

    @Test void unfoldLaysOutWindowsAsPyTorchDoes() {
        Tensor x = Tensor.arange(1.0, 17.0, 1.0).view(1, 1, 4, 4);
        Tensor cols = F.unfold(x, 2);   // stride 1: 3 x 3 windows
        assertArrayEquals(new int[]{1, 4, 9}, cols.shape());
        // row i*kw + j holds element (i, j) of each window; column y*ow + x is window (y, x)
        assertClose(new double[]{1, 2, 3, 5, 6, 7, 9, 10, 11}, cols.get(0).get(0), 0);
        assertClose(new double[]{6, 7, 8, 10, 11, 12, 14, 15, 16}, cols.get(0).get(3), 0);
        Tensor strided = F.unfold(x, new int[]{2, 2}, new int[]{1, 1}, new int[]{0, 0}, new int[]{2, 2});
        assertClose(new double[]{1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16}, strided, 0);
        Tensor padded = F.unfold(x, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 0}, new int[]{3, 3});
        assertClose(new double[]{0, 0, 9, 12}, padded, 0);
    }

    @Test void foldCountsOverlappingWindows() {
        Tensor cols = Tensor.ones(1, 9, 16);   // 3x3 windows with padding 1 over 4x4: 16 windows
        Tensor img = F.fold(cols, new int[]{4, 4}, new int[]{3, 3}, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1});
        assertClose(new double[]{4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4}, img, 0);
    }

    @Test void foldIsTheAdjointOfUnfold() {
        Tensor.manualSeed(5);
        int[] k = {3, 2}, d = {2, 1}, p = {1, 1}, s = {2, 3};
        Tensor x = randn(2, 3, 9, 8);
        Tensor ux = F.unfold(x, k, d, p, s);
        Tensor c = randn(ux.shape());
        Tensor fc = F.fold(c, new int[]{9, 8}, k, d, p, s);
        assertEquals(ux.mul(c).sum().item(), x.mul(fc).sum().item(), 1e-10);
    }

    @Test void unfoldAndFoldGradientsMatchFiniteDifferences() {
        Tensor.manualSeed(6);
        int[] k = {2, 3}, d = {1, 2}, p = {1, 0}, s = {2, 1};
        assertTrue(Autograd.gradcheck(in -> F.unfold(in.get(0), k, d, p, s), randn(1, 2, 5, 6).requiresGrad(true)));
        int l = F.unfold(Tensor.zeros(1, 2, 5, 6), k, d, p, s).size(2);
        assertTrue(Autograd.gradcheck(in -> F.fold(in.get(0), new int[]{5, 6}, k, d, p, s), randn(1, 12, l).requiresGrad(true)));
    }

    // ---------------------------------------------------------------- the module

    @Test void conv2dModuleHasPyTorchShapesNamesAndInitialisation() {
        Conv2d conv = new Conv2d(3, 16, 3, 1, 1);
        assertArrayEquals(new int[]{16, 3, 3, 3}, conv.weight.shape());
        assertArrayEquals(new int[]{16}, conv.bias.shape());
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.stateDict().keySet()));
        double bound = 1 / Math.sqrt(27);
        for (Tensor t : List.of(conv.weight, conv.bias)) {
            double max = t.abs().max().item();
            assertTrue(max <= bound && max > 0.7 * bound, "values within ±1/sqrt(fan_in) = " + bound + ", max " + max);
        }
        Conv2d grouped = new Conv2d(4, 8, new int[]{3, 5}, new int[]{2, 1}, new int[]{0, 0}, new int[]{2, 2}, 2, false);
        assertArrayEquals(new int[]{8, 2, 3, 5}, grouped.weight.shape());
        assertNull(grouped.bias);
        assertEquals(List.of("weight"), List.copyOf(grouped.stateDict().keySet()));
        assertTrue(grouped.weight.abs().max().item() <= 1 / Math.sqrt(30));
    }

    @Test void conv2dModulePrintsLikePyTorch() {
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", new Conv2d(3, 16, 3, 1, 1).toString());
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1))", new Conv2d(3, 16, 3).toString());
        assertEquals("Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 1), dilation=(2, 2), groups=2, bias=False)",
                new Conv2d(4, 8, new int[]{3, 5}, new int[]{2, 1}, new int[]{0, 0}, new int[]{2, 2}, 2, false).toString());
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=same)", new Conv2d(3, 16, 3, "same").toString());
    }

    @Test void conv2dModuleForwardIsTheFunctionalForm() {
        Tensor.manualSeed(7);
        Conv2d conv = new Conv2d(2, 4, 3, 2, 1);
        Tensor x = Tensor.randn(2, 2, 7, 7);
        assertTrue(conv.forward(x).allclose(F.conv2d(x, conv.weight, conv.bias, 2, 1), 1e-6, 1e-6));
        assertArrayEquals(new int[]{4, 4, 4}, conv.forward(x.get(0)).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, 0, 1, 2, true));
        assertTrue(e.getMessage().contains("in_channels (3)") && e.getMessage().contains("groups (2)"), e.getMessage());
    }

    // ---------------------------------------------------------------- a CNN that learns

    /** 1x8x8 images of noise with a bright 3x3 square: class 0 when it lies in the left half, 1 in the right. */
    private static Tensor[] squares(int n, Random rnd) {
        float[] px = new float[n * 64];
        long[] label = new long[n];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < 64; k++) px[s * 64 + k] = (float) (0.2 * rnd.nextGaussian());
            label[s] = rnd.nextInt(2);
            int top = rnd.nextInt(6), left = (label[s] == 0 ? 0 : 4) + rnd.nextInt(2);
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) px[s * 64 + (top + i) * 8 + left + j] += 1f;
        }
        return new Tensor[]{Tensor.of(px).view(n, 1, 8, 8), Tensor.of(label)};
    }

    @Test void smallCnnLearnsWhichHalfHoldsTheSquare() {
        Tensor.manualSeed(8);
        Random rnd = new Random(8);
        Tensor[] train = squares(512, rnd), test = squares(256, rnd);
        Sequential model = new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64, 2));
        double lr = 0.1, firstLoss = 0, lastLoss = 0;
        for (int epoch = 0; epoch < 8; epoch++)
            for (int b = 0; b < 512; b += 32) {
                Tensor loss = F.crossEntropy(model.forward(train[0].narrow(0, b, 32)), train[1].narrow(0, b, 32));
                model.zeroGrad();
                loss.backward();
                try (var ng = Autograd.noGrad()) {
                    for (Tensor p : model.parameters()) p.sub_(p.grad().mul(lr));
                }
                if (epoch == 0 && b == 0) firstLoss = loss.item();
                lastLoss = loss.item();
            }
        model.eval();
        double accuracy;
        try (var ng = Autograd.noGrad()) {
            accuracy = model.forward(test[0]).argmax(1).eq(test[1]).to(DType.FLOAT64).mean().item();
        }
        assertTrue(lastLoss < firstLoss / 2, "loss fell from " + firstLoss + " to " + lastLoss);
        assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);
    }
}
