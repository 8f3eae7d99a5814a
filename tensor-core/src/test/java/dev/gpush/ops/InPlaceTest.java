package dev.gpush.ops;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gpush.tensor.Tensor.*;
import static org.junit.jupiter.api.Assertions.*;

class InPlaceTest {
    @Test void inPlaceOpsWriteThroughViewsAndBumpTheVersion() {
        Tensor a = zeros(2, 3);
        Tensor row = a.get(1);
        int v0 = a.storage().version();
        row.add_(Tensor.of(1f, 2f, 3f));
        row.mul_(2);
        assertArrayEquals(new float[]{0, 0, 0, 2, 4, 6}, a.toFloatArray());
        assertEquals(v0 + 2, a.storage().version());
    }

    @Test void inPlaceBroadcastsTheOtherOperandButNeverGrowsSelf() {
        Tensor a = ones(2, 3);
        a.sub_(Tensor.of(1f, 0f, 1f));
        assertArrayEquals(new float[]{0, 1, 0, 0, 1, 0}, a.toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> ones(3).add_(ones(2, 3)));
        assertTrue(e.getMessage().contains("doesn't match the broadcast shape [2, 3]"), e.getMessage());
    }

    @Test void inPlaceRefusesToTurnIntegersIntoFloats() {
        var e = assertThrows(IllegalArgumentException.class, () -> arange(3).mul_(0.5));
        assertTrue(e.getMessage().contains("result type float32 can't be cast to the desired output type int64"),
                e.getMessage());
        Tensor f = ones(2);
        f.add_(arange(2));                       // an int64 operand into float32 is fine
        assertArrayEquals(new float[]{1, 2}, f.toFloatArray());
    }

    @Test void zeroFillAndCopy() {
        Tensor a = randn(2, 2);
        assertEquals(0, a.zero_().abs().sum().item());
        assertArrayEquals(new float[]{7, 7, 7, 7}, a.fill_(7).toFloatArray());
        Tensor t = zeros(3, 2).t();             // non-contiguous destination
        t.copy_(Tensor.of(new long[][]{{1, 2, 3}, {4, 5, 6}}));
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, t.contiguous().t().contiguous().toFloatArray());
        Tensor r = zeros(2, 3);
        r.copy_(Tensor.of(1f, 2f, 3f));        // broadcast source
        assertArrayEquals(new float[]{1, 2, 3, 1, 2, 3}, r.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> zeros(3).copy_(ones(4)));
    }

    @Test void copyIntoAnIntermediateCarriesTheGradientToTheSource() {
        Tensor src = randn(new int[]{3}, DType.FLOAT64, dev.gpush.tensor.Device.CPU).requiresGrad(true);
        Tensor h = zeros(DType.FLOAT64, 3).mul(1);
        h.copy_(src);
        h.mul(Tensor.of(1.0, 2.0, 3.0)).sum().backward();
        assertArrayEquals(new double[]{1, 2, 3}, src.grad().toDoubleArray());
    }

    @Test void fillOfATensorThatRequiresGradNeedsNoGrad() {
        Tensor w = ones(3).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> w.fill_(0));
        try (var ng = Autograd.noGrad()) {
            w.fill_(0);
        }
        assertEquals(0, w.sum().item());
    }
}
