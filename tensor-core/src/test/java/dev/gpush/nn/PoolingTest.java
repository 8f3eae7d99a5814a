package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gpush.nn.ConvolutionTest.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/** Max, average and adaptive average pooling: values by hand and by direct loops, gradients, modules, errors. */
class PoolingTest {
    /** Distinct values (a shuffled 0.1-spaced ramp), so no window has a tie and finite differences are clean. */
    private static Tensor distinct(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.randperm(n).to(DType.FLOAT64).mul(0.1).sub(n * 0.05).view(shape);
    }

    private static Tensor image(int h, int w, double... v) { return Tensor.of(v).view(1, 1, h, w); }

    // ---------------------------------------------------------------- max

    @Test void maxPoolTakesTheMaximumOfEachWindow() {
        Tensor x = image(4, 4, 1, 5, 2, 0, 3, 4, 8, 7, 9, 2, 6, 1, 0, 3, 5, 4);
        assertClose(new double[]{5, 8, 9, 6}, F.maxPool2d(x, 2), 0);
        assertClose(new double[]{5, 8, 8, 9, 8, 8, 9, 6, 6}, F.maxPool2d(x, 2, 1), 0);
        assertArrayEquals(new int[]{1, 1, 2, 2}, F.maxPool2d(x, 2).shape());
    }

    /** Direct loops: the maximum over the in-image positions of each window. */
    private static double[] directMaxPool(Tensor xt, int[] k, int[] s, int[] p, int[] d, int oh, int ow) {
        double[] x = xt.toDoubleArray();
        int planes = xt.size(0) * xt.size(1), h = xt.size(2), w = xt.size(3);
        double[] out = new double[planes * oh * ow];
        for (int q = 0; q < planes; q++)
            for (int y = 0; y < oh; y++)
                for (int z = 0; z < ow; z++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < k[0]; i++)
                        for (int j = 0; j < k[1]; j++) {
                            int iy = y * s[0] - p[0] + i * d[0], ix = z * s[1] - p[1] + j * d[1];
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) m = Math.max(m, x[(q * h + iy) * w + ix]);
                        }
                    out[(q * oh + y) * ow + z] = m;
                }
        return out;
    }

    @Test void maxPoolMatchesDirectLoopsWithStridePaddingDilationAndCeilMode() {
        Tensor.manualSeed(1);
        Tensor x = Tensor.randn(new int[]{2, 3, 9, 7}, DType.FLOAT64, Device.CPU);
        // {kh, kw, sh, sw, ph, pw, dh, dw, ceil, oh, ow}
        int[][] cases = {{3, 3, 2, 2, 1, 1, 1, 1, 0, 5, 4}, {2, 3, 1, 2, 1, 0, 2, 1, 0, 9, 3},
                {3, 2, 2, 2, 0, 0, 1, 1, 1, 4, 4}, {2, 2, 3, 3, 1, 1, 1, 1, 1, 4, 3}};
        for (int[] c : cases) {
            int[] k = {c[0], c[1]}, s = {c[2], c[3]}, p = {c[4], c[5]}, d = {c[6], c[7]};
            Tensor y = F.maxPool2d(x, k, s, p, d, c[8] == 1);
            assertArrayEquals(new int[]{2, 3, c[9], c[10]}, y.shape(), java.util.Arrays.toString(c));
            assertClose(directMaxPool(x, k, s, p, d, c[9], c[10]), y, 0);
        }
    }

    @Test void maxPoolPaddingNeverWins() {
        Tensor x = Tensor.full(new int[]{1, 1, 3, 3}, -5.0);
        assertClose(new double[]{-5, -5, -5, -5}, F.maxPool2d(x, 2, 2, 1), 0);
    }

    @Test void maxPoolGradientGoesToTheFirstMaximum() {
        Tensor x = image(2, 4, 1, 3, 3, 3, 2, 0, 3, 1).requiresGrad(true);
        F.maxPool2d(x, 2).sum().backward();
        // the left window's max 3 is at (0, 1); the right window ties three 3s and the first, (0, 2), takes it
        assertClose(new double[]{0, 1, 1, 0, 0, 0, 0, 0}, x.grad(), 0);
        Tensor ov = image(3, 3, 1, 2, 3, 4, 9, 5, 6, 7, 8).requiresGrad(true);
        F.maxPool2d(ov, 2, 1).sum().backward();   // the centre is every window's maximum
        assertClose(new double[]{0, 0, 0, 0, 4, 0, 0, 0, 0}, ov.grad(), 0);
    }

    @Test void maxPoolGradientsMatchFiniteDifferences() {
        Tensor.manualSeed(2);
        assertTrue(Autograd.gradcheck(in -> F.maxPool2d(in.get(0), new int[]{3, 2}, new int[]{2, 1}, new int[]{1, 1},
                new int[]{1, 2}, true), distinct(2, 2, 5, 6).requiresGrad(true)));
    }

    @Test void maxPoolIndicesAreFlatPositionsInTheInput() {
        Tensor x = image(4, 4, 1, 5, 2, 0, 3, 4, 8, 7, 9, 2, 6, 1, 0, 3, 5, 4);
        var r = F.maxPool2dWithIndices(x, new int[]{2, 2}, null, new int[]{0, 0}, new int[]{1, 1}, false);
        assertEquals(DType.INT64, r.indices().dtype());
        assertArrayEquals(new long[]{1, 6, 8, 10}, r.indices().toLongArray());
        var padded = F.maxPool2dWithIndices(x, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false);
        assertArrayEquals(new long[]{1, 6, 8, 6}, padded.indices().toLongArray());
        assertClose(new double[]{5, 8, 9, 8}, padded.values(), 0);
    }

    // ---------------------------------------------------------------- average

    @Test void avgPoolTakesTheMeanOfEachWindow() {
        Tensor x = Tensor.arange(1.0, 17.0, 1.0).view(1, 1, 4, 4);
        assertClose(new double[]{3.5, 5.5, 11.5, 13.5}, F.avgPool2d(x, 2), 1e-15);
        assertClose(new double[]{6, 7, 10, 11}, F.avgPool2d(x, 3, 1), 1e-15);
    }

    @Test void avgPoolCountsPaddingOnlyWhenAsked() {
        Tensor ones = Tensor.ones(DType.FLOAT64, 1, 1, 3, 3);
        int[] k = {2, 2}, s = {2, 2}, p = {1, 1};
        assertClose(new double[]{0.25, 0.5, 0.5, 1}, F.avgPool2d(ones, k, s, p, false, true, null), 1e-15);
        assertClose(new double[]{1, 1, 1, 1}, F.avgPool2d(ones, k, s, p, false, false, null), 1e-15);
        assertClose(new double[]{1.0 / 3, 2.0 / 3, 2.0 / 3, 4.0 / 3}, F.avgPool2d(ones, k, s, p, false, true, 3), 1e-15);
    }

    @Test void avgPoolCeilModeKeepsAPartialLastWindowAndDividesByItsSize() {
        Tensor x = Tensor.arange(0.0, 25.0, 1.0).view(1, 1, 5, 5);
        Tensor y = F.avgPool2d(x, new int[]{2, 2}, null, new int[]{0, 0}, true, true, null);
        assertArrayEquals(new int[]{1, 1, 3, 3}, y.shape());
        // the last row and column of windows hang off the image: the corner window holds x[4, 4] alone
        assertClose(new double[]{3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24}, y, 1e-6);
    }

    @Test void avgPoolGradientsMatchFiniteDifferences() {
        Tensor.manualSeed(3);
        Tensor x = Tensor.randn(new int[]{1, 2, 5, 6}, DType.FLOAT64, Device.CPU).requiresGrad(true);
        assertTrue(Autograd.gradcheck(in -> F.avgPool2d(in.get(0), new int[]{3, 2}, new int[]{2, 2}, new int[]{1, 1},
                true, false, null), x));
        assertTrue(Autograd.gradcheck(in -> F.avgPool2d(in.get(0), 2, 1, 1), x));
    }

    // ---------------------------------------------------------------- adaptive

    @Test void adaptivePoolUsesPyTorchsOverlappingWindowsWhenSizesDontDivide() {
        // 5 -> 3: windows [0, 2), [1, 4), [3, 5)
        assertClose(new double[]{1.5, 3, 4.5}, F.adaptiveAvgPool2d(image(1, 5, 1, 2, 3, 4, 5), 1, 3), 1e-15);
        Tensor.manualSeed(4);
        Tensor x = Tensor.randn(new int[]{2, 3, 7, 5}, DType.FLOAT64, Device.CPU);
        Tensor y = F.adaptiveAvgPool2d(x, 3, 4);
        assertArrayEquals(new int[]{2, 3, 3, 4}, y.shape());
        double[] xs = x.toDoubleArray(), expected = new double[2 * 3 * 3 * 4];
        for (int q = 0; q < 6; q++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++) {
                    int h0 = i * 7 / 3, h1 = ((i + 1) * 7 + 2) / 3, w0 = j * 5 / 4, w1 = ((j + 1) * 5 + 3) / 4;
                    double sum = 0;
                    for (int r = h0; r < h1; r++) for (int c = w0; c < w1; c++) sum += xs[(q * 7 + r) * 5 + c];
                    expected[(q * 3 + i) * 4 + j] = sum / ((h1 - h0) * (w1 - w0));
                }
        assertClose(expected, y, 1e-12);
        assertTrue(F.adaptiveAvgPool2d(x, 1).allclose(x.mean(new int[]{2, 3}, true), 1e-12, 1e-12));
        assertArrayEquals(new int[]{3, 2, 2}, F.adaptiveAvgPool2d(x.get(0), 2).shape());
    }

    @Test void adaptivePoolGradientsMatchFiniteDifferences() {
        Tensor.manualSeed(5);
        Tensor x = Tensor.randn(new int[]{1, 2, 5, 4}, DType.FLOAT64, Device.CPU).requiresGrad(true);
        assertTrue(Autograd.gradcheck(in -> F.adaptiveAvgPool2d(in.get(0), 3, 3), x));
    }

    // ---------------------------------------------------------------- modules and errors

    @Test void poolingModulesPrintLikePyTorch() {
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=(0, 1), dilation=(1, 1), ceil_mode=True)",
                new MaxPool2d(new int[]{2, 3}, null, new int[]{0, 1}, new int[]{1, 1}, true).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(5, 7))", new AdaptiveAvgPool2d(5, 7).toString());
    }

    @Test void poolingModulesForwardTheirFunctionalForms() {
        Tensor.manualSeed(6);
        Tensor x = Tensor.randn(2, 3, 6, 6);
        assertTrue(new MaxPool2d(3, 2, 1).forward(x).equal(F.maxPool2d(x, 3, 2, 1)));
        assertTrue(new AvgPool2d(2).forward(x).equal(F.avgPool2d(x, 2)));
        assertTrue(new AdaptiveAvgPool2d(2, 3).forward(x).equal(F.adaptiveAvgPool2d(x, 2, 3)));
        assertEquals(0, new MaxPool2d(2).parameters().size());
    }

    @Test void poolingErrorsNameTheSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(Tensor.zeros(1, 1, 4, 4), 2, 2, 2));
        assertTrue(e.getMessage().contains("(2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.avgPool2d(Tensor.zeros(1, 1, 2, 2), 3));
        assertTrue(e.getMessage().contains("[1, 1, 2, 2]") && e.getMessage().contains("(0 x 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(Tensor.zeros(4, 4), 2));
        assertTrue(e.getMessage().contains("2D"), e.getMessage());
    }
}
