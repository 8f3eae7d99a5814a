package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** nn.LayerNorm and F.layerNorm: hand-computed values, affine parameters, half inputs, gradients, errors, repr. */
class LayerNormTest {
    private static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            assertEquals(expected[i], got[i], tol, "element " + i);
    }

    @Test void normalisesWithTheBiasedVariance() {
        // mean 2.5, biased variance 1.25
        double s = Math.sqrt(1.25 + 1e-5);
        Tensor y = F.layerNorm(Tensor.of(1.0, 2.0, 3.0, 4.0), new int[]{4});
        assertClose(new double[]{-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, y, 1e-12);
    }

    @Test void eachRowIsNormalisedAloneAndEpsIsUsed() {
        Tensor x = Tensor.of(new double[][]{{1, 3}, {10, 10}});
        // row 0: mean 2, var 1; row 1: constant, so (x - mean) = 0 whatever eps
        double eps = 0.5, s = Math.sqrt(1 + eps);
        assertClose(new double[]{-1 / s, 1 / s, 0, 0}, F.layerNorm(x, new int[]{2}, null, null, eps), 1e-12);
    }

    @Test void weightScalesAndBiasShifts() {
        Tensor x = Tensor.of(new double[][]{{1, 3}, {0, -4}});
        Tensor w = Tensor.of(2.0, -1.0), b = Tensor.of(0.5, 1.0);
        double s = 1 / Math.sqrt(1 + 1e-5), s4 = 2 / Math.sqrt(4 + 1e-5);
        assertClose(new double[]{-2 * s + 0.5, -s + 1, 2 * s4 + 0.5, s4 + 1},
                F.layerNorm(x, new int[]{2}, w, b, 1e-5), 1e-12);
    }

    @Test void normalisesOverSeveralTrailingDims() {
        Tensor x = Tensor.randn(new Generator(1), 3, 2, 5).to(DType.FLOAT64);
        Tensor y = F.layerNorm(x, new int[]{2, 5});
        Tensor flat = F.layerNorm(x.reshape(3, 10), new int[]{10}).reshape(3, 2, 5);
        assertTrue(flat.allclose(y, 1e-12, 1e-12));
        assertClose(new double[]{0, 0, 0}, y.mean(new int[]{1, 2}, false), 1e-12);
        assertClose(new double[]{1, 1, 1}, y.var(new int[]{1, 2}, false, false), 1e-4);
    }

    @Test void moduleStartsAtOnesAndZeros() {
        LayerNorm ln = new LayerNorm(4);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
        assertArrayEquals(new float[]{1, 1, 1, 1}, ln.weight.toFloatArray());
        assertArrayEquals(new float[]{0, 0, 0, 0}, ln.bias.toFloatArray());
        assertTrue(ln.weight.requiresGrad());
        assertEquals(1e-5, ln.eps);
        Tensor x = Tensor.randn(new Generator(2), 3, 4);
        assertTrue(ln.forward(x).allclose(F.layerNorm(x, new int[]{4}), 1e-6, 1e-6));
    }

    @Test void withoutAffineOrBiasTheParametersAreAbsent() {
        assertTrue(new LayerNorm(new int[]{4}, 1e-5, false).namedParameters().isEmpty());
        LayerNorm noBias = new LayerNorm(new int[]{4}, 1e-5, true, false);
        assertEquals(List.of("weight"), List.copyOf(noBias.stateDict().keySet()));
        assertNull(noBias.bias);
    }

    @Test void printsLikePyTorch() {
        assertEquals("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", new LayerNorm(4).toString());
        assertEquals("LayerNorm((2, 3), eps=1e-06, elementwise_affine=False)",
                new LayerNorm(new int[]{2, 3}, 1e-6, false).toString());
        assertEquals("LayerNorm((8,), eps=0.001, elementwise_affine=True)", new LayerNorm(new int[]{8}, 1e-3).toString());
    }

    @Test void gradientsMatchFiniteDifferences() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 2, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(g, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(g, 4).to(DType.FLOAT64).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> F.layerNorm(xs.get(0), new int[]{4}, xs.get(1), xs.get(2), 1e-5), x, w, b));
        Tensor w2 = Tensor.randn(g, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> F.layerNorm(xs.get(0), new int[]{3, 4}, xs.get(1), null, 1e-5), x, w2));
    }

    @Test void halfInputsComputeInFloat32AndKeepTheirDtype() {
        // float16 spacing at 1000 is 0.5: the mean 1000.25 can't be stored, so computing in float16 would centre
        // to [0, 0, 0.5, 0.5] (or [-0.5, -0.5, 0, 0]) and double the variance; float32 gives exactly [-1, -1, 1, 1]
        Tensor x = Tensor.of(1000.0, 1000.0, 1000.5, 1000.5).to(DType.FLOAT16);
        Tensor y = F.layerNorm(x, new int[]{4}, Tensor.ones(DType.FLOAT16, 4), Tensor.zeros(DType.FLOAT16, 4), 1e-5);
        assertEquals(DType.FLOAT16, y.dtype());
        assertClose(new double[]{-1, -1, 1, 1}, y, 1e-3);
        Tensor r = Tensor.randn(new Generator(4), 4, 16).mul(3).add(100).to(DType.BFLOAT16);
        Tensor yb = new LayerNorm(16).to(DType.BFLOAT16).forward(r);
        assertEquals(DType.BFLOAT16, yb.dtype());
        assertTrue(yb.to(DType.FLOAT32).allclose(F.layerNorm(r.to(DType.FLOAT32), new int[]{16}), 1e-2, 1e-2));
    }

    @Test void aShapeThatDoesNotEndTheInputIsNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        var ew = assertThrows(IllegalArgumentException.class,
                () -> F.layerNorm(Tensor.zeros(2, 3), new int[]{3}, Tensor.ones(4), null, 1e-5));
        assertTrue(ew.getMessage().contains("weight") && ew.getMessage().contains("[4]"), ew.getMessage());
    }
}
