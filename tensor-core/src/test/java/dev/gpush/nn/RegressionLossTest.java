package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** MSE and L1 losses: values by hand for each reduction, broadcasting targets, errors and gradients. */
class RegressionLossTest {
    private static final double[] X = {1.5, -2.0, 0.25, 3.0}, Y = {1.0, 1.0, 0.25, -1.0};

    private static Tensor x() { return Tensor.of(X).view(2, 2); }
    private static Tensor y() { return Tensor.of(Y).view(2, 2); }

    private static void assertValues(double[] expected, Tensor actual) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-15, "element " + i);
    }

    @Test void mseSquaresTheDifferences() {
        // differences 0.5, -3, 0, 4
        assertValues(new double[]{0.25, 9, 0, 16}, F.mseLoss(x(), y(), Reduction.NONE));
        assertArrayEquals(new int[]{2, 2}, F.mseLoss(x(), y(), Reduction.NONE).shape());
        assertEquals(25.25, F.mseLoss(x(), y(), Reduction.SUM).item(), 1e-15);
        assertEquals(25.25 / 4, F.mseLoss(x(), y()).item(), 1e-15);
        assertEquals(DType.FLOAT32, F.mseLoss(x().to(DType.FLOAT32), y().to(DType.FLOAT32)).dtype());
    }

    @Test void l1TakesTheAbsoluteDifferences() {
        assertValues(new double[]{0.5, 3, 0, 4}, F.l1Loss(x(), y(), Reduction.NONE));
        assertEquals(7.5, F.l1Loss(x(), y(), Reduction.SUM).item(), 1e-15);
        assertEquals(7.5 / 4, F.l1Loss(x(), y()).item(), 1e-15);
    }

    @Test void aTargetOfAnotherShapeBroadcastsAndOneThatCannotIsNamed() {
        // [2, 2] against [2]: each row against the same target, as PyTorch does (with a warning)
        Tensor t = Tensor.of(1.0, 1.0);
        assertValues(new double[]{0.25, 9, 0.5625, 4}, F.mseLoss(x(), t, Reduction.NONE));
        String m = assertThrows(IllegalArgumentException.class, () -> F.l1Loss(x(), Tensor.of(1.0, 2.0, 3.0))).getMessage();
        assertTrue(m.contains("[3]") && m.contains("[2, 2]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> F.mseLoss(Tensor.of(1L, 2L), Tensor.of(1L, 2L))).getMessage();
        assertTrue(m.contains("int64"), m);
    }

    @Test void theMeanOfAnEmptyBatchIsNaN() {
        assertTrue(Double.isNaN(F.mseLoss(Tensor.zeros(0, 3), Tensor.zeros(0, 3)).item()));
        assertEquals(0, F.l1Loss(Tensor.zeros(0, 3), Tensor.zeros(0, 3), Reduction.SUM).item());
    }

    @Test void gradientsReachInputAndTargetForEveryReduction() {
        for (Reduction r : Reduction.values()) {
            assertTrue(Autograd.gradcheck(xs -> F.mseLoss(xs.get(0), xs.get(1), r), x().requiresGrad(true), y().requiresGrad(true)));
            // no element sits at |x - y| = 0 here, where l1 has no derivative
            Tensor away = Tensor.of(1.5, -2.0, 0.75, 3.0).view(2, 2).requiresGrad(true);
            assertTrue(Autograd.gradcheck(xs -> F.l1Loss(xs.get(0), xs.get(1), r), away, y().requiresGrad(true)));
        }
        assertTrue(Autograd.gradcheck(xs -> F.mseLoss(xs.get(0), xs.get(1)), x().requiresGrad(true), Tensor.of(1.0, 1.0).requiresGrad(true)));
    }

    @Test void gradientsByHand() {
        Tensor a = x().requiresGrad(true);
        F.mseLoss(a, y()).backward();
        assertValues(new double[]{2 * 0.5 / 4, 2 * -3.0 / 4, 0, 2 * 4.0 / 4}, a.grad());
        Tensor b = x().requiresGrad(true);
        F.l1Loss(b, y()).backward();
        // sign(x - y) / n, and 0 where x == y as in PyTorch
        assertValues(new double[]{0.25, -0.25, 0, 0.25}, b.grad());
    }
}
