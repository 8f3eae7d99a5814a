package dev.gpush.ops;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gpush.ops.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Matrix products under PyTorch's matmul rules (1-d operands, broadcast batch dims), checked against a naive
 * triple loop in double, on BLAS and Java paths, with integer and half dtypes, and their gradients.
 */
class LinearAlgebraTest {
    /** The naive product of two matrices, from their values. */
    private static double[] naive(Tensor a, Tensor b) {
        int m = a.size(0), k = a.size(1), n = b.size(1);
        double[] x = a.toDoubleArray(), y = b.toDoubleArray(), r = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += x[i * k + p] * y[p * n + j];
                r[i * n + j] = s;
            }
        return r;
    }

    private static Tensor f64(long seed, int... shape) { return randn(seed, shape).to(DType.FLOAT64); }

    // ---------------------------------------------------------------- the rank combinations of matmul

    @Test void vectorDotVectorIsAZeroDimTensor() {
        Tensor r = Tensor.of(1.0, 2.0, 3.0).matmul(Tensor.of(4.0, 5.0, 6.0));
        assertValues(new int[0], new double[]{32}, r, 0);
        assertValues(new int[0], new double[]{32}, Tensor.of(1.0, 2.0, 3.0).dot(Tensor.of(4.0, 5.0, 6.0)), 0);
    }

    @Test void matrixTimesVectorDropsTheVectorDim() {
        Tensor a = Tensor.of(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        assertValues(new int[]{3}, new double[]{-1, -1, -1}, a.matmul(Tensor.of(1.0, -1.0)), 0);
        assertValues(new int[]{3}, new double[]{-1, -1, -1}, a.mv(Tensor.of(1.0, -1.0)), 0);
    }

    @Test void vectorTimesMatrixDropsTheVectorDim() {
        Tensor b = Tensor.of(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        assertValues(new int[]{2}, new double[]{8, 10}, Tensor.of(1.0, -1.0, 2.0).matmul(b), 0);
    }

    @Test void matrixTimesMatrixMatchesTheNaiveProduct() {
        Tensor a = Tensor.of(new double[][]{{1, 2, 3}, {4, 5, 6}}), b = Tensor.of(new double[][]{{7, 8}, {9, 10}, {11, 12}});
        assertValues(new int[]{2, 2}, new double[]{58, 64, 139, 154}, a.matmul(b), 0);
        assertValues(new int[]{2, 2}, new double[]{58, 64, 139, 154}, a.mm(b), 0);
        Tensor x = f64(1, 17, 33), y = f64(2, 33, 9);
        assertValues(new int[]{17, 9}, naive(x, y), x.matmul(y), 1e-13);
        Tensor xf = randn(3, 17, 33), yf = randn(4, 33, 9);
        assertValues(naive(xf, yf), xf.matmul(yf), 1e-5);
    }

    @Test void batchedMatmulMultipliesEachBatch() {
        Tensor a = f64(5, 4, 3, 5), b = f64(6, 4, 5, 2);
        Tensor r = a.matmul(b);
        assertArrayEquals(new int[]{4, 3, 2}, r.shape());
        for (int i = 0; i < 4; i++) assertValues(naive(a.get(i), b.get(i)), r.get(i), 1e-14);
        assertSameValues(r, a.bmm(b), 0);
    }

    @Test void batchDimsBroadcast() {
        Tensor a = f64(7, 2, 1, 3, 4), b = f64(8, 5, 4, 2);
        Tensor r = a.matmul(b);
        assertArrayEquals(new int[]{2, 5, 3, 2}, r.shape());
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 5; j++)
                assertValues(naive(a.get(i).get(0), b.get(j)), r.get(i).get(j), 1e-14);
        Tensor m = f64(9, 3, 4);
        Tensor r2 = m.matmul(b);  // a matrix against a batch
        assertArrayEquals(new int[]{5, 3, 2}, r2.shape());
        for (int j = 0; j < 5; j++) assertValues(naive(m, b.get(j)), r2.get(j), 1e-14);
    }

    @Test void vectorsAgainstBatchesPrependOrAppendADim() {
        Tensor v = f64(10, 4), batch = f64(11, 3, 4, 2), batchT = f64(12, 3, 5, 4);
        Tensor r = v.matmul(batch);
        assertArrayEquals(new int[]{3, 2}, r.shape());
        for (int i = 0; i < 3; i++) assertValues(naive(v.view(1, 4), batch.get(i)), r.get(i), 1e-14);
        Tensor s = batchT.matmul(v);
        assertArrayEquals(new int[]{3, 5}, s.shape());
        for (int i = 0; i < 3; i++) assertValues(naive(batchT.get(i), v.view(4, 1)), s.get(i), 1e-14);
    }

    // ---------------------------------------------------------------- strided operands

    @Test void transposedOperandsMatchContiguousCopies() {
        Tensor a = f64(13, 6, 4), b = f64(14, 5, 6);
        Tensor at = a.t(), bt = b.t();  // [4, 6] and [6, 5], column-major
        assertValues(naive(at.contiguous(), a), at.matmul(a), 1e-14);
        assertValues(naive(at.contiguous(), bt.contiguous()), at.matmul(bt), 1e-14);
        assertValues(naive(b, a), b.matmul(a), 1e-14);
        Tensor batch = f64(15, 3, 4, 6);
        assertSameValues(batch.mT().contiguous().matmul(batch), batch.mT().matmul(batch), 1e-14);
        Tensor bf = randn(16, 6, 5);
        assertValues(naive(bf.t().contiguous(), randn(17, 6, 3)), bf.t().matmul(randn(17, 6, 3)), 1e-5);
    }

    @Test void steppedAndExpandedOperandsMatchContiguousCopies() {
        Tensor base = f64(18, 12, 10);
        Tensor a = base.slice(0, 0, 12, 2).slice(1, 1, 10, 3);   // [6, 3], strides [20, 3]
        Tensor b = f64(19, 3, 8).slice(1, 0, 8, 2);             // [3, 4], strides [8, 2]
        assertValues(naive(a.contiguous(), b.contiguous()), a.matmul(b), 1e-14);
        Tensor row = f64(20, 1, 3).expand(4, 3);                // stride 0 rows
        assertValues(naive(row.contiguous(), b.contiguous()), row.matmul(b), 1e-14);
        Tensor shared = f64(21, 3, 2).expand(5, 3, 2);          // one matrix read by every batch
        Tensor lhs = f64(22, 5, 4, 3);
        assertSameValues(lhs.matmul(shared.contiguous()), lhs.matmul(shared), 1e-14);
        // two batch dims whose strides do not merge into one ([3, 2] with strides [12, 36])
        Tensor permuted = f64(23, 2, 3, 4, 3).permute(1, 0, 2, 3), w = f64(24, 3, 2);
        assertSameValues(permuted.contiguous().matmul(w), permuted.matmul(w), 1e-14);
    }

    @Test void largeStridedMatmulOnJavaLoopsMatchesContiguousBlas() {
        // a stepped inner dim is neither row- nor column-major, so it goes through the parallel Java loops
        Tensor a = f64(24, 200, 300).slice(1, 0, 300, 2), b = f64(25, 150, 90);
        assertFalse(a.isContiguous());
        assertSameValues(a.contiguous().matmul(b), a.matmul(b), 1e-12);
        Tensor af = randn(26, 200, 300).slice(1, 0, 300, 2), bf = randn(27, 150, 90);
        assertSameValues(af.contiguous().matmul(bf), af.matmul(bf), 1e-5);
    }

    // ---------------------------------------------------------------- dtypes

    @Test void int64MatmulIsExactBeyondDoublePrecision() {
        Tensor a = Tensor.of(new long[][]{{1L << 52, 1}, {2, 3}}), b = Tensor.of(new long[][]{{3, 0}, {1, 5}});
        Tensor r = a.matmul(b);
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new long[]{3 * (1L << 52) + 1, 5, 9, 15}, r.toLongArray());
        assertArrayEquals(new long[]{32}, Tensor.of(1L, 2L, 3L).matmul(Tensor.of(4L, 5L, 6L)).view(1).toLongArray());
        assertEquals(DType.INT32, Tensor.of(new int[][]{{1, 2}}).matmul(Tensor.of(new int[][]{{3}, {4}})).dtype());
    }

    @Test void halfMatmulsKeepTheirTypeAndRoundOnce() {
        Tensor a = Tensor.of(new float[][]{{1, 2}, {3, 4}}).half(), b = Tensor.of(new float[][]{{0.5f}, {0.25f}}).half();
        assertExactly(DType.FLOAT16, new int[]{2, 1}, new double[]{1, 2.5}, a.matmul(b));
        // 2048 + 1 = 2049 is not a float16: it rounds (to even) to 2048; bfloat16 rounds 257 to 256
        Tensor ones = Tensor.of(new float[][]{{1, 1}});
        assertValues(new double[]{2048}, ones.half().matmul(Tensor.of(new float[][]{{2048}, {1}}).half()), 0);
        assertExactly(DType.BFLOAT16, new int[]{1, 1}, new double[]{256},
                ones.bfloat16().matmul(Tensor.of(new float[][]{{256}, {1}}).bfloat16()));
        Tensor x = randn(28, 8, 16), y = randn(29, 16, 4);
        assertValues(naive(x.half(), y.half()), x.half().matmul(y.half()), 2e-3);
    }

    @Test void emptyInnerDimGivesZeros() {
        assertValues(new int[]{2, 3}, new double[6], Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)), 0);
        assertArrayEquals(new int[]{0, 2}, Tensor.zeros(0, 3).matmul(Tensor.zeros(3, 2)).shape());
        assertValues(new int[0], new double[]{0}, Tensor.zeros(0).dot(Tensor.zeros(0)), 0);
    }

    // ---------------------------------------------------------------- mm, bmm, mv, dot, outer

    @Test void outerMultipliesEveryPair() {
        assertValues(new int[]{2, 3}, new double[]{3, 4, 5, 6, 8, 10}, Tensor.of(1.0, 2.0).outer(Tensor.of(3.0, 4.0, 5.0)), 0);
    }

    @Test void namedProductsCheckTheirRanks() {
        Tensor m = Tensor.zeros(2, 3), v = Tensor.zeros(3), b = Tensor.zeros(2, 3, 4);
        assertEquals("mm: expected 2D tensors, got 3D and 2D",
                assertThrows(IllegalArgumentException.class, () -> b.mm(m)).getMessage());
        assertEquals("bmm: expected 3D tensors, got 2D and 3D",
                assertThrows(IllegalArgumentException.class, () -> m.bmm(b)).getMessage());
        assertEquals("bmm: batch sizes differ: [2, 3, 4] and [3, 4, 5]",
                assertThrows(IllegalArgumentException.class, () -> b.bmm(Tensor.zeros(3, 4, 5))).getMessage());
        assertEquals("mv: expected a 2D matrix and a 1D vector, got 2D and 2D",
                assertThrows(IllegalArgumentException.class, () -> m.mv(m)).getMessage());
        assertEquals("dot: expected 1D tensors, got 2D and 1D",
                assertThrows(IllegalArgumentException.class, () -> m.dot(v)).getMessage());
        assertEquals("dot: inconsistent tensor size, expected tensors of the same size, got 3 and 2",
                assertThrows(IllegalArgumentException.class, () -> v.dot(Tensor.zeros(2))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.outer(v));
    }

    // ---------------------------------------------------------------- errors

    @Test void mismatchedInnerDimsNameBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(32, 256).matmul(Tensor.zeros(128, 10)));
        assertEquals("matmul: shapes [32, 256] and [128, 10] cannot be multiplied (256 != 128)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4, 2)));
        assertEquals("matmul: shapes [3] and [4, 2] cannot be multiplied (3 != 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5)));
        assertEquals("matmul: shapes [2, 3, 4] and [5] cannot be multiplied (4 != 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).mm(Tensor.zeros(2, 3)));
        assertEquals("mm: shapes [2, 3] and [2, 3] cannot be multiplied (3 != 2)", e.getMessage());
    }

    @Test void dtypeMismatchNamesBothDtypes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2).matmul(Tensor.zeros(DType.FLOAT64, 2, 2)));
        assertEquals("matmul: expected both operands to have the same dtype, got float32 and float64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.INT64, 2).dot(Tensor.zeros(2)));
        assertEquals("dot: expected both operands to have the same dtype, got int64 and float32", e.getMessage());
    }

    @Test void zeroDimOperandsAndUnbroadcastableBatchesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1f).matmul(Tensor.zeros(2)));
        assertEquals("matmul: both arguments need at least 1 dimension, got 0D and 1D tensors", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    // ---------------------------------------------------------------- gradients

    @Test void matmulGradientMatchesFiniteDifferencesForEveryRankPair() {
        int[][][] shapes = {
                {{4}, {4}}, {{3, 4}, {4}}, {{4}, {4, 2}}, {{3, 4}, {4, 2}},
                {{2, 3, 4}, {2, 4, 2}}, {{2, 3, 4}, {4, 2}}, {{3, 4}, {2, 4, 2}},
                {{4}, {2, 4, 2}}, {{2, 3, 4}, {4}}, {{2, 1, 3, 4}, {3, 4, 2}}};
        long seed = 30;
        for (int[][] s : shapes) {
            Tensor a = randnLeaf(seed++, s[0]), b = randnLeaf(seed++, s[1]);
            assertGradientsMatchFiniteDifferences(xs -> xs.get(0).matmul(xs.get(1)), a, b);
        }
    }

    @Test void namedProductGradientsMatchFiniteDifferences() {
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mm(xs.get(1)), randnLeaf(40, 2, 3), randnLeaf(41, 3, 2));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).bmm(xs.get(1)), randnLeaf(42, 2, 2, 3), randnLeaf(43, 2, 3, 2));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mv(xs.get(1)), randnLeaf(44, 2, 3), randnLeaf(45, 3));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).dot(xs.get(1)), randnLeaf(46, 3), randnLeaf(47, 3));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).outer(xs.get(1)), randnLeaf(48, 3), randnLeaf(49, 2));
    }

    @Test void matmulGradientThroughTransposedOperandsMatchesFiniteDifferences() {
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).t().matmul(xs.get(1).t()), randnLeaf(50, 4, 3), randnLeaf(51, 2, 4));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mT().matmul(xs.get(0)), randnLeaf(52, 2, 3, 2));
    }

    @Test void broadcastBatchGradientsSumOverTheBroadcastDims() {
        Tensor a = randnLeaf(53, 2, 1, 3, 4), b = randnLeaf(54, 5, 4, 2);
        a.matmul(b).sum().backward();
        assertArrayEquals(new int[]{2, 1, 3, 4}, a.grad().shape());
        assertArrayEquals(new int[]{5, 4, 2}, b.grad().shape());
        // d(sum a@b)/da[i,0,r,k] = sum over j, c of b[j,k,c]; d/db[j,k,c] = sum over i, r of a[i,0,r,k]
        Tensor bRowSums = b.detach().sum(new int[]{0, 2}, false);   // [4]
        Tensor aColSums = a.detach().sum(new int[]{0, 1, 2}, false); // [4]
        for (int i = 0; i < 2; i++)
            for (int r = 0; r < 3; r++) assertValues(bRowSums.toDoubleArray(), a.grad().get(i).get(0).get(r), 1e-14);
        for (int j = 0; j < 5; j++)
            for (int c = 0; c < 2; c++) assertValues(aColSums.toDoubleArray(), b.grad().get(j).select(1, c), 1e-14);
    }

    @Test void matmulSecondDerivativeMatchesFiniteDifferences() {
        Tensor b = randn(55, 4, 2).to(DType.FLOAT64);
        assertGradientsMatchFiniteDifferences(gradientOf(a -> a.matmul(b).pow(2)), randnLeaf(56, 3, 4));
        assertGradientsMatchFiniteDifferences(gradientOf(a -> a.mT().matmul(a).tanh()), randnLeaf(57, 3, 2));
    }
}
