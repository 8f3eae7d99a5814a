package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * NLL loss picks {@code -w_t·x_t} at each position: values by hand, weights, ignoreIndex, spatial inputs,
 * gradients against finite differences, and its agreement with cross entropy over a log softmax.
 */
class NLLLossTest {
    private static final double[][] X = {{-0.5, -1.5, -2.0}, {-3.0, -0.1, -0.7}, {-1.0, -2.0, -0.25}, {-0.3, -0.6, -0.9}};
    private static final long[] T = {0, 1, 2, 1};
    private static final double[] W = {2.0, 0.5, 1.5};

    private static Tensor x() { return Tensor.of(X); }

    private static void assertValues(double[] expected, Tensor actual) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-15, "element " + i);
    }

    @Test void picksTheNegatedTargetEntries() {
        assertValues(new double[]{0.5, 0.1, 0.25, 0.6}, F.nllLoss(x(), Tensor.of(T), null, -100, Reduction.NONE));
        assertEquals(1.45, F.nllLoss(x(), Tensor.of(T), null, -100, Reduction.SUM).item(), 1e-15);
        assertEquals(1.45 / 4, F.nllLoss(x(), Tensor.of(T)).item(), 1e-15);
    }

    @Test void weightsScaleEachPositionAndNormaliseTheMean() {
        Tensor w = Tensor.of(W);
        double[] none = {2.0 * 0.5, 0.5 * 0.1, 1.5 * 0.25, 0.5 * 0.6};
        assertValues(none, F.nllLoss(x(), Tensor.of(T), w, -100, Reduction.NONE));
        double sum = none[0] + none[1] + none[2] + none[3];
        assertEquals(sum / (2.0 + 0.5 + 1.5 + 0.5), F.nllLoss(x(), Tensor.of(T), w, -100, Reduction.MEAN).item(), 1e-15);
    }

    @Test void ignoredPositionsCountForNothing() {
        Tensor t = Tensor.of(new long[]{0, 1, 2, 1});
        // ignoreIndex 1 drops rows 1 and 3
        assertValues(new double[]{0.5 * 2, 0, 0.25 * 1.5, 0}, F.nllLoss(x(), t, Tensor.of(W), 1, Reduction.NONE));
        assertEquals((0.5 * 2 + 0.25 * 1.5) / (2 + 1.5), F.nllLoss(x(), t, Tensor.of(W), 1, Reduction.MEAN).item(), 1e-15);
        assertTrue(Double.isNaN(F.nllLoss(x(), Tensor.of(new long[]{-100, -100, -100, -100})).item()));
    }

    @Test void spatialInputsPickAlongDim1() {
        // [N=1, C=3, d=4] is X transposed: each column of the spatial dim is a row of X
        Tensor spatial = x().t().unsqueeze(0);
        Tensor t = Tensor.of(T).view(1, 4);
        Tensor none = F.nllLoss(spatial, t, null, -100, Reduction.NONE);
        assertArrayEquals(new int[]{1, 4}, none.shape());
        assertValues(new double[]{0.5, 0.1, 0.25, 0.6}, none);
    }

    @Test void crossEntropyIsNllOfTheLogSoftmax() {
        Tensor logits = Tensor.of(new double[][]{{0.3, 2.0, -1.0}, {1.0, 1.0, 4.0}});
        Tensor t = Tensor.of(new long[]{1, 0});
        Tensor w = Tensor.of(W);
        for (Reduction r : Reduction.values())
            assertArrayEquals(F.nllLoss(logits.logSoftmax(1), t, w, -100, r).toDoubleArray(),
                    F.crossEntropy(logits, t, w, -100, r, 0).toDoubleArray(), 1e-15);
    }

    @Test void gradientOfEveryReductionMatchesFiniteDifferences() {
        Tensor t = Tensor.of(new long[]{0, -100, 2, 1});
        for (Reduction r : Reduction.values()) {
            assertTrue(Autograd.gradcheck(xs -> F.nllLoss(xs.get(0), t, null, -100, r), x().requiresGrad(true)));
            assertTrue(Autograd.gradcheck(xs -> F.nllLoss(xs.get(0), t, xs.get(1), -100, r),
                    x().requiresGrad(true), Tensor.of(W).requiresGrad(true)));
        }
    }

    @Test void float32InputsGiveFloat32LossesWithFloat64Weights() {
        Tensor loss = F.nllLoss(x().to(DType.FLOAT32), Tensor.of(T), Tensor.of(W), -100, Reduction.MEAN);
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(DType.FLOAT32, F.nllLoss(x().to(DType.FLOAT32), Tensor.of(T)).dtype());
    }
}
