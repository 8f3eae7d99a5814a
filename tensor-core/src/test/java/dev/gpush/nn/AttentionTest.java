package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code F.scaledDotProductAttention}: values against a loop written from the formula, masks (bool = take part,
 * float = added, causal), PyTorch's zeros on fully masked rows, dropout, errors, and gradients against finite
 * differences.
 */
class AttentionTest {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    /**
     * The formula in loops over [B, L, E], [B, S, E], [B, S, Ev] and an additive [L, S] bias (or null):
     * softmax(q kᵀ · scale + bias) v.
     */
    private static double[] reference(Tensor q, Tensor k, Tensor v, double[] bias, double scale) {
        int b = q.size(0), l = q.size(1), e = q.size(2), s = k.size(1), ev = v.size(2);
        double[] qa = q.toDoubleArray(), ka = k.toDoubleArray(), va = v.toDoubleArray(), out = new double[b * l * ev];
        for (int n = 0; n < b; n++)
            for (int i = 0; i < l; i++) {
                double[] w = new double[s];
                double max = NEG_INF, sum = 0;
                for (int j = 0; j < s; j++) {
                    double dot = 0;
                    for (int c = 0; c < e; c++) dot += qa[(n * l + i) * e + c] * ka[(n * s + j) * e + c];
                    w[j] = dot * scale + (bias == null ? 0 : bias[i * s + j]);
                    max = Math.max(max, w[j]);
                }
                for (int j = 0; j < s; j++) sum += w[j] = Math.exp(w[j] - max);
                for (int j = 0; j < s; j++)
                    for (int c = 0; c < ev; c++) out[(n * l + i) * ev + c] += w[j] / sum * va[(n * s + j) * ev + c];
            }
        return out;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    // ---------------------------------------------------------------- values

    @Test void oneQueryWeighsTheValuesBySoftmaxOfTheScores() {
        // E = 1, so the scale is 1: scores [0, 2], weights [1, e^2] / (1 + e^2), values the identity
        Tensor q = Tensor.of(new double[][]{{1}}), k = Tensor.of(new double[][]{{0}, {2}});
        Tensor v = Tensor.of(new double[][]{{1, 0}, {0, 1}});
        double w = Math.exp(2) / (1 + Math.exp(2));
        assertClose(new double[]{1 - w, w}, F.scaledDotProductAttention(q, k, v), 1e-15);
    }

    @Test void matchesTheFormulaWithTheDefaultScaleAndAValueWidthOtherThanE() {
        Tensor q = randn(1, 2, 3, 4), k = randn(2, 2, 5, 4), v = randn(3, 2, 5, 6);
        Tensor out = F.scaledDotProductAttention(q, k, v);
        assertArrayEquals(new int[]{2, 3, 6}, out.shape());
        assertClose(reference(q, k, v, null, 0.5), out, 1e-12);
    }

    @Test void anExplicitScaleReplacesOneOverSqrtE() {
        Tensor q = randn(1, 1, 3, 4), k = randn(2, 1, 3, 4), v = randn(3, 1, 3, 4);
        assertClose(reference(q, k, v, null, 0.3), F.scaledDotProductAttention(q, k, v, null, 0, false, 0.3), 1e-12);
    }

    @Test void batchDimsBroadcastBetweenQueryAndKeys() {
        Tensor q = randn(1, 2, 3, 4, 8), k = randn(2, 1, 3, 5, 8), v = randn(3, 1, 3, 5, 8);
        Tensor out = F.scaledDotProductAttention(q, k, v);
        assertArrayEquals(new int[]{2, 3, 4, 8}, out.shape());
        Tensor second = F.scaledDotProductAttention(q.get(1), k.get(0), v.get(0));
        assertClose(second.toDoubleArray(), out.get(1), 1e-12);
    }

    // ---------------------------------------------------------------- masks

    @Test void causalMaskingEqualsAnExplicitLowerTriangularMask() {
        for (int[] ls : new int[][]{{5, 5}, {3, 6}, {6, 3}}) {
            Tensor q = randn(1, 2, ls[0], 4), k = randn(2, 2, ls[1], 4), v = randn(3, 2, ls[1], 4);
            Tensor tril = Tensor.ones(new int[]{ls[0], ls[1]}, DType.BOOL, q.device()).tril();
            Tensor causal = F.scaledDotProductAttention(q, k, v, null, 0, true);
            Tensor explicit = F.scaledDotProductAttention(q, k, v, tril);
            assertClose(explicit.toDoubleArray(), causal, 0);
        }
    }

    @Test void causalQueriesIgnoreLaterKeys() {
        Tensor q = randn(1, 1, 4, 4), k = randn(2, 1, 4, 4), v = randn(3, 1, 4, 4);
        Tensor before = F.scaledDotProductAttention(q, k, v, null, 0, true);
        Tensor k2 = k.clone(), v2 = v.clone();
        k2.select(1, 3).fill_(10);
        v2.select(1, 3).fill_(-10);
        Tensor after = F.scaledDotProductAttention(q, k2, v2, null, 0, true);
        assertClose(before.narrow(1, 0, 3).toDoubleArray(), after.narrow(1, 0, 3), 0);
        assertNotEquals(before.select(1, 3).toDoubleArray()[0], after.select(1, 3).toDoubleArray()[0]);
    }

    @Test void boolMaskTrueMeansTakePartAndEqualsAMinusInfinityBias() {
        Tensor q = randn(1, 2, 3, 4), k = randn(2, 2, 4, 4), v = randn(3, 2, 4, 4);
        boolean[][] allow = {{true, false, true, true}, {false, true, true, false}, {true, true, true, true}};
        double[] bias = new double[12];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) bias[i * 4 + j] = allow[i][j] ? 0 : NEG_INF;
        Tensor out = F.scaledDotProductAttention(q, k, v, Tensor.of(allow));
        assertClose(reference(q, k, v, bias, 0.5), out, 1e-12);
        assertClose(out.toDoubleArray(), F.scaledDotProductAttention(q, k, v, Tensor.of(bias).view(3, 4)), 0);
    }

    @Test void floatMaskIsAddedToTheScores() {
        Tensor q = randn(1, 2, 3, 4), k = randn(2, 2, 4, 4), v = randn(3, 2, 4, 4);
        Tensor bias = randn(4, 3, 4);
        assertClose(reference(q, k, v, bias.toDoubleArray(), 0.5), F.scaledDotProductAttention(q, k, v, bias), 1e-12);
    }

    @Test void aFullyMaskedRowGivesZerosAndNoGradientAsPyTorch() {
        // PyTorch >= 2.5 runs SDPA's softmax as _safe_softmax: an all -inf row gets zero weights, not NaN
        Tensor q = randn(1, 3, 4).requiresGrad(true), k = randn(2, 4, 4), v = randn(3, 4, 4);
        Tensor allow = Tensor.of(new boolean[][]{{true, true, false, false}, {false, false, false, false},
                {true, true, true, true}});
        Tensor out = F.scaledDotProductAttention(q, k, v, allow);
        assertClose(new double[4], out.get(1), 0);
        for (double x : out.toDoubleArray()) assertTrue(Double.isFinite(x), "finite output");
        out.sum().backward();
        assertClose(new double[4], q.grad().get(1), 0);
        for (double x : q.grad().toDoubleArray()) assertTrue(Double.isFinite(x), "finite gradient");
        Tensor bias = Tensor.where(allow, 0.0, Tensor.fullLike(randn(0, 3, 4), NEG_INF));
        assertClose(new double[4], F.scaledDotProductAttention(q, k, v, bias).get(1), 0);
    }

    @Test void maskBroadcastsOverBatchAndHeads() {
        Tensor q = randn(1, 2, 3, 5, 4), k = randn(2, 2, 3, 6, 4), v = randn(3, 2, 3, 6, 4);
        Tensor padding = Tensor.of(new boolean[][]{{true, true, true, true, false, false},
                {true, true, true, true, true, true}}).view(2, 1, 1, 6);
        Tensor out = F.scaledDotProductAttention(q, k, v, padding);
        Tensor first = F.scaledDotProductAttention(q.get(0), k.get(0).narrow(1, 0, 4), v.get(0).narrow(1, 0, 4));
        assertClose(first.toDoubleArray(), out.get(0), 1e-12);
        assertClose(F.scaledDotProductAttention(q.get(1), k.get(1), v.get(1)).toDoubleArray(), out.get(1), 0);
    }

    // ---------------------------------------------------------------- dropout

    @Test void dropoutZeroesWeightsAndScalesTheRest() {
        Tensor q = randn(1, 1, 8, 4), k = randn(2, 1, 8, 4), eye = Tensor.eye(8).to(DType.FLOAT64).unsqueeze(0);
        double[] weights = F.scaledDotProductAttention(q, k, eye).toDoubleArray();   // v = I gives the weights
        Tensor.manualSeed(7);
        double[] dropped = F.scaledDotProductAttention(q, k, eye, null, 0.5, false).toDoubleArray();
        int zeros = 0;
        for (int i = 0; i < weights.length; i++) {
            if (dropped[i] == 0) zeros++;
            else assertEquals(2 * weights[i], dropped[i], 1e-12, "survivor " + i + " scaled by 1/(1-p)");
        }
        assertTrue(zeros > 10 && zeros < 54, "about half of 64 weights dropped, got " + zeros);
    }

    // ---------------------------------------------------------------- errors

    @Test void wrongShapesAndArgumentsAreNamed() {
        Tensor q = randn(1, 2, 3, 4), k = randn(2, 2, 5, 4), v = randn(3, 2, 5, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, randn(0, 2, 5, 3), v));
        assertTrue(e.getMessage().contains("[2, 3, 4]") && e.getMessage().contains("[2, 5, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, randn(0, 2, 4, 4)));
        assertTrue(e.getMessage().contains("sequence length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.scaledDotProductAttention(q, k, v, Tensor.ones(DType.BOOL, 3, 5), 0, true));
        assertTrue(e.getMessage().contains("isCausal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, Tensor.ones(DType.BOOL, 5, 3)));
        assertTrue(e.getMessage().contains("[5, 3]") && e.getMessage().contains("[2, 3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, Tensor.ones(DType.INT64, 3, 5)));
        assertTrue(e.getMessage().contains("INT64") || e.getMessage().contains("int64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k.float_(), v));
        assertTrue(e.getMessage().contains("same dtype"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, null, 1.5, false));
    }

    // ---------------------------------------------------------------- gradients

    @Test void gradientsMatchFiniteDifferences() {
        Tensor q = randn(1, 2, 3, 4).requiresGrad(true), k = randn(2, 2, 5, 4).requiresGrad(true);
        Tensor v = randn(3, 2, 5, 3).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> F.scaledDotProductAttention(xs.get(0), xs.get(1), xs.get(2)), q, k, v));
    }

    @Test void gradientsMatchFiniteDifferencesUnderCausalAndBoolMasks() {
        Tensor q = randn(1, 4, 4).requiresGrad(true), k = randn(2, 4, 4).requiresGrad(true);
        Tensor v = randn(3, 4, 2).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> F.scaledDotProductAttention(xs.get(0), xs.get(1), xs.get(2), null, 0, true),
                q, k, v));
        // the second row takes part nowhere: its output and gradient are zero on both sides of the check
        Tensor allow = Tensor.of(new boolean[][]{{true, false, true, true}, {false, false, false, false},
                {true, true, false, false}, {false, false, false, true}});
        assertTrue(Autograd.gradcheck(xs -> F.scaledDotProductAttention(xs.get(0), xs.get(1), xs.get(2), allow),
                q, k, v));
    }

    @Test void aFloatMaskGetsAGradientToo() {
        Tensor q = randn(1, 3, 4), k = randn(2, 5, 4), v = randn(3, 5, 2);
        Tensor bias = randn(4, 3, 5).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> F.scaledDotProductAttention(q, k, v, xs.get(0)), List.of(bias)));
    }

    @Test void secondDerivativesMatchFiniteDifferences() {
        Tensor q = randn(1, 3, 2).requiresGrad(true), k = randn(2, 3, 2), v = randn(3, 3, 2);
        Tensor allow = Tensor.of(new boolean[][]{{true, false, true}, {false, false, false}, {true, true, true}});
        assertTrue(Autograd.gradcheck(xs -> {
            Tensor x = xs.get(0).requiresGrad() ? xs.get(0) : xs.get(0).detach().requiresGrad(true);
            try (var on = Autograd.enableGrad()) {
                Tensor out = F.scaledDotProductAttention(x, k, v, allow);
                return Autograd.grad(out.mul(out).sum(), List.of(x), true).get(0);
            }
        }, q));
    }
}
