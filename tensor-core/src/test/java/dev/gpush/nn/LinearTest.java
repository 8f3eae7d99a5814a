package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** nn.Linear and F.linear: shapes and names, PyTorch's default init, values by hand, gradients, errors, repr. */
class LinearTest {
    private static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            assertEquals(expected[i], got[i], tol, "element " + i);
    }

    @Test void parametersHavePyTorchsShapesAndNames() {
        Linear l = new Linear(4, 2);
        assertEquals(List.of("weight", "bias"), List.copyOf(l.namedParameters().keySet()));
        assertArrayEquals(new int[]{2, 4}, l.weight.shape());
        assertArrayEquals(new int[]{2}, l.bias.shape());
        assertTrue(l.weight.requiresGrad() && l.bias.requiresGrad());
        assertEquals(DType.FLOAT32, l.weight.dtype());
        assertEquals(10, l.numParameters());
    }

    @Test void defaultInitIsUniformWithinOneOverSqrtFanIn() {
        Tensor.manualSeed(0);
        Linear l = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        double wMax = l.weight.abs().max().item();
        assertTrue(wMax <= bound && wMax > 0.99 * bound, "max |w| " + wMax + " vs bound " + bound);
        assertEquals(bound / Math.sqrt(3), l.weight.std().item(), 0.03 * bound / Math.sqrt(3));
        double bMax = l.bias.abs().max().item();
        assertTrue(bMax <= bound && bMax > 0.9 * bound, "max |b| " + bMax + " vs bound " + bound);
    }

    @Test void initIsReproducibleFromTheSeed() {
        Tensor.manualSeed(5);
        Linear a = new Linear(3, 3);
        Tensor.manualSeed(5);
        Linear b = new Linear(3, 3);
        assertArrayEquals(a.weight.toFloatArray(), b.weight.toFloatArray());
        assertArrayEquals(a.bias.toFloatArray(), b.bias.toFloatArray());
    }

    @Test void withoutBiasThereIsNoBiasParameterOrStateEntry() {
        Linear l = new Linear(4, 2, false);
        assertNull(l.bias);
        assertEquals(List.of("weight"), List.copyOf(l.stateDict().keySet()));
        assertEquals("Linear(in_features=4, out_features=2, bias=False)", l.toString());
    }

    @Test void printsLikePyTorch() {
        assertEquals("Linear(in_features=4, out_features=2, bias=True)", new Linear(4, 2).toString());
    }

    @Test void forwardIsXTimesWTransposedPlusBias() {
        Tensor w = Tensor.of(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        Tensor b = Tensor.of(0.5, -1.0, 0.0);
        assertClose(new double[]{-0.5, -2, -1}, F.linear(Tensor.of(1.0, -1.0), w, b), 0);
        Tensor x = Tensor.of(new double[][]{{1, -1}, {2, 0.5}});
        Tensor y = F.linear(x, w, b);
        assertArrayEquals(new int[]{2, 3}, y.shape());
        assertClose(new double[]{-0.5, -2, -1, 3.5, 7, 13}, y, 1e-12);
        assertClose(new double[]{-1, -1, -1, 3, 8, 13}, F.linear(x, w), 1e-12);
    }

    @Test void leadingDimsAreKeptAndEachRowIsTransformedAlone() {
        Tensor.manualSeed(1);
        Linear l = new Linear(4, 3);
        Tensor x = Tensor.randn(new Generator(2), 2, 5, 4);
        Tensor y = l.forward(x);
        assertArrayEquals(new int[]{2, 5, 3}, y.shape());
        Tensor rows = l.forward(x.reshape(10, 4)).reshape(2, 5, 3);
        assertTrue(rows.allclose(y, 1e-6, 1e-6));
        // a transposed (non-contiguous) input gives the same as its contiguous copy
        Tensor xt = Tensor.randn(new Generator(3), 4, 5, 2).permute(2, 1, 0);
        assertTrue(l.forward(xt).allclose(l.forward(xt.contiguous()), 1e-6, 1e-6));
    }

    @Test void gradientsMatchFiniteDifferences() {
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(g, 2, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(g, 5, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(g, 5).to(DType.FLOAT64).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> F.linear(xs.get(0), xs.get(1), xs.get(2)), x, w, b));
        assertTrue(Autograd.gradcheck(xs -> F.linear(xs.get(0), xs.get(1)), x.select(0, 0), w));
        assertTrue(Autograd.gradcheck(xs -> F.linear(xs.get(0), xs.get(1), xs.get(2)), x.select(0, 0).select(0, 0), w, b));
    }

    @Test void moduleGradientsArriveInTheParameters() {
        Linear l = new Linear(3, 2);
        Tensor x = Tensor.of(new float[][]{{1, 2, 3}, {-1, 0, 1}});
        l.forward(x).sum().backward();
        // d sum / dW[o, i] = sum over rows of x[:, i]; d sum / db = number of rows
        assertArrayEquals(new float[]{0, 2, 4, 0, 2, 4}, l.weight.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{2, 2}, l.bias.grad().toFloatArray(), 1e-6f);
    }

    @Test void mismatchedFeaturesNameTheShapes() {
        Linear l = new Linear(4, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("[2, 4]"), e.getMessage());
        var eb = assertThrows(IllegalArgumentException.class,
                () -> F.linear(Tensor.zeros(3, 4), Tensor.zeros(2, 4), Tensor.zeros(3)));
        assertTrue(eb.getMessage().contains("[2]") && eb.getMessage().contains("[3]"), eb.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 2));
    }
}
