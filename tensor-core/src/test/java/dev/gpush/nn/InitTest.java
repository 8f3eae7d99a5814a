package dev.gpush.nn;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * torch.nn.init: bounds and standard deviations from PyTorch's formulas, checked on large fills from fixed seeds
 * (sample std within 5%, which a wrong gain or fan misses by far more), fans, gains and errors.
 */
class InitTest {
    private static double maxAbs(Tensor t) { return t.abs().max().item(); }

    private static void assertNear(double expected, double actual, double relTol, String what) {
        assertTrue(Math.abs(actual - expected) <= relTol * Math.abs(expected),
                what + ": expected " + expected + " within " + relTol * 100 + "%, got " + actual);
    }

    /** Uniform on ±bound: every value inside, the extremes near the edges, std bound/sqrt(3). */
    private static void assertUniformOn(double bound, Tensor t) {
        assertTrue(maxAbs(t) <= bound, "max |x| " + maxAbs(t) + " exceeds the bound " + bound);
        assertTrue(maxAbs(t) > 0.98 * bound, "max |x| " + maxAbs(t) + " far inside the bound " + bound);
        assertNear(bound / Math.sqrt(3), t.std().item(), 0.05, "std");
        assertEquals(0, t.mean().item(), 0.05 * bound, "mean");
    }

    @Test void uniformAndNormalFollowTheirParameters() {
        Tensor u = Init.uniform_(Tensor.empty(10000), 2, 5, new Generator(1));
        assertTrue(u.min().item() >= 2 && u.max().item() < 5);
        assertNear(3.5, u.mean().item(), 0.02, "uniform mean");
        Tensor n = Init.normal_(Tensor.empty(10000), -1, 3, new Generator(2));
        assertNear(-1, n.mean().item(), 0.1, "normal mean");
        assertNear(3, n.std().item(), 0.05, "normal std");
    }

    @Test void aGivenGeneratorMakesFillsReproducibleAndLeavesTheDefaultAlone() {
        Tensor.manualSeed(7);
        long before = Generator.defaultGenerator().offset();
        Tensor a = Init.normal_(Tensor.empty(5), 0, 1, new Generator(42));
        Tensor b = Init.normal_(Tensor.empty(5), 0, 1, new Generator(42));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertEquals(before, Generator.defaultGenerator().offset());
        Tensor.manualSeed(42);
        assertArrayEquals(Tensor.randn(5).toFloatArray(), a.toFloatArray(), "same stream as randn from that seed");
    }

    @Test void defaultGeneratorFillsRepeatAfterManualSeed() {
        Tensor.manualSeed(3);
        float[] first = Init.kaimingUniform_(Tensor.empty(4, 6)).toFloatArray();
        Tensor.manualSeed(3);
        assertArrayEquals(first, Init.kaimingUniform_(Tensor.empty(4, 6)).toFloatArray());
    }

    @Test void constantZerosAndOnesFillParametersWithoutRecordingAGraph() {
        Tensor p = Tensor.empty(2, 3).requiresGrad(true);
        Init.constant_(p, 2.5);
        assertArrayEquals(new float[]{2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, p.toFloatArray());
        assertTrue(p.isLeaf() && p.requiresGrad());
        assertEquals(0, Init.zeros_(p).abs().sum().item());
        assertEquals(6, Init.ones_(p).sum().item());
        Init.normal_(p);
        assertTrue(p.isLeaf() && p.requiresGrad(), "random fills of a parameter leave it a leaf");
    }

    @Test void fillsWorkOnNonContiguousViews() {
        Tensor base = Tensor.zeros(4, 6);
        Init.uniform_(base.t(), 1, 2, new Generator(5));
        assertTrue(base.min().item() >= 1 && base.max().item() < 2);
        Init.ones_(base.narrow(1, 0, 2));
        assertEquals(8, base.narrow(1, 0, 2).sum().item());
    }

    @Test void fansAreDim1AndDim0TimesTheReceptiveField() {
        assertArrayEquals(new int[]{3, 5}, Init.calculateFanInAndFanOut(Tensor.empty(5, 3)));
        assertArrayEquals(new int[]{3 * 25, 8 * 25}, Init.calculateFanInAndFanOut(Tensor.empty(8, 3, 5, 5)));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.calculateFanInAndFanOut(Tensor.empty(7)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions") && e.getMessage().contains("[7]"), e.getMessage());
    }

    @Test void gainsAreThoseOfPyTorch() {
        assertEquals(1.0, Init.calculateGain("linear"));
        assertEquals(1.0, Init.calculateGain("conv2d"));
        assertEquals(1.0, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"), 1e-15);
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"), 1e-15);
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"), 1e-15);
        assertEquals(Math.sqrt(2 / 6.0), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
    }

    @Test void xavierUniformBoundIsGainTimesSqrtOf6OverFanSum() {
        Tensor w = Init.xavierUniform_(Tensor.empty(200, 100), 1.0, new Generator(11));
        assertUniformOn(Math.sqrt(6.0 / 300), w);
        Tensor w2 = Init.xavierUniform_(Tensor.empty(200, 100), 2.0, new Generator(11));
        assertArrayEquals(w.mul(2).toFloatArray(), w2.toFloatArray(), 1e-6f);
    }

    @Test void xavierNormalStdIsGainTimesSqrtOf2OverFanSum() {
        Tensor w = Init.xavierNormal_(Tensor.empty(200, 100), 1.5, new Generator(12));
        assertNear(1.5 * Math.sqrt(2.0 / 300), w.std().item(), 0.05, "std");
    }

    @Test void kaimingUniformUsesTheChosenFanAndNonlinearity() {
        // weight [out=50, in=200]: fan_in 200, fan_out 50
        Tensor w = Init.kaimingUniform_(Tensor.empty(50, 200), 0, "fan_in", "relu", new Generator(13));
        assertUniformOn(Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(200), w);
        Tensor wo = Init.kaimingUniform_(Tensor.empty(50, 200), 0, "fan_out", "relu", new Generator(13));
        assertUniformOn(Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(50), wo);
        // Linear's default, a = sqrt(5) with leaky_relu: exactly 1/sqrt(fan_in)
        Tensor lin = Init.kaimingUniform_(Tensor.empty(50, 200), Math.sqrt(5), "fan_in", "leaky_relu", new Generator(14));
        assertUniformOn(1 / Math.sqrt(200), lin);
    }

    @Test void kaimingNormalStdIsGainOverSqrtFan() {
        Tensor w = Init.kaimingNormal_(Tensor.zeros(DType.FLOAT64, 64, 8, 3, 3), 0, "fan_out", "relu", new Generator(15));
        assertNear(Math.sqrt(2) / Math.sqrt(64 * 9), w.std().item(), 0.05, "std");
        assertEquals(DType.FLOAT64, w.dtype());
    }

    @Test void kaimingRejectsAnUnknownModeAndSkipsEmptyTensors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Init.kaimingNormal_(Tensor.empty(3, 3), 0, "fan_avg", "relu"));
        assertTrue(e.getMessage().contains("fan_avg") && e.getMessage().contains("fan_in, fan_out"), e.getMessage());
        assertEquals(0, Init.kaimingUniform_(Tensor.empty(0, 3)).numel());
    }
}
