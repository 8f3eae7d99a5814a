package dev.gpush.optim;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gpush.optim.Bowl.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/** Gradient clipping: the returned total norm, the scaling, the norm types and the non-finite check. */
class ClipTest {

    /** Leaves with the given gradients (float64 unless the gradient says otherwise). */
    private static Tensor withGrad(Tensor grad) {
        Tensor p = Tensor.zerosLike(grad).requiresGrad(true);
        p.setGrad(grad);
        return p;
    }

    @Test void totalNormIsTheNormOfThePerParameterNormsAndGradsScaleToMaxNorm() {
        Tensor a = withGrad(Tensor.of(3.0, 4.0)), b = withGrad(Tensor.of(new double[]{12.0}));
        Tensor total = Clip.clipGradNorm(List.of(a, b), 1.3);
        assertEquals(13.0, total.item(), 1e-12);
        assertEquals(0, total.dim());
        double coef = 1.3 / (13.0 + 1e-6);
        assertClose(new double[]{3 * coef, 4 * coef}, a.grad(), 1e-15);
        assertClose(new double[]{12 * coef}, b.grad(), 1e-15);
        assertEquals(1.3, Math.hypot(Math.hypot(a.grad().toDoubleArray()[0], a.grad().toDoubleArray()[1]),
                b.grad().toDoubleArray()[0]), 1e-6);
    }

    @Test void gradsBelowMaxNormAreUnchanged() {
        Tensor a = withGrad(Tensor.of(0.3, -0.4));
        Tensor total = Clip.clipGradNorm(List.of(a), 1.0);
        assertEquals(0.5, total.item(), 1e-15);
        assertArrayEquals(new double[]{0.3, -0.4}, a.grad().toDoubleArray());
    }

    @Test void infinityNormIsTheLargestMagnitude() {
        Tensor a = withGrad(Tensor.of(1.0, -7.0)), b = withGrad(Tensor.of(new double[]{5.0}));
        Tensor total = Clip.clipGradNorm(List.of(a, b), 3.5, Double.POSITIVE_INFINITY);
        assertEquals(7.0, total.item());
        double coef = 3.5 / (7 + 1e-6);
        assertClose(new double[]{coef, -7 * coef}, a.grad(), 1e-15);
        assertClose(new double[]{5 * coef}, b.grad(), 1e-15);
    }

    @Test void oneNormAddsMagnitudes() {
        Tensor a = withGrad(Tensor.of(1.0, -2.0)), b = withGrad(Tensor.of(new double[]{3.0}));
        assertEquals(6.0, Clip.clipGradNorm(List.of(a, b), 100, 1).item(), 1e-15);
        assertArrayEquals(new double[]{1, -2}, a.grad().toDoubleArray());
    }

    @Test void nonFiniteNormIsAnErrorOnlyWhenAsked() {
        Tensor a = withGrad(Tensor.of(1.0, Double.NaN));
        var e = assertThrows(IllegalStateException.class, () -> Clip.clipGradNorm(List.of(a), 1, 2, true));
        assertTrue(e.getMessage().contains("The total norm of order 2.0 for gradients from `parameters` is non-finite"), e.getMessage());
        assertArrayEquals(new double[]{1, Double.NaN}, a.grad().toDoubleArray(), "not scaled on error");

        Tensor b = withGrad(Tensor.of(1.0, Double.POSITIVE_INFINITY));
        Tensor total = Clip.clipGradNorm(List.of(b), 1);
        assertEquals(Double.POSITIVE_INFINITY, total.item());
        assertEquals(0.0, b.grad().toDoubleArray()[0], "scaled by max_norm / inf = 0, as PyTorch does");
    }

    @Test void parametersWithoutGradientsAreSkipped() {
        Tensor none = Tensor.of(1.0).requiresGrad(true), a = withGrad(Tensor.of(6.0, 8.0));
        assertEquals(10.0, Clip.clipGradNorm(List.of(none, a), 5).item(), 1e-12);
        assertNull(none.grad());
        Tensor zero = Clip.clipGradNorm(List.of(none), 5);
        assertEquals(0.0, zero.item());
        assertEquals(DType.FLOAT32, zero.dtype());
    }

    @Test void float32GradsGiveAFloat32Norm() {
        Tensor a = withGrad(Tensor.of(3f, 4f));
        Tensor total = Clip.clipGradNorm(List.of(a), 1);
        assertEquals(DType.FLOAT32, total.dtype());
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertClose(new double[]{0.6, 0.8}, a.grad(), 1e-6);
    }

    @Test void theReturnedNormOutlivesAScopeOnlyIfKept() {
        Tensor a = withGrad(Tensor.of(3.0, 4.0));
        Tensor total;
        try (Scope s = Scope.open()) {
            total = Clip.clipGradNorm(List.of(a), 1);
            assertEquals(1, s.size(), "only the returned norm belongs to the caller's scope");
        }
        assertTrue(total.isClosed());
        assertFalse(a.grad().isClosed());
    }

    @Test void clipGradValueClampsEveryElement() {
        Tensor a = withGrad(Tensor.of(-3.0, 0.5, 2.0)), b = withGrad(Tensor.of(new double[]{10.0}));
        Clip.clipGradValue(List.of(a, b), 1.0);
        assertArrayEquals(new double[]{-1, 0.5, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[]{1}, b.grad().toDoubleArray());
    }
}
