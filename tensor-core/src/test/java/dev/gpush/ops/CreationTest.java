package dev.gpush.ops;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gpush.tensor.Tensor.*;
import static org.junit.jupiter.api.Assertions.*;

class CreationTest {
    @Test void randomFactoriesTakeTheDtypeBeforeTheShape() {
        Tensor.manualSeed(1);
        Tensor n = Tensor.randn(DType.FLOAT64, 2, 3);
        Tensor u = Tensor.rand(DType.BFLOAT16, 4);
        assertEquals(DType.FLOAT64, n.dtype());
        assertArrayEquals(new int[] {2, 3}, n.shape());
        assertEquals(DType.BFLOAT16, u.dtype());
        Tensor.manualSeed(1);
        assertArrayEquals(Tensor.randn(new int[] {2, 3}, DType.FLOAT64, Device.CPU).toDoubleArray(), n.toDoubleArray());
    }

    @Test void filledFactoriesHaveShapeDtypeAndValue() {
        assertArrayEquals(new float[6], zeros(2, 3).toFloatArray());
        assertArrayEquals(new double[]{1, 1}, ones(DType.FLOAT64, 2).toDoubleArray());
        assertEquals(DType.FLOAT64, ones(DType.FLOAT64, 2).dtype());
        Tensor f = full(new int[]{2, 2}, 7);
        assertEquals(DType.INT64, f.dtype());
        assertArrayEquals(new long[]{7, 7, 7, 7}, f.toLongArray());
        assertEquals(DType.FLOAT32, full(new int[]{1}, 0.5).dtype());
        assertArrayEquals(new int[]{0, 3}, empty(0, 3).shape());
        assertEquals(0, empty(0, 3).numel());
        var e = assertThrows(IllegalArgumentException.class, () -> zeros(2, -1));
        assertTrue(e.getMessage().contains("negative dimension"));
    }

    @Test void int64FillsAreExactBeyondDoublePrecision() {
        long big = (1L << 53) + 1;
        assertEquals(big, full(new int[]{2}, big).toLongArray()[1]);
        assertEquals(big, zeros(DType.INT64, 1).fill_(big).toLongArray()[0]);
        assertEquals(2 * big, Tensor.of(new long[]{big}).add(big).toLongArray()[0]);
    }

    @Test void likeFactoriesCopyShapeAndDtype() {
        Tensor a = ones(DType.INT32, 3, 1);
        assertEquals(DType.INT32, zerosLike(a).dtype());
        assertArrayEquals(new int[]{3, 1}, onesLike(a).shape());
        assertArrayEquals(new int[]{7, 7, 7}, fullLike(a, 7).toIntArray());
        assertEquals(DType.FLOAT64, randnLike(ones(DType.FLOAT64, 2)).dtype());
    }

    @Test void arangeFollowsPyTorchTypes() {
        assertEquals(DType.INT64, arange(5).dtype());
        assertArrayEquals(new long[]{2, 4, 6, 8}, arange(2, 10, 2).toLongArray());
        Tensor f = arange(0.0, 1.0, 0.25);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[]{0, 0.25f, 0.5f, 0.75f}, f.toFloatArray());
        assertEquals(0, arange(0).numel());
        assertThrows(IllegalArgumentException.class, () -> arange(0, 5, -1));
    }

    @Test void linspaceIncludesBothEnds() {
        float[] v = linspace(0, 1, 5).toFloatArray();
        assertArrayEquals(new float[]{0, 0.25f, 0.5f, 0.75f, 1}, v);
        assertArrayEquals(new float[]{3}, linspace(3, 7, 1).toFloatArray());
    }

    @Test void eyeHasOnesOnTheDiagonal() {
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 0}, eye(2, 3).toFloatArray());
        assertEquals(3, eye(3).sum().item());
    }

    @Test void ofReadsNestedArraysOfAnyRank() {
        Tensor t = Tensor.of(new double[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
        assertArrayEquals(new int[]{2, 2, 2}, t.shape());
        assertEquals(DType.FLOAT64, t.dtype());
        assertEquals(8, t.select(0, 1).select(0, 1).select(0, 1).item());
        assertEquals(DType.INT64, Tensor.of(new long[][]{{1}, {2}}).dtype());
        assertEquals(DType.BOOL, Tensor.of(new boolean[][]{{true, false}}).dtype());
        assertEquals(DType.INT32, Tensor.of(1, 2, 3).dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][]{{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("expected a sequence of length 2 at dim 1 (got 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of("not an array"));
    }

    @Test void scalarsAreZeroDim() {
        Tensor s = scalar(2.5);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(2.5, s.item());
        var e = assertThrows(IllegalArgumentException.class, () -> ones(2).item());
        assertTrue(e.getMessage().contains("a Tensor with 2 elements cannot be converted to a scalar"));
    }

    @Test void manualSeedMakesRandomnessReproducible() {
        manualSeed(42);
        float[] a = randn(100).toFloatArray();
        manualSeed(42);
        float[] b = randn(100).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, randn(100).toFloatArray()));
        Generator g1 = new Generator(7), g2 = new Generator(7);
        assertArrayEquals(rand(g1, 10).toFloatArray(), rand(g2, 10).toFloatArray());
    }

    @Test void randIsUniformInUnitInterval() {
        manualSeed(0);
        float[] v = rand(100_000).toFloatArray();
        double sum = 0;
        for (float x : v) {
            assertTrue(x >= 0 && x < 1);
            sum += x;
        }
        assertEquals(0.5, sum / v.length, 0.01);
    }

    @Test void randnHasZeroMeanAndUnitVariance() {
        manualSeed(1);
        Tensor x = randn(200_000);
        assertEquals(0, x.mean().item(), 0.01);
        assertEquals(1, x.std().item(), 0.01);
        assertEquals(DType.FLOAT64, randn(new int[]{3}, DType.FLOAT64, Device.CPU).dtype());
        assertThrows(IllegalArgumentException.class, () -> randn(new int[]{3}, DType.INT64, Device.CPU));
    }

    @Test void randintStaysInItsHalfOpenRange() {
        long[] v = randint(-3, 4, 10_000).toLongArray();
        boolean[] seen = new boolean[7];
        for (long x : v) {
            assertTrue(x >= -3 && x < 4, "value " + x);
            seen[(int) x + 3] = true;
        }
        for (boolean s : seen) assertTrue(s);
        assertThrows(IllegalArgumentException.class, () -> randint(5, 5, 3));
    }

    @Test void randpermIsAPermutation() {
        long[] p = randperm(50).toLongArray();
        long[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertFalse(java.util.Arrays.equals(p, sorted));
    }

    @Test void bernoulliAndNormalFillInPlace() {
        manualSeed(3);
        Tensor b = zeros(10_000).bernoulli_(0.3);
        assertEquals(0.3, b.mean().item(), 0.02);
        Tensor n = zeros(10_000).normal_(5, 2);
        assertEquals(5, n.mean().item(), 0.1);
        assertEquals(2, n.std().item(), 0.1);
        Tensor u = zeros(3, 4).t().uniform_(-1, 1); // non-contiguous target
        for (float x : u.toFloatArray()) assertTrue(x >= -1 && x < 1);
    }
}
