package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ReLU, GELU (exact and tanh), SiLU and Tanh as modules and functional forms: values against closed forms
 * (exact GELU from Python's math.erf), gradients against finite differences, and PyTorch's reprs.
 */
class ActivationsTest {
    private static final double[] XS = {-2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 3.0};
    /** x * 0.5 * (1 + math.erf(x / math.sqrt(2))) in Python, for XS. */
    private static final double[] GELU_EXACT = {-0.015524163314440398, -0.15865525393145707, -0.1146265733433142,
            0.0, 0.2621686966441297, 0.8413447460685429, 2.99595030590511};

    private static double[] map(DoubleUnaryOperator f) {
        double[] r = new double[XS.length];
        for (int i = 0; i < XS.length; i++) r[i] = f.applyAsDouble(XS[i]);
        return r;
    }

    private static void assertModuleAndFunctional(double[] expected, Module m, UnaryOperator<Tensor> f, double tol) {
        assertArrayEquals(expected, m.forward(Tensor.of(XS)).toDoubleArray(), tol, m.toString());
        assertArrayEquals(expected, f.apply(Tensor.of(XS)).toDoubleArray(), tol, "functional " + m);
    }

    private static void assertGradcheck(UnaryOperator<Tensor> f) {
        // away from 0, where ReLU has a kink that central differences straddle
        Tensor x = Tensor.of(-2.1, -0.7, 0.3, 1.2, 2.6).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> f.apply(xs.get(0)), x));
    }

    @Test void reluClampsNegativesToZero() {
        assertModuleAndFunctional(map(x -> Math.max(x, 0)), new ReLU(), F::relu, 0);
        assertGradcheck(F::relu);
    }

    @Test void geluIsXTimesTheNormalCdf() {
        assertModuleAndFunctional(GELU_EXACT, new GELU(), F::gelu, 1e-12);
        assertModuleAndFunctional(GELU_EXACT, new GELU("none"), x -> F.gelu(x, "none"), 1e-12);
        assertGradcheck(x -> F.gelu(x, "none"));
    }

    @Test void geluTanhUsesTheTanhApproximation() {
        double c = Math.sqrt(2 / Math.PI);
        double[] expected = map(x -> 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x))));
        assertModuleAndFunctional(expected, new GELU("tanh"), x -> F.gelu(x, "tanh"), 1e-12);
        assertGradcheck(x -> F.gelu(x, "tanh"));
        // close to the exact form, but not equal to it
        assertArrayEquals(GELU_EXACT, expected, 1e-3);
    }

    @Test void geluRejectsAnUnknownApproximation() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GELU("erf"));
        assertTrue(e.getMessage().contains("'erf'") && e.getMessage().contains("'tanh'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.gelu(Tensor.of(1.0), "fast"));
    }

    @Test void siluIsXTimesSigmoid() {
        assertModuleAndFunctional(map(x -> x / (1 + Math.exp(-x))), new SiLU(), F::silu, 1e-12);
        assertGradcheck(F::silu);
    }

    @Test void tanhIsTheHyperbolicTangent() {
        assertModuleAndFunctional(map(Math::tanh), new Tanh(), F::tanh, 1e-12);
        assertGradcheck(F::tanh);
    }

    @Test void functionalSigmoidAndSoftmaxesMatchTheirClosedForms() {
        assertArrayEquals(map(x -> 1 / (1 + Math.exp(-x))), F.sigmoid(Tensor.of(XS)).toDoubleArray(), 1e-12);
        Tensor x = Tensor.of(1.0, 2.0, 3.0);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[]{Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z},
                F.softmax(x, 0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)},
                F.logSoftmax(x, -1).toDoubleArray(), 1e-12);
    }

    @Test void activationsKeepShapeAndDtype() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 4).to(DType.BFLOAT16);
        for (Module m : new Module[]{new ReLU(), new GELU(), new GELU("tanh"), new SiLU(), new Tanh()}) {
            Tensor y = m.forward(x);
            assertArrayEquals(new int[]{2, 3, 4}, y.shape(), m.toString());
            assertEquals(DType.BFLOAT16, y.dtype(), m.toString());
        }
    }

    @Test void activationsHaveNoParametersAndPrintLikePyTorch() {
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("SiLU()", new SiLU().toString());
        assertEquals("Tanh()", new Tanh().toString());
        assertEquals(0, new GELU().numParameters());
    }
}
