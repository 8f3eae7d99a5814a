package dev.gpush.autograd;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gpush.tensor.Tensor.*;
import static org.junit.jupiter.api.Assertions.*;

class AutogradTest {
    @Test void backwardOfAScalarFillsLeafGradients() {
        Tensor x = Tensor.of(2.0, 3.0).requiresGrad(true);
        Tensor y = x.mul(x).sum();          // d/dx = 2x
        y.backward();
        assertArrayEquals(new double[]{4, 6}, x.grad().toDoubleArray());
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
        assertEquals("sum", y.gradFn().name());
    }

    @Test void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertArrayEquals(new double[]{6, 6}, x.grad().toDoubleArray());
    }

    @Test void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.of(new double[]{3}).requiresGrad(true);
        Tensor y = x.mul(x).add(x);          // 2x + 1
        y.sum().backward();
        assertEquals(7, x.grad().item());
    }

    @Test void broadcastGradientsAreSummedBackToTheInputShape() {
        Tensor a = ones(3, 1).double_().requiresGrad(true);
        Tensor b = ones(4).double_().requiresGrad(true);
        a.add(b).sum().backward();
        assertArrayEquals(new int[]{3, 1}, a.grad().shape());
        assertArrayEquals(new double[]{4, 4, 4}, a.grad().toDoubleArray());
        assertArrayEquals(new double[]{3, 3, 3, 3}, b.grad().toDoubleArray());
    }

    @Test void backwardWithAnExplicitGradient() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor y = x.mul(2);
        y.backward(Tensor.of(1.0, 0.1, 0.01));
        assertArrayEquals(new double[]{2, 0.2, 0.02}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test void theGradientGivenToBackwardTakesTheOutputsDtype() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor y = x.mul(3);
        y.backward(Tensor.of(1.0, 1.0));   // float64 seed for a float32 output, as PyTorch accepts
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[]{3, 3}, x.grad().toFloatArray());
    }

    @Test void backwardOfANonScalarWithoutGradientSaysSo() {
        Tensor x = randn(3).requiresGrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward());
        assertTrue(e.getMessage().contains("grad can be implicitly created only for scalar outputs"), e.getMessage());
        assertTrue(e.getMessage().contains("[3]"));
    }

    @Test void backwardOnATensorWithoutGradSaysSo() {
        var e = assertThrows(IllegalStateException.class, () -> randn(3).sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"));
    }

    @Test void secondBackwardNeedsRetainGraph() {
        Tensor x = randn(3).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward();                       // allowed: the graph was retained
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        assertArrayEquals(x.exp().mul(2).toFloatArray(), x.grad().toFloatArray(), 1e-6f);
    }

    @Test void detachCutsTheGraphButSharesStorage() {
        Tensor x = randn(3).requiresGrad(true);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.storage(), d.storage());
        Tensor y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(x.detach().toFloatArray(), x.grad().toFloatArray());
    }

    @Test void noGradRecordsNothing() {
        Tensor x = randn(3).requiresGrad(true);
        Tensor y;
        try (var ng = Autograd.noGrad()) {
            y = x.mul(2);
            assertFalse(Autograd.isGradEnabled());
            try (var eg = Autograd.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
        }
        assertTrue(Autograd.isGradEnabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
    }

    @Test void gradReturnsGradientsWithoutTouchingLeaves() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor w = Tensor.of(3.0, 4.0).requiresGrad(true);
        Tensor y = x.mul(w).sum();
        List<Tensor> g = Autograd.grad(y, List.of(x));
        assertArrayEquals(new double[]{3, 4}, g.get(0).toDoubleArray());
        assertNull(x.grad());
        assertNull(w.grad());
    }

    @Test void gradOfAnIntermediateTensor() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor h = x.mul(2);
        Tensor y = h.mul(h).sum();
        assertArrayEquals(new double[]{4, 8}, Autograd.grad(y, List.of(h)).get(0).toDoubleArray());
    }

    @Test void unusedInputIsAnErrorUnlessAllowed() {
        Tensor x = randn(2).requiresGrad(true), z = randn(2).requiresGrad(true);
        Tensor y = x.sum();
        assertThrows(IllegalStateException.class, () -> Autograd.grad(List.of(y), List.of(z), null, true, false, false));
        assertNull(Autograd.grad(List.of(y), List.of(z), null, false, false, true).get(0));
    }

    @Test void secondDerivativesOfElementwiseOps() {
        Tensor x = Tensor.of(0.5, 1.5).requiresGrad(true);
        Tensor y = x.pow(3).sum();                          // y' = 3x^2, y'' = 6x
        Tensor dy = Autograd.grad(y, List.of(x), true).get(0);
        assertArrayEquals(new double[]{0.75, 6.75}, dy.toDoubleArray(), 1e-12);
        Tensor d2 = Autograd.grad(dy.sum(), List.of(x)).get(0);
        assertArrayEquals(new double[]{3, 9}, d2.toDoubleArray(), 1e-12);
        Tensor s = Tensor.of(new double[]{0.3}).requiresGrad(true);
        Tensor ds = Autograd.grad(s.tanh().sum(), List.of(s), true).get(0);   // 1 - tanh^2
        Tensor d2s = Autograd.grad(ds.sum(), List.of(s)).get(0);             // -2 tanh (1 - tanh^2)
        double t = Math.tanh(0.3);
        assertEquals(-2 * t * (1 - t * t), d2s.item(), 1e-12);
    }

    @Test void secondDerivativeOfMatmul() {
        Tensor a = randn(new int[]{2, 3}, DType.FLOAT64, dev.gpush.tensor.Device.CPU).requiresGrad(true);
        Tensor b = randn(new int[]{3, 2}, DType.FLOAT64, dev.gpush.tensor.Device.CPU).requiresGrad(true);
        // f = sum((a b)^2) has df/da = 2 (a b) b^T; differentiate sum(df/da) by b twice over:
        Tensor dfda = Autograd.grad(a.matmul(b).pow(2).sum(), List.of(a), true).get(0);
        Tensor viaDoubleBackward = Autograd.grad(dfda.sum(), List.of(b)).get(0);
        // ... and once through the closed form of df/da, itself checked by finite differences
        Tensor closedForm = a.matmul(b).matmul(b.t()).mul(2);
        assertTrue(closedForm.allclose(dfda.detach(), 1e-10, 1e-12));
        Tensor expected = Autograd.grad(closedForm.sum(), List.of(b)).get(0);
        assertTrue(viaDoubleBackward.allclose(expected, 1e-10, 1e-12));
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).matmul(xs.get(1)).matmul(xs.get(1).t()).mul(2).sum(), a, b));
    }

    @Test void hooksSeeAndReplaceGradients() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        List<Tensor> seen = new ArrayList<>();
        var handle = x.registerHook(g -> {
            seen.add(g);
            return g.mul(10);
        });
        x.mul(2).sum().backward();
        assertEquals(1, seen.size());
        assertArrayEquals(new double[]{2, 2}, seen.get(0).toDoubleArray());
        assertArrayEquals(new double[]{20, 20}, x.grad().toDoubleArray());
        handle.remove();
        x.setGrad(null);
        x.mul(2).sum().backward();
        assertArrayEquals(new double[]{2, 2}, x.grad().toDoubleArray());
    }

    @Test void hookOnAnIntermediateTensorAndRetainGrad() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor h = x.mul(3).retainGrad();
        h.registerHook(g -> g.mul(2));
        h.sum().backward();
        assertArrayEquals(new double[]{2, 2}, h.grad().toDoubleArray());
        assertArrayEquals(new double[]{6, 6}, x.grad().toDoubleArray());
    }

    @Test void inPlaceChangeOfASavedTensorIsDetected() {
        Tensor x = randn(3).requiresGrad(true);
        Tensor h = x.mul(2);
        Tensor y = h.mul(h);                // saves h
        h.add_(1);
        var e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
        assertTrue(e.getMessage().contains("is at version 1; expected version 0"), e.getMessage());
    }

    @Test void inPlaceOnALeafThatRequiresGradIsRefused() {
        Tensor x = randn(3).requiresGrad(true);
        var e = assertThrows(IllegalStateException.class, () -> x.add_(1));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
        try (var ng = Autograd.noGrad()) {
            x.add_(1);                      // what optimizers do
        }
    }

    @Test void inPlaceOpsOnIntermediatesKeepGradientsRight() {
        Tensor x = Tensor.of(1.0, -2.0, 3.0).requiresGrad(true);
        Tensor h = x.mul(2);
        h.relu_();
        h.mul_(x);                          // h = relu(2x) * x
        h.sum().backward();
        // d/dx relu(2x) x = 2*[x>0]*x + relu(2x) = 4x for x > 0, 0 otherwise
        assertArrayEquals(new double[]{4, 0, 12}, x.grad().toDoubleArray(), 1e-12);
        assertTrue(Autograd.gradcheck(xs -> {
            Tensor t = xs.get(0).mul(2);
            t.mul_(xs.get(1));
            t.add_(xs.get(1));
            return t.sum();
        }, randn(4).requiresGrad(true), randn(4).requiresGrad(true)));
    }

    @Test void requiresGradOnlyForFloatingPoint() {
        var e = assertThrows(IllegalArgumentException.class, () -> arange(3).requiresGrad(true));
        assertTrue(e.getMessage().contains("only floating point tensors can require gradients"));
    }

    @Test void gradcheckCatchesAWrongGradient() {
        // an op whose recorded gradient is deliberately wrong must be reported
        AssertionError e = assertThrows(AssertionError.class, () -> Autograd.gradcheck(xs -> {
            Tensor x = xs.get(0);
            Tensor out = x.detach().mul(x.detach());
            return Graph.record("bad_square", out, x, g -> g.mul(x)).sum(); // should be 2x
        }, randn(3).requiresGrad(true)));
        assertTrue(e.getMessage().contains("Jacobian mismatch"));
    }

    @Test void longChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(new double[]{1}).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = y.mul(1.0);
        y.sum().backward();
        assertEquals(1, x.grad().item());
    }
}
