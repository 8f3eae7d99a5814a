package dev.gpush.nn;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * nn.Dropout and F.dropout: the rate and the 1/(1-p) scaling measured on 100k elements from fixed seeds
 * (the zeroed fraction within 0.01 of p: a binomial std of ~0.0016), eval and p = 0 pass through, gradients
 * follow the mask, and invalid p is refused.
 */
class DropoutTest {
    private static final int N = 100_000;

    @Test void zeroesAboutPAndScalesTheRestByOneOverOneMinusP() {
        for (double p : new double[]{0.1, 0.5, 0.8}) {
            Tensor.manualSeed(11);
            Tensor y = F.dropout(Tensor.ones(N), p, true);
            double[] v = y.toDoubleArray();
            int zeros = 0;
            for (double e : v) {
                if (e == 0) zeros++;
                else assertEquals(1 / (1 - p), e, 1e-6, "a kept element is scaled");
            }
            assertEquals(p, zeros / (double) N, 0.01, "fraction zeroed for p=" + p);
            assertEquals(1, y.mean().item(), 0.05, "the mean is kept for p=" + p);
        }
    }

    @Test void theMaskIsReproducibleFromTheSeedAndDiffersBetweenCalls() {
        Tensor x = Tensor.ones(64);
        Tensor.manualSeed(3);
        Tensor a = F.dropout(x, 0.5, true), b = F.dropout(x, 0.5, true);
        Tensor.manualSeed(3);
        assertTrue(a.equal(F.dropout(x, 0.5, true)));
        assertFalse(a.equal(b));
    }

    @Test void evalModeAndZeroRateReturnTheInputItself() {
        Tensor x = Tensor.randn(5, 5);
        assertSame(x, F.dropout(x, 0.5, false));
        assertSame(x, F.dropout(x, 0.0, true));
        Dropout d = new Dropout(0.3);
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertNotSame(x, d.forward(x));
    }

    @Test void rateOneZeroesEverythingAndStillPassesAGradientOfZero() {
        Tensor x = Tensor.randn(4, 3).requiresGrad(true);
        Tensor y = F.dropout(x, 1.0, true);
        assertEquals(0, y.abs().sum().item());
        y.sum().backward();
        assertEquals(0, x.grad().abs().sum().item());
    }

    @Test void theGradientIsTheScaledMask() {
        Tensor.manualSeed(5);
        Tensor x = Tensor.ones(DType.FLOAT64, 1000).requiresGrad(true);
        Tensor y = F.dropout(x, 0.25, true);
        y.sum().backward();
        // with x = 1 the output is the scaled mask itself, which is also d sum(y) / dx
        assertArrayEquals(y.toDoubleArray(), x.grad().toDoubleArray(), 0);
    }

    @Test void halfInputsStayHalf() {
        Tensor.manualSeed(6);
        Tensor y = F.dropout(Tensor.ones(DType.BFLOAT16, 1000), 0.5, true);
        assertEquals(DType.BFLOAT16, y.dtype());
        assertEquals(1, y.to(DType.FLOAT32).mean().item(), 0.15);
    }

    @Test void aRateOutsideZeroToOneIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("between 0 and 1") && e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.dropout(Tensor.ones(3), -0.1, true));
        assertThrows(IllegalArgumentException.class, () -> F.dropout(Tensor.ones(3), Double.NaN, false));
    }

    @Test void printsLikePyTorch() {
        assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
        assertEquals("Dropout(p=0.1, inplace=False)", new Dropout(0.1).toString());
    }
}
