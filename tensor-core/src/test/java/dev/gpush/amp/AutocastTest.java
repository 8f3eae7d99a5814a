package dev.gpush.amp;

import dev.gpush.nn.F;
import dev.gpush.nn.LayerNorm;
import dev.gpush.nn.Linear;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Autocast's op lists: which ops run in the low-precision dtype and which in float32, what is never cast, how
 * blocks nest, and that gradients reach float32 parameters through the casts.
 */
class AutocastTest {
    private static final DType BF16 = DType.BFLOAT16, F16 = DType.FLOAT16, F32 = DType.FLOAT32;

    private static Tensor randn(int... shape) { return Tensor.randn(shape); }

    @Test void matrixProductsAndLinearRunInTheLowPrecisionDtype() {
        Tensor.manualSeed(0);
        Tensor a = randn(4, 5), b = randn(5, 3), v = randn(5), w = randn(3, 5), bias = randn(3);
        try (var ac = Autocast.enable(BF16)) {
            assertEquals(BF16, a.matmul(b).dtype(), "matmul");
            assertEquals(BF16, a.mm(b).dtype(), "mm");
            assertEquals(BF16, a.unsqueeze(0).bmm(b.unsqueeze(0)).dtype(), "bmm");
            assertEquals(BF16, a.mv(v).dtype(), "mv");
            assertEquals(BF16, F.linear(a, w, bias).dtype(), "linear with bias");
            assertEquals(BF16, F.linear(randn(2, 4, 5), w).dtype(), "linear over leading dims");
            assertEquals(BF16, new Linear(5, 3).forward(a).dtype(), "Linear module");
        }
        try (var ac = Autocast.enable(F16)) {
            assertEquals(F16, a.matmul(b).dtype());
            assertEquals(F16, F.linear(a, w, bias).dtype());
        }
    }

    @Test void mixedDtypeOperandsAreCastToOneDtype() {
        Tensor a = randn(4, 5), b = randn(5, 3).to(F16);
        assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        try (var ac = Autocast.enable(BF16)) {
            assertEquals(BF16, a.matmul(b).dtype());
        }
    }

    @Test void normalisationSoftmaxReductionsAndLossesRunInFloat32() {
        Tensor x = randn(4, 6).to(BF16);
        Tensor target = Tensor.of(0L, 2L, 5L, 1L);
        try (var ac = Autocast.enable(BF16)) {
            assertEquals(F32, x.softmax(-1).dtype(), "softmax");
            assertEquals(F32, x.logSoftmax(-1).dtype(), "logSoftmax");
            assertEquals(F32, x.logsumexp(-1).dtype(), "logsumexp");
            assertEquals(F32, x.sum().dtype(), "sum");
            assertEquals(F32, x.sum(1).dtype(), "sum over a dim");
            assertEquals(F32, x.prod(1, false).dtype(), "prod");
            assertEquals(F32, x.cumsum(1).dtype(), "cumsum");
            assertEquals(F32, x.norm().dtype(), "norm");
            assertEquals(F32, F.layerNorm(x, new int[]{6}).dtype(), "layerNorm");
            assertEquals(F32, new LayerNorm(6).forward(x).dtype(), "LayerNorm module");
            assertEquals(F32, F.crossEntropy(x, target).dtype(), "crossEntropy");
            assertEquals(F32, F.nllLoss(x.logSoftmax(-1).to(BF16), target).dtype(), "nllLoss");
            assertEquals(F32, F.mseLoss(x, Tensor.zeros(4, 6)).dtype(), "mseLoss");
            assertEquals(F32, F.l1Loss(x, Tensor.zeros(4, 6).to(BF16)).dtype(), "l1Loss");
            assertEquals(F32, F.binaryCrossEntropyWithLogits(x, Tensor.rand(4, 6)).dtype(), "bce with logits");
            // a linear layer feeding a softmax: bfloat16 in between, float32 out
            Tensor h = F.linear(randn(4, 6), randn(6, 6));
            assertEquals(BF16, h.dtype());
            assertEquals(F32, h.softmax(-1).dtype());
        }
    }

    @Test void otherOpsKeepTheDtypesTheyAreGiven() {
        Tensor x = randn(3, 4).to(BF16);
        try (var ac = Autocast.enable(BF16)) {
            assertEquals(BF16, x.relu().dtype());
            assertEquals(BF16, x.mean().dtype(), "mean is on no list");
            assertEquals(F32, x.add(randn(3, 4)).dtype(), "mixing promotes as always");
        }
    }

    @Test void float64AndIntegerInputsAreNeverCast() {
        Tensor a = Tensor.randn(new int[]{3, 4}, DType.FLOAT64, Device.CPU), b = Tensor.randn(new int[]{4, 2}, DType.FLOAT64, Device.CPU);
        try (var ac = Autocast.enable(BF16)) {
            assertEquals(DType.FLOAT64, a.matmul(b).dtype());
            assertEquals(DType.FLOAT64, F.linear(a, b.t()).dtype());
            assertEquals(DType.INT64, Tensor.arange(5).sum().dtype());
            assertEquals(DType.FLOAT64, a.softmax(-1).dtype());
        }
    }

    @Test void anInputAlreadyInTheOpsDtypeIsNotCopied() {
        Autocast.Mode mode = new Autocast.Mode(BF16, BF16, BF16);
        Tensor low = randn(2, 2).to(BF16), full = randn(2, 2), dbl = full.double_();
        assertSame(low, Autocast.toLow(low, mode));
        assertSame(full, Autocast.toFloat32(full, mode));
        assertSame(dbl, Autocast.toLow(dbl, mode));
        assertNotSame(full, Autocast.toLow(full, mode));
        // in the graph: a bfloat16 leaf feeds matmul directly, a float32 one through a cast node
        Tensor a = randn(2, 3).to(BF16).requiresGrad(true), b = randn(3, 2).requiresGrad(true);
        try (var ac = Autocast.enable(BF16)) {
            var next = a.matmul(b).gradFn().nextFunctions();
            assertTrue(next.get(0).isLeafAccumulator(), "the bfloat16 operand goes straight in");
            assertEquals("to", next.get(1).name(), "the float32 operand is cast");
        }
    }

    @Test void bfloat16MatmulOnTheCpuIsCloseToFloat32() {
        Tensor.manualSeed(1);
        Tensor a = randn(48, 96), b = randn(96, 40);
        Tensor exact = a.matmul(b);
        Tensor low;
        try (var ac = Autocast.enable(BF16)) {
            low = a.matmul(b);
        }
        assertEquals(BF16, low.dtype());
        // bfloat16 keeps 8 significant bits: each operand and the result round with relative error <= 2^-8
        double[] bound = a.abs().matmul(b.abs()).toDoubleArray();
        double[] e = exact.toDoubleArray(), l = low.toDoubleArray();
        double eps = Math.pow(2, -8);
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(e[i] - l[i]) <= 3 * eps * bound[i] + 1e-6,
                    "element " + i + ": float32 " + e[i] + ", bfloat16 " + l[i] + ", bound " + 3 * eps * bound[i]);
    }

    @Test void gradientsReachFloat32ParametersInFloat32() {
        Tensor.manualSeed(2);
        Linear layer = new Linear(6, 4);
        Tensor x = randn(8, 6), y = Tensor.of(0L, 1L, 2L, 3L, 0L, 1L, 2L, 3L);
        F.crossEntropy(layer.forward(x), y).backward();
        Tensor refW = layer.weight.grad().clone(), refB = layer.bias.grad().clone();
        layer.zeroGrad();
        try (var ac = Autocast.enable(BF16)) {
            Tensor loss = F.crossEntropy(layer.forward(x), y);
            assertEquals(F32, loss.dtype());
            loss.backward();
        }
        assertEquals(F32, layer.weight.dtype());
        assertEquals(F32, layer.weight.grad().dtype());
        assertEquals(F32, layer.bias.grad().dtype());
        assertClose(refW, layer.weight.grad(), 0.03);
        assertClose(refB, layer.bias.grad(), 0.03);
    }

    @Test void backwardOutsideTheBlockRunsInTheForwardsDtypes() {
        Tensor w = randn(4, 4).requiresGrad(true);
        Tensor out;
        try (var ac = Autocast.enable(BF16)) {
            out = randn(2, 4).matmul(w);
        }
        out.sum().backward();   // the matmul node's formulas run on bfloat16, the cast node turns it float32
        assertEquals(F32, w.grad().dtype());
    }

    @Test void blocksNestAndRestoreTheSettingTheyFound() {
        Tensor a = randn(2, 3), b = randn(3, 2);
        assertFalse(Autocast.isEnabled());
        assertNull(Autocast.dtype());
        try (var outer = Autocast.enable(BF16)) {
            assertTrue(Autocast.isEnabled());
            assertEquals(BF16, Autocast.dtype());
            try (var inner = Autocast.enable(F16)) {
                assertEquals(F16, Autocast.dtype());
                assertEquals(F16, a.matmul(b).dtype());
            }
            assertEquals(BF16, a.matmul(b).dtype());
            try (var off = Autocast.disable()) {
                assertFalse(Autocast.isEnabled());
                assertEquals(F32, a.matmul(b).dtype());
            }
            assertEquals(BF16, Autocast.dtype());
        }
        assertFalse(Autocast.isEnabled());
        assertEquals(F32, a.matmul(b).dtype());
    }

    @Test void theSettingIsPerDeviceType() {
        Tensor a = randn(2, 3), b = randn(3, 2);
        try (var cuda = Autocast.enable(Device.Type.CUDA)) {
            assertTrue(Autocast.isEnabled(Device.Type.CUDA));
            assertEquals(F16, Autocast.dtype(Device.Type.CUDA));
            assertFalse(Autocast.isEnabled(Device.Type.CPU));
            assertEquals(F32, a.matmul(b).dtype(), "CPU tensors are not cast by a CUDA block");
            try (var cpu = Autocast.enable(Device.Type.CPU)) {
                assertEquals(BF16, Autocast.dtype(Device.Type.CPU));
                assertEquals(F16, Autocast.dtype(Device.Type.CUDA), "the CUDA setting is kept");
                assertEquals(BF16, a.matmul(b).dtype());
            }
        }
    }

    @Test void theSettingIsPerThread() throws Exception {
        try (var ac = Autocast.enable(BF16)) {
            boolean elsewhere = CompletableFuture.supplyAsync(Autocast::isEnabled).get();
            assertFalse(elsewhere);
            assertTrue(Autocast.isEnabled());
        }
    }

    @Test void aDtypeOtherThanFloat16OrBfloat16IsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Autocast.enable(F32));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
        assertFalse(Autocast.isEnabled());
    }

    @Test void closingTwiceRestoresOnce() {
        Autocast outer = Autocast.enable(BF16);
        Autocast inner = Autocast.enable(F16);
        inner.close();
        inner.close();
        assertEquals(BF16, Autocast.dtype());
        outer.close();
        assertFalse(Autocast.isEnabled());
    }

    @Test void attentionUnderAutocastGivesTheLowPrecisionDtype() {
        Tensor q = randn(2, 5, 8), k = randn(2, 5, 8), v = randn(2, 5, 8);
        try (var ac = Autocast.enable(BF16)) {
            assertEquals(BF16, F.scaledDotProductAttention(q, k, v).dtype());
        }
    }

    static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double scale = 0;
        for (double x : e) scale = Math.max(scale, Math.abs(x));
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(e[i] - a[i]) <= tol * Math.max(scale, 1e-12),
                    "element " + i + ": expected " + e[i] + " but got " + a[i] + " (tolerance " + tol + " x " + scale + ")");
    }
}
