package dev.gpush.ops;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Assertions on tensors for the op tests: values within a tolerance (NaN equals NaN, infinities must match
 * exactly), shape and dtype, and gradients against float64 finite differences. Failures name the element.
 */
final class TensorAssert {
    private TensorAssert() {}

    /** Every element of {@code actual} is within {@code tol} of {@code expected} (absolute, and relative to it). */
    static void assertValues(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count of " + Shapes.str(actual.shapeRef()));
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], g = got[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(g)
                    : Double.isInfinite(e) ? e == g
                    : Math.abs(e - g) <= tol * Math.max(1, Math.abs(e));
            if (!ok) fail("element " + i + ": expected " + e + " but got " + g + " (tolerance " + tol + ")");
        }
    }

    /** Shape, then values. */
    static void assertValues(int[] shape, double[] expected, Tensor actual, double tol) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertValues(expected, actual, tol);
    }

    /** Shape, dtype, then exact values. */
    static void assertExactly(DType dtype, int[] shape, double[] expected, Tensor actual) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertValues(shape, expected, actual, 0);
    }

    /** Same shape and values within {@code tol}: for comparing two computations of one thing. */
    static void assertSameValues(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertValues(expected.toDoubleArray(), actual, tol);
    }

    /** The analytic gradients of {@code fn} match central finite differences in float64 (throws naming the entry). */
    static void assertGradientsMatchFiniteDifferences(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
        assertTrue(Autograd.gradcheck(fn, inputs));
    }

    /**
     * {@code x -> d/dx sum(f(x))} built with createGraph, so that checking its gradient checks f's second
     * derivative (PyTorch's gradgradcheck). Perturbed evaluations get a fresh leaf to differentiate against.
     */
    static Function<List<Tensor>, Tensor> gradientOf(Function<Tensor, Tensor> f) {
        return xs -> {
            Tensor x = xs.get(0).requiresGrad() ? xs.get(0) : xs.get(0).detach().requiresGrad(true);
            try (var on = Autograd.enableGrad()) {
                return Autograd.grad(f.apply(x).sum(), List.of(x), true).get(0);
            }
        };
    }

    /** A float64 leaf that requires grad, with the given values and shape. */
    static Tensor leaf(int[] shape, double... values) {
        return Tensor.of(values).view(shape).requiresGrad(true);
    }

    static Tensor leaf(double... values) {
        return Tensor.of(values).requiresGrad(true);
    }

    /** A float64 leaf of standard normal values from a fixed seed, so failures reproduce. */
    static Tensor randnLeaf(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64).requiresGrad(true);
    }

    /** float32 standard normal values from a fixed seed. */
    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }
}
