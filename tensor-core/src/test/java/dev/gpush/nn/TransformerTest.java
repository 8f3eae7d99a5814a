package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gpush.nn.MultiheadAttentionTest.assertClose;
import static dev.gpush.nn.MultiheadAttentionTest.assertParameterGradientsMatchFiniteDifferences;
import static dev.gpush.nn.MultiheadAttentionTest.randn;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TransformerEncoderLayer} and {@link TransformerEncoder}: PyTorch's state dict keys, parameter count and
 * printed tree, the post-norm and pre-norm block structure, deep copies, masks seen through the whole stack,
 * dropout in training only, and gradients against finite differences.
 */
class TransformerTest {
    /** A float64 layer in eval mode with non-trivial norm parameters. */
    private static TransformerEncoderLayer layer(boolean normFirst, String activation, boolean batchFirst) {
        Tensor.manualSeed(5);
        var l = new TransformerEncoderLayer(4, 2, 6, 0.1, activation, 1e-5, batchFirst, normFirst, true);
        l.to(DType.FLOAT64).eval();
        try (var off = Autograd.noGrad()) {
            l.norm1.weight.copy_(randn(21, 4).mul(0.5).add(1));
            l.norm2.bias.copy_(randn(22, 4));
            l.selfAttn.inProjBias.copy_(randn(23, 12).mul(0.1));
        }
        return l;
    }

    // ---------------------------------------------------------------- structure

    @Test void stateDictKeysAndParameterCountAreThoseOfPyTorchsModel() {
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(256, 8), 6);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++)
            for (String k : List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                    "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                    "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"))
                expected.add("layers." + i + "." + k);
        assertEquals(expected, List.copyOf(encoder.stateDict().keySet()));
        long e = 256, f = 2048;
        long perLayer = 3 * e * e + 3 * e + e * e + e + e * f + f + f * e + e + 4 * e;
        assertEquals(1_315_072, perLayer);
        assertEquals(6 * perLayer, encoder.numParameters());
        assertArrayEquals(new int[]{2048, 256}, encoder.stateDict().get("layers.5.linear1.weight").shape());
    }

    @Test void printsAsPyTorchsModuleTree() {
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, 8, 0.1), 2, new LayerNorm(4));
        String layer = """
                TransformerEncoderLayer(
                  (self_attn): MultiheadAttention(
                    (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)
                  )
                  (linear1): Linear(in_features=4, out_features=8, bias=True)
                  (dropout): Dropout(p=0.1, inplace=False)
                  (linear2): Linear(in_features=8, out_features=4, bias=True)
                  (norm1): LayerNorm((4,), eps=1e-05, elementwise_affine=True)
                  (norm2): LayerNorm((4,), eps=1e-05, elementwise_affine=True)
                  (dropout1): Dropout(p=0.1, inplace=False)
                  (dropout2): Dropout(p=0.1, inplace=False)
                )""";
        assertEquals(layer, encoder.layers.get(0).toString());
        assertEquals("TransformerEncoder(\n  (layers): ModuleList(\n    (0-1): 2 x " + layer.replace("\n", "\n    ")
                + "\n  )\n  (norm): LayerNorm((4,), eps=1e-05, elementwise_affine=True)\n)", encoder.toString());
        assertTrue(encoder.stateDict().containsKey("norm.weight"));
    }

    @Test void layersAreDeepCopiesWithTheirOwnParameters() {
        var proto = new TransformerEncoderLayer(4, 2, 8, 0.0);
        var encoder = new TransformerEncoder(proto, 3);
        for (int i = 0; i < 3; i++) {
            TransformerEncoderLayer l = encoder.layers.get(i);
            assertNotSame(proto, l);
            assertNotSame(proto.linear1.weight, l.linear1.weight);
            assertTrue(l.linear1.weight.requiresGrad() && l.linear1.weight.isLeaf());
            assertTrue(proto.linear1.weight.equal(l.linear1.weight), "starts from the prototype's values");
            assertTrue(proto.selfAttn.inProjWeight.equal(l.selfAttn.inProjWeight));
        }
        TransformerEncoderLayer first = encoder.layers.get(0), second = encoder.layers.get(1);
        try (var off = Autograd.noGrad()) {
            second.linear1.weight.fill_(3);
        }
        assertEquals(3.0, second.linear1.weight.min().item());
        assertTrue(proto.linear1.weight.equal(first.linear1.weight), "storage is not shared");
        assertTrue(proto.linear1.weight.max().item() < 1);
        assertEquals(3 * proto.numParameters(), encoder.numParameters());
    }

    @Test void copiesKeepTheDtypeAndModeOfThePrototype() {
        var proto = new TransformerEncoderLayer(4, 2, 8, 0.1);
        proto.to(DType.FLOAT64).eval();
        TransformerEncoderLayer c = proto.copy();
        assertEquals(DType.FLOAT64, c.selfAttn.outProj.weight.dtype());
        assertFalse(c.isTraining() || c.dropout1.isTraining() || c.selfAttn.isTraining());
        Tensor x = randn(1, 3, 2, 4);
        assertClose(proto.forward(x).toDoubleArray(), c.forward(x), 0);
    }

    @Test void copiedParametersOutliveTheScopeTheyWereMadeIn() {
        TransformerEncoder encoder;
        try (var scope = dev.gpush.tensor.Scope.open()) {
            encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, 8, 0.0), 2);
        }
        Tensor x = Tensor.randn(3, 2, 4);
        encoder.forward(x).sum().backward();
        for (Tensor p : encoder.parameters()) assertNotNull(p.grad());
    }

    @Test void unknownActivationIsRefused() {
        var err = assertThrows(IllegalArgumentException.class,
                () -> new TransformerEncoderLayer(4, 2, 8, 0.1, "tanh", 1e-5, false, false, true));
        assertTrue(err.getMessage().contains("relu/gelu") && err.getMessage().contains("tanh"), err.getMessage());
    }

    // ---------------------------------------------------------------- the blocks

    @Test void postNormLayerIsNormOfResidualThenFeedForward() {
        for (String act : List.of("relu", "gelu")) {
            var l = layer(false, act, false);
            Tensor x = randn(1, 3, 2, 4);
            Tensor sa = l.selfAttn.forward(x, x, x, null, false, null).output();
            Tensor h = F.layerNorm(x.add(sa), new int[]{4}, l.norm1.weight, l.norm1.bias, 1e-5);
            Tensor hidden = F.linear(h, l.linear1.weight, l.linear1.bias);
            hidden = act.equals("relu") ? hidden.relu() : hidden.gelu();
            Tensor ff = F.linear(hidden, l.linear2.weight, l.linear2.bias);
            Tensor expected = F.layerNorm(h.add(ff), new int[]{4}, l.norm2.weight, l.norm2.bias, 1e-5);
            assertClose(expected.toDoubleArray(), l.forward(x), 1e-12);
        }
    }

    @Test void preNormLayerAddsTheBlocksToTheResidualStream() {
        var l = layer(true, "relu", true);
        Tensor x = randn(1, 2, 3, 4);
        Tensor n1 = F.layerNorm(x, new int[]{4}, l.norm1.weight, l.norm1.bias, 1e-5);
        Tensor h = x.add(l.selfAttn.forward(n1, n1, n1, null, false, null).output());
        Tensor n2 = F.layerNorm(h, new int[]{4}, l.norm2.weight, l.norm2.bias, 1e-5);
        Tensor expected = h.add(F.linear(F.linear(n2, l.linear1.weight, l.linear1.bias).relu(), l.linear2.weight, l.linear2.bias));
        assertClose(expected.toDoubleArray(), l.forward(x), 1e-12);
    }

    @Test void shapesFollowBatchFirst() {
        Tensor seq = Tensor.randn(7, 3, 8), batch = Tensor.randn(3, 7, 8);
        assertArrayEquals(new int[]{7, 3, 8}, new TransformerEncoder(new TransformerEncoderLayer(8, 2, 16, 0.1), 2).forward(seq).shape());
        var bf = new TransformerEncoderLayer(8, 2, 16, 0.1, "gelu", 1e-5, true, true, true);
        assertArrayEquals(new int[]{3, 7, 8}, new TransformerEncoder(bf, 2).forward(batch).shape());
        assertArrayEquals(new int[]{7, 8}, bf.forward(Tensor.randn(7, 8)).shape());
        var err = assertThrows(IllegalArgumentException.class, () -> bf.forward(Tensor.randn(3, 7, 6)));
        assertTrue(err.getMessage().contains("[3, 7, 6]"), err.getMessage());
    }

    // ---------------------------------------------------------------- masks through the stack

    @Test void paddedTokensLeaveTheOtherOutputsUnchanged() {
        var encoder = new TransformerEncoder(layer(false, "relu", true), 2);
        encoder.eval();
        Tensor x = randn(1, 2, 5, 4);
        Tensor padding = Tensor.of(new boolean[][]{{false, false, false, true, true}, {false, false, false, false, true}});
        Tensor before = encoder.forward(x, null, padding);
        Tensor y = x.clone();
        y.get(0).get(3).fill_(5);
        y.get(1).get(4).fill_(-5);
        Tensor after = encoder.forward(y, null, padding);
        assertClose(before.get(0).narrow(0, 0, 3).toDoubleArray(), after.get(0).narrow(0, 0, 3), 1e-12);
        assertClose(before.get(1).narrow(0, 0, 4).toDoubleArray(), after.get(1).narrow(0, 0, 4), 1e-12);
        Tensor unmasked = encoder.forward(y);
        assertFalse(unmasked.get(0).narrow(0, 0, 3).allclose(before.get(0).narrow(0, 0, 3), 1e-6, 1e-6),
                "without the mask the changed token is seen");
    }

    @Test void aCausalMaskKeepsEarlierOutputsFromLaterTokens() {
        var encoder = new TransformerEncoder(layer(true, "gelu", false), 2);
        Tensor x = randn(1, 6, 2, 4);
        Tensor mask = TransformerEncoder.generateSquareSubsequentMask(6, DType.FLOAT64);
        Tensor before = encoder.forward(x, mask, null);
        Tensor y = x.clone();
        y.get(5).fill_(4);
        y.get(4).fill_(-4);
        Tensor after = encoder.forward(y, mask, null);
        assertClose(before.narrow(0, 0, 4).toDoubleArray(), after.narrow(0, 0, 4), 1e-12);
        // detected as causal, told it is, told it isn't, or given as bool: all the same
        assertClose(before.toDoubleArray(), encoder.forward(x, mask, null, false), 1e-12);
        assertClose(before.toDoubleArray(), encoder.forward(x, mask, null, true), 1e-12);
        Tensor bool = Tensor.ones(DType.BOOL, 6, 6).triu(1);
        assertClose(before.toDoubleArray(), encoder.forward(x, bool, null), 1e-12);
        assertTrue(TransformerEncoder.isCausalMask(mask) && TransformerEncoder.isCausalMask(bool));
        assertFalse(TransformerEncoder.isCausalMask(bool.logicalNot()) || TransformerEncoder.isCausalMask(mask.narrow(0, 0, 5)));
        assertEquals(0.0, mask.get(2).get(2).item());
        assertEquals(Double.NEGATIVE_INFINITY, mask.get(2).get(3).item());
        assertEquals(DType.FLOAT32, TransformerEncoder.generateSquareSubsequentMask(3).dtype());
    }

    // ---------------------------------------------------------------- dropout and gradients

    @Test void evalDisablesDropout() {
        Tensor.manualSeed(9);
        var drop = new TransformerEncoderLayer(8, 2, 16, 0.5);
        var none = new TransformerEncoderLayer(8, 2, 16, 0.0);
        none.loadStateDict(drop.stateDict());
        Tensor x = Tensor.randn(4, 2, 8);
        Tensor a = drop.forward(x), b = drop.forward(x);
        assertFalse(a.allclose(b, 1e-6, 1e-6), "training mode drops at random");
        drop.eval();
        assertClose(none.forward(x).toDoubleArray(), drop.forward(x), 1e-6);
        assertClose(drop.forward(x).toDoubleArray(), drop.forward(x), 0);
    }

    @Test void layerGradientsMatchFiniteDifferences() {
        for (boolean normFirst : new boolean[]{false, true}) {
            var l = layer(normFirst, "gelu", false);
            Tensor x = randn(1, 3, 2, 4).requiresGrad(true);
            Tensor padding = Tensor.of(new boolean[][]{{false, false, true}, {false, false, false}});
            assertTrue(Autograd.gradcheck(xs -> l.forward(xs.get(0), null, padding), List.of(x)));
            Tensor w = randn(2, 3, 2, 4), mask = TransformerEncoder.generateSquareSubsequentMask(3, DType.FLOAT64);
            assertParameterGradientsMatchFiniteDifferences(l, () -> l.forward(x.detach(), mask, null).mul(w).sum());
        }
    }

    @Test void encoderGradientsMatchFiniteDifferences() {
        var encoder = new TransformerEncoder(layer(false, "relu", true), 2, new LayerNorm(4));
        encoder.to(DType.FLOAT64).eval();
        Tensor x = randn(1, 2, 3, 4).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> encoder.forward(xs.get(0)), List.of(x)));
    }
}
