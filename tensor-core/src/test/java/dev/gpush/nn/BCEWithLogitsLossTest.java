package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Binary cross entropy with logits: values by hand from {@code (1 - y)·x + (1 + (p - 1)·y)·softplus(-x)}, with
 * softplus worked as {@code max(-x, 0) + log1p(exp(-|x|))}; stability at huge logits; weight, posWeight, errors and
 * gradients (including at a logit of exactly 0).
 */
class BCEWithLogitsLossTest {
    private static final double[][] X = {{0.0, 2.5, -1.0}, {-30.0, 40.0, 0.7}};
    private static final double[][] Y = {{1.0, 0.0, 0.3}, {1.0, 1.0, 0.0}};
    private static final double[] POS = {3.0, 0.5, 2.0};
    private static final double[] W = {0.1, 1.0, 4.0};

    private static double softplusNeg(double x) { return Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    /** One element's loss by hand; p = 1 and w = 1 mean no posWeight and no weight. */
    private static double loss(double x, double y, double p, double w) {
        return w * ((1 - y) * x + (1 + (p - 1) * y) * softplusNeg(x));
    }

    private static double[] expected(double[] pos, double[] w) {
        double[] r = new double[6];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) r[i * 3 + j] = loss(X[i][j], Y[i][j], pos == null ? 1 : pos[j], w == null ? 1 : w[j]);
        return r;
    }

    private static void assertValues(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    private static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s;
    }

    @Test void knownValuesMatchPyTorch() {
        // binary_cross_entropy_with_logits(0, 1) = ln 2; a confident right logit costs nothing, a wrong one its size
        Tensor x = Tensor.of(0f, 1000f, -1000f, 1000f), y = Tensor.of(1f, 0f, 1f, 1f);
        assertValues(new double[]{Math.log(2), 1000, 1000, 0}, F.binaryCrossEntropyWithLogits(x, y, null, null, Reduction.NONE), 1e-7);
        assertEquals(DType.FLOAT32, F.binaryCrossEntropyWithLogits(x, y).dtype());
    }

    @Test void reductionsOfTheStableFormMatchTheFormulaByHand() {
        Tensor x = Tensor.of(X), y = Tensor.of(Y);
        double[] e = expected(null, null);
        assertValues(e, F.binaryCrossEntropyWithLogits(x, y, null, null, Reduction.NONE), 1e-15);
        assertEquals(sum(e), F.binaryCrossEntropyWithLogits(x, y, null, null, Reduction.SUM).item(), 1e-13);
        assertEquals(sum(e) / 6, F.binaryCrossEntropyWithLogits(x, y).item(), 1e-13);
        // the unweighted form is also max(x, 0) - x·y + log1p(exp(-|x|))
        assertEquals(Math.max(2.5, 0) - 0 + Math.log1p(Math.exp(-2.5)), e[1], 1e-15);
    }

    @Test void posWeightScalesThePositiveTermAlongTheLastDim() {
        Tensor x = Tensor.of(X), y = Tensor.of(Y);
        assertValues(expected(POS, null), F.binaryCrossEntropyWithLogits(x, y, null, Tensor.of(POS), Reduction.NONE), 1e-15);
        assertValues(expected(POS, W), F.binaryCrossEntropyWithLogits(x, y, Tensor.of(W), Tensor.of(POS), Reduction.NONE), 1e-15);
        assertEquals(sum(expected(null, W)) / 6, F.binaryCrossEntropyWithLogits(x, y, Tensor.of(W), null, Reduction.MEAN).item(), 1e-13);
    }

    @Test void mismatchedShapesAreNamed() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> F.binaryCrossEntropyWithLogits(Tensor.zeros(2, 3), Tensor.zeros(2, 1))).getMessage();
        assertTrue(m.contains("[2, 1]") && m.contains("[2, 3]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> F.binaryCrossEntropyWithLogits(Tensor.zeros(2, 3),
                Tensor.zeros(2, 3), null, Tensor.ones(2), Reduction.MEAN)).getMessage();
        assertTrue(m.contains("posWeight") && m.contains("[2]") && m.contains("[2, 3]"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> F.binaryCrossEntropyWithLogits(Tensor.zeros(2), Tensor.of(1L, 0L))).getMessage();
        assertTrue(m.contains("int64"), m);
    }

    @Test void gradientAtALogitOfZeroIsSigmoidMinusTarget() {
        Tensor x = Tensor.of(0.0, 0.0, 0.0).requiresGrad(true);
        F.binaryCrossEntropyWithLogits(x, Tensor.of(1.0, 0.0, 0.5), null, null, Reduction.SUM).backward();
        assertValues(new double[]{-0.5, 0.5, 0}, x.grad(), 1e-15);
    }

    @Test void gradientsAtHugeLogitsAreFinite() {
        Tensor x = Tensor.of(-1000f, 1000f).requiresGrad(true);
        F.binaryCrossEntropyWithLogits(x, Tensor.of(1f, 1f), null, null, Reduction.SUM).backward();
        assertValues(new double[]{-1, 0}, x.grad(), 1e-7);
    }

    @Test void gradientsReachLogitsTargetsAndWeightsForEveryReduction() {
        for (Reduction r : Reduction.values()) {
            assertTrue(Autograd.gradcheck(xs -> F.binaryCrossEntropyWithLogits(xs.get(0), xs.get(1), null, null, r),
                    Tensor.of(X).requiresGrad(true), Tensor.of(Y).requiresGrad(true)));
            assertTrue(Autograd.gradcheck(xs -> F.binaryCrossEntropyWithLogits(xs.get(0), xs.get(1), xs.get(2), xs.get(3), r),
                    Tensor.of(X).requiresGrad(true), Tensor.of(Y).requiresGrad(true),
                    Tensor.of(W).requiresGrad(true), Tensor.of(POS).requiresGrad(true)));
        }
    }

    @Test void secondDerivativeIsSigmoidSlope() {
        // d²/dx² softplus(-x) = sigmoid(x)·(1 - sigmoid(x)), 1/4 at 0
        Tensor x = Tensor.of(0.0, 2.0).requiresGrad(true);
        Tensor g = Autograd.grad(F.binaryCrossEntropyWithLogits(x, Tensor.of(1.0, 0.0), null, null, Reduction.SUM),
                java.util.List.of(x), true).getFirst();
        Tensor h = Autograd.grad(g.sum(), java.util.List.of(x)).getFirst();
        double s = 1 / (1 + Math.exp(-2.0));
        assertValues(new double[]{0.25, s * (1 - s)}, h, 1e-15);
    }
}
