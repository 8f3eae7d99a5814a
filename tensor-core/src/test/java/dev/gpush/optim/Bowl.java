package dev.gpush.optim;

import dev.gpush.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tiny problem the optimizer tests run: the weighted quadratic bowl {@code sum(w * (p - c)^2)} over a float64
 * parameter, whose gradient {@code 2 w (p - c)} the reference implementations compute in doubles.
 */
final class Bowl {
    static final double[] C = {1.0, -2.0, 0.5};
    static final double[] W = {1.0, 3.0, 0.5};
    static final double[] START = {3.0, 1.0, -1.5};

    private Bowl() {}

    /** A fresh float64 leaf at {@link #START}. */
    static Tensor param() { return Tensor.of(START.clone()).requiresGrad(true); }

    static Tensor loss(Tensor p) { return p.sub(Tensor.of(C)).square().mul(Tensor.of(W)).sum(); }

    /** Fills {@code p.grad()} with the bowl's gradient at {@code p}. */
    static void backward(Tensor p) { loss(p).backward(); }

    /** The gradient at {@code p}, in doubles. */
    static double[] grad(double[] p) {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) g[i] = 2 * W[i] * (p[i] - C[i]);
        return g;
    }

    /** One optimizer step on the bowl: zero the gradient, backward, step. */
    static void train(Optimizer opt, Tensor p) {
        opt.zeroGrad();
        backward(p);
        opt.step();
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            if (!(Math.abs(expected[i] - got[i]) <= tol * Math.max(1, Math.abs(expected[i]))))
                fail("element " + i + ": expected " + expected[i] + " but got " + got[i] + " (tolerance " + tol + ")");
    }
}
