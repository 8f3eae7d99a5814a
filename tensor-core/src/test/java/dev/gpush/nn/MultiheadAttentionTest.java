package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link MultiheadAttention}: PyTorch's parameter names, shapes and initialisation, values against a per-head
 * reference written with plain products, both layouts, masks in MultiheadAttention's convention (true = not
 * allowed), the weights it returns, errors, and gradients against finite differences.
 */
class MultiheadAttentionTest {
    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    static void assertClose(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    /**
     * Every parameter's gradient of {@code loss} (a scalar) matches central finite differences, perturbing the
     * parameter's elements in place; the module should be float64 and deterministic (eval or no dropout).
     */
    static void assertParameterGradientsMatchFiniteDifferences(Module m, Supplier<Tensor> loss) {
        m.zeroGrad();
        loss.get().backward();
        for (var e : m.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            double[] analytic = p.grad().toDoubleArray();
            double eps = 1e-6;
            for (int i = 0; i < p.numel(); i++) {
                double plus, minus;
                try (var off = Autograd.noGrad()) {
                    Tensor flat = p.view(-1).narrow(0, i, 1);
                    flat.add_(eps);
                    plus = loss.get().item();
                    flat.sub_(2 * eps);
                    minus = loss.get().item();
                    flat.add_(eps);
                }
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, analytic[i], 1e-5 + 1e-3 * Math.abs(numeric), e.getKey() + " element " + i);
            }
        }
    }

    /** A float64 module with random biases (PyTorch starts them at zero), so the checks see them. */
    private static MultiheadAttention mha(int e, int h, boolean batchFirst) {
        Tensor.manualSeed(3);
        MultiheadAttention m = new MultiheadAttention(e, h, 0.0, true, batchFirst);
        m.to(DType.FLOAT64);
        try (var off = Autograd.noGrad()) {
            m.inProjBias.copy_(randn(11, 3 * e));
            m.outProj.bias.copy_(randn(12, e));
        }
        return m;
    }

    /**
     * Attention head by head for batch-first [N, L, E] inputs, from slices of the weights and plain products;
     * {@code blocked} [N][L][S] marks the pairs not allowed (or null). Returns the output [N, L, E] and the
     * per-head weights [N, H, L, S].
     */
    private static Tensor[] reference(MultiheadAttention m, Tensor q, Tensor k, Tensor v, boolean[][][] blocked) {
        int n = q.size(0), l = q.size(1), s = k.size(1), e = m.embedDim, h = m.numHeads, d = m.headDim;
        Tensor w = m.inProjWeight.detach(), b = m.inProjBias.detach();
        List<Tensor> outs = new ArrayList<>(), weights = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Tensor> heads = new ArrayList<>(), hw = new ArrayList<>();
            for (int j = 0; j < h; j++) {
                Tensor qh = q.get(i).matmul(w.narrow(0, j * d, d).t()).add(b.narrow(0, j * d, d));
                Tensor kh = k.get(i).matmul(w.narrow(0, e + j * d, d).t()).add(b.narrow(0, e + j * d, d));
                Tensor vh = v.get(i).matmul(w.narrow(0, 2 * e + j * d, d).t()).add(b.narrow(0, 2 * e + j * d, d));
                Tensor scores = qh.matmul(kh.t()).div(Math.sqrt(d));
                if (blocked != null) scores = scores.maskedFill(Tensor.of(blocked[i]), Double.NEGATIVE_INFINITY);
                Tensor a = scores.softmax(-1);
                hw.add(a);
                heads.add(a.matmul(vh));
            }
            outs.add(Tensor.cat(heads, 1).matmul(m.outProj.weight.detach().t()).add(m.outProj.bias.detach()));
            weights.add(Tensor.stack(hw, 0));
        }
        return new Tensor[]{Tensor.stack(outs, 0), Tensor.stack(weights, 0)};
    }

    // ---------------------------------------------------------------- parameters

    @Test void parametersHavePyTorchsNamesShapesAndOrder() {
        MultiheadAttention m = new MultiheadAttention(8, 2);
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(sd.keySet()));
        assertArrayEquals(new int[]{24, 8}, sd.get("in_proj_weight").shape());
        assertArrayEquals(new int[]{24}, sd.get("in_proj_bias").shape());
        assertArrayEquals(new int[]{8, 8}, sd.get("out_proj.weight").shape());
        assertEquals(24 * 8 + 24 + 64 + 8, m.numParameters());
        assertEquals(List.of("in_proj_weight", "out_proj.weight"),
                List.copyOf(new MultiheadAttention(8, 2, 0, false, false).stateDict().keySet()));
        assertEquals("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, "
                + "bias=True)\n)", m.toString());
    }

    @Test void initialisationIsPyTorchs() {
        int e = 64;
        MultiheadAttention m = new MultiheadAttention(e, 4);
        double xavier = Math.sqrt(6.0 / (e + 3 * e)), linear = 1 / Math.sqrt(e);
        double[] w = m.inProjWeight.toDoubleArray(), o = m.outProj.weight.toDoubleArray();
        double wmax = 0, omax = 0;
        for (double x : w) wmax = Math.max(wmax, Math.abs(x));
        for (double x : o) omax = Math.max(omax, Math.abs(x));
        assertTrue(wmax <= xavier && wmax > 0.99 * xavier, "xavier-uniform in_proj_weight, max |w| " + wmax);
        assertTrue(omax <= linear && omax > 0.98 * linear, "out_proj weight as Linear's, max |w| " + omax);
        assertClose(new double[3 * e], m.inProjBias, 0);
        assertClose(new double[e], m.outProj.bias, 0);
    }

    @Test void constructorErrorsNameTheDims() {
        var err = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertTrue(err.getMessage().contains("divisible") && err.getMessage().contains("10"), err.getMessage());
        err = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(0, 2));
        assertTrue(err.getMessage().contains("greater than 0"), err.getMessage());
    }

    // ---------------------------------------------------------------- values and shapes

    @Test void selfAttentionMatchesThePerHeadReferenceInBothLayouts() {
        MultiheadAttention first = mha(8, 2, true);
        Tensor x = randn(1, 3, 5, 8);
        Tensor[] ref = reference(first, x, x, x, null);
        var out = first.forward(x, x, x, null, true, null, false, false);
        assertArrayEquals(new int[]{3, 5, 8}, out.output().shape());
        assertClose(ref[0].toDoubleArray(), out.output(), 1e-12);
        assertArrayEquals(new int[]{3, 2, 5, 5}, out.weights().shape());
        assertClose(ref[1].toDoubleArray(), out.weights(), 1e-12);

        MultiheadAttention seq = mha(8, 2, false);   // same seed, same weights
        Tensor xt = x.transpose(0, 1).contiguous();
        var o2 = seq.forward(xt, xt, xt);
        assertArrayEquals(new int[]{5, 3, 8}, o2.output().shape());
        assertClose(ref[0].transpose(0, 1).contiguous().toDoubleArray(), o2.output(), 1e-12);
        assertArrayEquals(new int[]{3, 5, 5}, o2.weights().shape());
    }

    @Test void crossAttentionWithDistinctKeyAndValueMatchesTheReference() {
        MultiheadAttention m = mha(6, 3, false);
        Tensor q = randn(1, 4, 2, 6), k = randn(2, 7, 2, 6), v = randn(3, 7, 2, 6);
        Tensor[] ref = reference(m, q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), null);
        var out = m.forward(q, k, v);
        assertArrayEquals(new int[]{4, 2, 6}, out.output().shape());
        assertClose(ref[0].transpose(0, 1).contiguous().toDoubleArray(), out.output(), 1e-12);
        assertArrayEquals(new int[]{2, 4, 7}, out.weights().shape());
        // key == value (encoder-decoder attention) takes the packed key-value path
        Tensor[] ref2 = reference(m, q.transpose(0, 1), k.transpose(0, 1), k.transpose(0, 1), null);
        assertClose(ref2[0].transpose(0, 1).contiguous().toDoubleArray(), m.forward(q, k, k).output(), 1e-12);
    }

    @Test void unbatchedInputsGiveUnbatchedOutputs() {
        MultiheadAttention m = mha(8, 2, true);
        Tensor x = randn(1, 5, 8);
        var out = m.forward(x, x, x);
        assertArrayEquals(new int[]{5, 8}, out.output().shape());
        assertArrayEquals(new int[]{5, 5}, out.weights().shape());
        assertClose(m.forward(x.unsqueeze(0), x.unsqueeze(0), x.unsqueeze(0)).output().toDoubleArray(), out.output(), 0);
    }

    @Test void weightsAverageOverHeadsAndRowsSumToOne() {
        MultiheadAttention m = mha(8, 4, true);
        Tensor x = randn(1, 2, 5, 8);
        Tensor perHead = m.forward(x, x, x, null, true, null, false, false).weights();
        var avg = m.forward(x, x, x);
        assertArrayEquals(new int[]{2, 5, 5}, avg.weights().shape());
        assertClose(perHead.mean(1).toDoubleArray(), avg.weights(), 1e-15);
        assertClose(new double[10], avg.weights().sum(-1).sub(1), 1e-12);
        var none = m.forward(x, x, x, null, false, null);
        assertNull(none.weights());
        assertClose(avg.output().toDoubleArray(), none.output(), 1e-12);
    }

    // ---------------------------------------------------------------- masks

    @Test void keyPaddingMaskExcludesThePaddedPositions() {
        MultiheadAttention m = mha(8, 2, true);
        Tensor x = randn(1, 2, 5, 8);
        Tensor padding = Tensor.of(new boolean[][]{{false, false, false, true, true}, {false, false, false, false, false}});
        var out = m.forward(x, x, x, padding);
        boolean[][][] blocked = new boolean[2][5][5];
        for (int i = 0; i < 5; i++) blocked[0][i][3] = blocked[0][i][4] = true;
        Tensor[] ref = reference(m, x, x, x, blocked);
        assertClose(ref[0].toDoubleArray(), out.output(), 1e-12);
        assertClose(new double[10], out.weights().get(0).narrow(1, 3, 2), 0);
        // changing a padded token's embedding (as key and value) leaves every other output unchanged
        Tensor y = x.clone();
        y.get(0).get(4).fill_(7);
        Tensor changed = m.forward(x, y, y, padding).output();
        assertClose(out.output().toDoubleArray(), changed, 1e-12);
        // a float padding mask is added
        Tensor additive = Tensor.where(padding, Double.NEGATIVE_INFINITY, Tensor.zeros(DType.FLOAT64, 2, 5));
        assertClose(out.output().toDoubleArray(), m.forward(x, x, x, additive).output(), 1e-12);
    }

    @Test void boolAttnMaskTrueMeansNotAllowed() {
        MultiheadAttention m = mha(8, 2, true);
        Tensor x = randn(1, 2, 4, 8);
        boolean[][] upper = new boolean[4][4];
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) upper[i][j] = true;
        Tensor mask = Tensor.of(upper);
        var out = m.forward(x, x, x, null, true, mask);
        assertClose(reference(m, x, x, x, new boolean[][][]{upper, upper})[0].toDoubleArray(), out.output(), 1e-12);
        Tensor additive = Tensor.where(mask, Double.NEGATIVE_INFINITY, Tensor.zeros(DType.FLOAT64, 4, 4));
        assertClose(out.output().toDoubleArray(), m.forward(x, x, x, null, true, additive).output(), 1e-12);
        // a 3-D mask gives each (batch, head) its own; the same mask repeated equals the 2-D one
        Tensor perHead = mask.unsqueeze(0).expand(4, 4, 4).contiguous();
        assertClose(out.output().toDoubleArray(), m.forward(x, x, x, null, true, perHead).output(), 1e-12);
    }

    @Test void aCausalMaskKeepsEarlierOutputsFromLaterTokens() {
        MultiheadAttention m = mha(8, 2, false);
        Tensor x = randn(1, 5, 2, 8);   // [L, N, E]
        Tensor causal = TransformerEncoder.generateSquareSubsequentMask(5, DType.FLOAT64);
        Tensor before = m.forward(x, x, x, null, false, causal).output();
        Tensor y = x.clone();
        y.get(4).fill_(3);
        Tensor after = m.forward(y, y, y, null, false, causal).output();
        assertClose(before.narrow(0, 0, 4).toDoubleArray(), after.narrow(0, 0, 4), 1e-12);
        // the isCausal hint gives the same, and is refused without the mask, as in PyTorch
        assertClose(before.toDoubleArray(), m.forward(x, x, x, null, false, causal, true, true).output(), 1e-12);
        assertClose(before.toDoubleArray(), m.forward(x, x, x, null, true, causal, true, true).output(), 1e-12);
        var err = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, null, false, null, true, true));
        assertTrue(err.getMessage().contains("attnMask"), err.getMessage());
    }

    @Test void aFullyMaskedQueryGivesNaNWithWeightsAndTheBiasWithout() {
        // PyTorch: needWeights runs a plain softmax (NaN); otherwise SDPA, whose safe softmax gives zero weights
        MultiheadAttention m = mha(4, 2, true);
        Tensor x = randn(1, 1, 3, 4);
        Tensor mask = Tensor.of(new boolean[][]{{false, true, true}, {true, true, true}, {false, false, false}});
        var with = m.forward(x, x, x, null, true, mask);
        assertTrue(Double.isNaN(with.output().get(0).get(1).toDoubleArray()[0]));
        assertTrue(Double.isNaN(with.weights().get(0).get(1).toDoubleArray()[0]));
        Tensor without = m.forward(x, x, x, null, false, mask).output();
        assertClose(m.outProj.bias.toDoubleArray(), without.get(0).get(1), 1e-15);
        assertClose(with.output().get(0).get(0).toDoubleArray(), without.get(0).get(0), 1e-12);
    }

    @Test void shapeErrorsNameTheShapes() {
        MultiheadAttention m = new MultiheadAttention(8, 2, 0, true, true);
        Tensor x = Tensor.randn(2, 5, 8);
        var err = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.randn(2, 5, 6), x, x));
        assertTrue(err.getMessage().contains("8") && err.getMessage().contains("[2, 5, 6]"), err.getMessage());
        err = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, Tensor.ones(DType.BOOL, 5, 2)));
        assertTrue(err.getMessage().contains("[2, 5]") && err.getMessage().contains("[5, 2]"), err.getMessage());
        err = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, null, true, Tensor.ones(DType.BOOL, 5, 4)));
        assertTrue(err.getMessage().contains("[5, 4]") && err.getMessage().contains("[5, 5]"), err.getMessage());
        err = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, null, true, Tensor.ones(DType.BOOL, 3, 5, 5)));
        assertTrue(err.getMessage().contains("[4, 5, 5]"), err.getMessage());
        err = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, null, true, Tensor.ones(DType.INT64, 5, 5)));
        assertTrue(err.getMessage().contains("bool and floating"), err.getMessage());
        err = assertThrows(IllegalArgumentException.class, () -> m.forward(x, Tensor.randn(3, 5, 8), Tensor.randn(3, 5, 8)));
        assertTrue(err.getMessage().contains("batch"), err.getMessage());
    }

    // ---------------------------------------------------------------- dropout and gradients

    @Test void dropoutActsInTrainingOnlyAndEvalIsDeterministic() {
        MultiheadAttention m = mha(8, 2, true);
        Tensor x = randn(1, 2, 6, 8);
        Tensor plain = m.forward(x, x, x).output();
        MultiheadAttention d = new MultiheadAttention(8, 2, 0.5, true, true);
        d.to(DType.FLOAT64);
        d.loadStateDict(m.stateDict());
        assertFalse(d.forward(x, x, x).output().allclose(plain, 1e-9, 1e-9), "training mode drops weights");
        d.eval();
        assertClose(plain.toDoubleArray(), d.forward(x, x, x).output(), 1e-12);
        assertClose(plain.toDoubleArray(), d.forward(x, x, x, null, false, null).output(), 1e-12);
    }

    @Test void inputGradientsMatchFiniteDifferences() {
        MultiheadAttention m = mha(4, 2, false);
        Tensor q = randn(1, 3, 2, 4).requiresGrad(true), kv = randn(2, 4, 2, 4).requiresGrad(true);
        Tensor padding = Tensor.of(new boolean[][]{{false, false, true, false}, {false, false, false, false}});
        assertTrue(Autograd.gradcheck(xs -> m.forward(xs.get(0), xs.get(0), xs.get(0)).output(), List.of(q)));
        assertTrue(Autograd.gradcheck(xs -> m.forward(xs.get(0), xs.get(1), xs.get(1), padding, false, null).output(),
                q, kv));
    }

    @Test void parameterGradientsMatchFiniteDifferences() {
        MultiheadAttention m = mha(4, 2, true);
        Tensor x = randn(1, 2, 3, 4), w = randn(2, 2, 3, 4);
        Tensor causal = TransformerEncoder.generateSquareSubsequentMask(3, DType.FLOAT64);
        assertParameterGradientsMatchFiniteDifferences(m, () -> m.forward(x, x, x, null, false, causal).output().mul(w).sum());
        assertParameterGradientsMatchFiniteDifferences(m, () -> {
            var o = m.forward(x, x, x);
            return o.output().mul(w).sum().add(o.weights().pow(2).sum());
        });
    }
}
