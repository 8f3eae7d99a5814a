package dev.gpush.ops;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gpush.ops.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Reductions, softmax and its relatives, cumsum: values over all dims, single, multiple and negative dims, with
 * and without keepdim, on strided and large inputs, and gradients against finite differences.
 */
class ReductionsTest {
    private static final double INF = Double.POSITIVE_INFINITY, NAN = Double.NaN;

    /** [[1, 5, 2], [7, 3, 7]]: a tie for the row maximum in row 1. */
    private static Tensor m() { return Tensor.of(new double[][]{{1, 5, 2}, {7, 3, 7}}); }

    /** 0..23 as float64 [2, 3, 4]. */
    private static Tensor cube() { return Tensor.arange(24).to(DType.FLOAT64).view(2, 3, 4); }

    // ---------------------------------------------------------------- sum and mean

    @Test void sumOverAllDimsSingleDimsAndNegativeDims() {
        assertValues(new int[0], new double[]{25}, m().sum(), 0);
        assertValues(new int[]{3}, new double[]{8, 8, 9}, m().sum(0), 0);
        assertValues(new int[]{2}, new double[]{8, 17}, m().sum(1), 0);
        assertValues(new int[]{2}, new double[]{8, 17}, m().sum(-1), 0);
        assertValues(new int[]{2, 1}, new double[]{8, 17}, m().sum(1, true), 0);
        assertValues(new int[]{1, 3}, new double[]{8, 8, 9}, m().sum(-2, true), 0);
    }

    @Test void sumOverSeveralDimsKeepsTheOthersInOrder() {
        // sum over i, k of 12i + 4j + k = 60 + 32j
        assertValues(new int[]{3}, new double[]{60, 92, 124}, cube().sum(new int[]{0, 2}, false), 0);
        assertValues(new int[]{1, 3, 1}, new double[]{60, 92, 124}, cube().sum(new int[]{-1, 0}, true), 0);
        assertValues(new int[0], new double[]{276}, cube().sum(new int[]{0, 1, 2}, false), 0);
        assertValues(new int[]{2}, new double[]{66, 210}, cube().sum(new int[]{2, 1}, false), 0);
    }

    @Test void sumsOverLeadingDimsOfAContiguousFloatTensorMatchTheGeneralPath() {
        Tensor.manualSeed(3);
        Tensor x = Tensor.randn(7, 5, 24);                       // float32, contiguous: the column-sum path
        Tensor viaDoubles = x.to(DType.FLOAT64);                 // float64 takes the general path
        for (int[] dims : new int[][] {{0}, {0, 1}}) {
            float[] got = x.sum(dims, false).toFloatArray();
            double[] want = viaDoubles.sum(dims, false).toDoubleArray();
            assertEquals(want.length, got.length);
            for (int i = 0; i < got.length; i++) assertEquals((float) want[i], got[i], 1e-6f);
        }
        float[] transposed = x.transpose(0, 2).sum(0).toFloatArray(); // not contiguous: the general path
        double[] wantT = viaDoubles.transpose(0, 2).sum(0).toDoubleArray();
        for (int i = 0; i < wantT.length; i++) assertEquals((float) wantT[i], transposed[i], 1e-6f);
        assertArrayEquals(new int[] {1, 1, 24}, x.sum(new int[] {0, 1}, true).shape());
    }

    @Test void sumOfIntegersAndBoolsGivesInt64() {
        assertExactly(DType.INT64, new int[0], new double[]{6}, Tensor.of(1, 2, 3).sum());
        assertExactly(DType.INT64, new int[]{2}, new double[]{3, 7}, Tensor.of(new int[][]{{1, 2}, {3, 4}}).sum(1));
        assertExactly(DType.INT64, new int[0], new double[]{2}, Tensor.of(true, false, true).sum());
    }

    @Test void sumOfInt64IsExactBeyondDoublePrecision() {
        long big = 1L << 60;
        assertEquals(1L, Tensor.of(big, 1L, -big).sum().toLongArray()[0]);
        assertEquals(3 * ((1L << 53) + 1), Tensor.of((1L << 53) + 1, (1L << 53) + 1, (1L << 53) + 1).sum().toLongArray()[0]);
    }

    @Test void sumOfThreeMillionOnesIsExact() {
        // one output element over 3M inputs: the inner range is split over threads and the pieces combined
        assertEquals(3_000_000.0, Tensor.ones(3_000_000).sum().item());
        assertEquals(3_000_000L, Tensor.ones(DType.INT32, 3_000_000).sum().toLongArray()[0]);
        assertValues(new int[]{2}, new double[]{1_500_000, 1_500_000}, Tensor.ones(2, 1_500_000).sum(1), 0);
        assertValues(new int[]{1_500_000}, new double[1_500_000], Tensor.ones(2, 1_500_000).sum(0).sub(2), 0);
    }

    @Test void largeReductionsMatchAFloat64Reference() {
        Tensor x = randn(30, 3_000_001);
        Tensor ref = x.to(DType.FLOAT64);
        assertEquals(ref.sum().item(), x.sum().item(), 1e-3 + Math.abs(ref.sum().item()) * 1e-6);
        assertEquals(ref.max().item(), x.max().item());
        assertEquals(ref.min().item(), x.min().item());
        // a strided input through the split path: every third element
        Tensor s = x.slice(0, 0, 3_000_001, 3);
        assertEquals(s.contiguous().to(DType.FLOAT64).sum().item(), s.sum().item(), 1e-2);
    }

    @Test void argmaxOfALargeInputPicksTheFirstOfTiedMaxima() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3_000_000);
        x.slice(0, 2_900_000, 2_900_001).fill_(5);
        x.slice(0, 100_000, 100_001).fill_(5);
        x.slice(0, 1_700_000, 1_700_001).fill_(-5);
        assertEquals(100_000L, x.argmax().toLongArray()[0]);
        assertEquals(1_700_000L, x.argmin().toLongArray()[0]);
        x.slice(0, 2_000_000, 2_000_001).fill_(NAN);
        assertEquals(2_000_000L, x.argmax().toLongArray()[0]);
        assertTrue(Double.isNaN(x.max().item()));
        assertTrue(Double.isNaN(x.sum().item()));
    }

    @Test void meanDividesByTheReducedCount() {
        assertValues(new int[0], new double[]{25.0 / 6}, m().mean(), 1e-15);
        assertValues(new int[]{3}, new double[]{4, 4, 4.5}, m().mean(0), 0);
        assertValues(new int[]{2, 1}, new double[]{8.0 / 3, 17.0 / 3}, m().mean(-1, true), 1e-15);
        assertValues(new int[]{3}, new double[]{7.5, 11.5, 15.5}, cube().mean(new int[]{0, 2}, false), 0);
        assertEquals(DType.FLOAT32, Tensor.of(1f, 2f).mean().dtype());
    }

    @Test void meanOfAnIntegerTensorIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(1L, 2L).mean());
        assertTrue(e.getMessage().startsWith("mean(): could not infer output dtype"), e.getMessage());
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
    }

    @Test void reductionsOfEmptyTensorsGiveTheIdentity() {
        assertValues(new int[0], new double[]{0}, Tensor.zeros(0).sum(), 0);
        assertValues(new int[0], new double[]{1}, Tensor.zeros(0).prod(), 0);
        assertValues(new int[]{2}, new double[]{0, 0}, Tensor.zeros(2, 0).sum(1), 0);
        assertValues(new int[0], new double[]{NAN}, Tensor.zeros(0).mean(), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).max());
        assertTrue(e.getMessage().startsWith("max(): expected a non-empty tensor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).argmax(0));
    }

    @Test void maxOverANonEmptyDimOfAnEmptyTensorIsEmpty() {
        // only the reduced dims must be non-empty: [0, 3] reduced over its size-3 dim gives shape [0]
        Tensor e = Tensor.zeros(0, 3);
        assertArrayEquals(new int[]{0}, e.amax(1, false).shape());
        assertArrayEquals(new int[]{0, 1}, e.argmax(1, true).shape());
        assertArrayEquals(new int[]{0}, e.max(-1).values().shape());
        assertArrayEquals(new int[]{0}, e.softmax(1).sum(1).shape());
        var err = assertThrows(IllegalArgumentException.class, () -> e.amax(0, false));
        assertTrue(err.getMessage().startsWith("max(): expected a non-empty tensor"), err.getMessage());
    }

    @Test void zeroDimTensorsReduceOverDimZeroAndMinusOne() {
        Tensor s = Tensor.scalar(3.0, DType.FLOAT64);
        assertValues(new int[0], new double[]{3}, s.sum(0), 0);
        assertValues(new int[0], new double[]{3}, s.sum(-1, true), 0);
        assertValues(new int[0], new double[]{3}, s.mean(0), 0);
        assertValues(new int[0], new double[]{3}, s.amax(0, false), 0);
        assertValues(new int[0], new double[]{1}, s.softmax(0), 0);
        assertValues(new int[0], new double[]{0}, s.logSoftmax(-1), 0);
        assertValues(new int[0], new double[]{3}, s.logsumexp(0), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> s.sum(1));
        assertExactly(DType.INT64, new int[0], new double[]{0}, s.argmax(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.argmax(5));
    }

    @Test void halfReductionsAccumulateInFloat32AndRoundOnce() {
        // float16 [1000.1, 1000.2, 1000.3, 1000.4] holds [1000, 1000, 1000.5, 1000.5]; their mean 1000.25 is no
        // float16, and rounding it first would double the variance
        Tensor h = Tensor.of(1000.1f, 1000.2f, 1000.3f, 1000.4f).half();
        assertExactly(DType.FLOAT16, new int[0], new double[]{0.08331298828125}, h.var());
        assertExactly(DType.FLOAT16, new int[0], new double[]{0.28857421875}, h.std());
        assertExactly(DType.FLOAT16, new int[0], new double[]{0.0999755859375}, Tensor.of(0.1f, 0.1f, 0.1f).half().mean());
        Tensor x = Tensor.of(1f, 2f, 3f, 4f);
        assertSameValues(x.softmax(0).bfloat16(), x.bfloat16().softmax(0), 0);
        assertSameValues(x.logSoftmax(0).half(), x.half().logSoftmax(0), 0);
        assertSameValues(x.logsumexp(0).bfloat16(), x.bfloat16().logsumexp(0), 0);
        assertSameValues(x.norm(3).half(), x.half().norm(3), 0);
    }

    @Test void halfReductionGradientsKeepTheHalfType() {
        Tensor h = Tensor.of(1f, 2f, 4f).half().requiresGrad(true);
        h.mean().add(h.softmax(0).select(0, 2)).backward();
        assertEquals(DType.FLOAT16, h.grad().dtype());
        Tensor f = Tensor.of(1f, 2f, 4f).requiresGrad(true);
        f.mean().add(f.softmax(0).select(0, 2)).backward();
        assertSameValues(f.grad(), h.grad(), 1e-3);   // each path rounds its part to float16 before they add
    }

    // ---------------------------------------------------------------- errors

    @Test void dimOutOfRangeNamesTheValidRange() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> m().sum(2));
        assertEquals("dimension out of range (expected to be in range of [-2, 1], but got 2)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m().softmax(-3));
        assertThrows(IndexOutOfBoundsException.class, () -> m().argmax(5));
        assertThrows(IndexOutOfBoundsException.class, () -> m().cumsum(2));
    }

    @Test void repeatedDimsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> m().sum(new int[]{1, -1}, false));
        assertEquals("dim 1 appears multiple times in the list of dims", e.getMessage());
    }

    // ---------------------------------------------------------------- var, std, prod

    @Test void varAndStdWithAndWithoutBesselsCorrection() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0, 4.0);
        assertValues(new double[]{5.0 / 3}, x.var(), 1e-15);
        assertValues(new double[]{1.25}, x.var(null, false, false), 1e-15);
        assertValues(new double[]{Math.sqrt(5.0 / 3)}, x.std(), 1e-15);
        assertValues(new double[]{Math.sqrt(1.25)}, x.std(null, false, false), 1e-15);
        assertValues(new int[]{2}, new double[]{13.0 / 3, 16.0 / 3}, m().var(1), 1e-15);
        assertValues(new int[]{2, 1}, new double[]{26.0 / 9, 32.0 / 9}, m().var(new int[]{-1}, false, true), 1e-15);
        assertValues(new int[]{3}, new double[]{3 * Math.sqrt(2), Math.sqrt(2), 5 / Math.sqrt(2)}, m().std(0), 1e-15);
    }

    @Test void unbiasedVarianceOfOneElementIsNaN() {
        assertValues(new double[]{NAN, NAN}, Tensor.of(2.0, 3.0).view(2, 1).var(1), 0);
        assertValues(new double[]{0}, Tensor.of(new double[]{2.0}).var(null, false, false), 0);
    }

    @Test void prodOverAllDimsAndOneDim() {
        assertValues(new int[0], new double[]{1470}, m().prod(), 0);
        assertValues(new int[]{2}, new double[]{10, 147}, m().prod(1, false), 0);
        assertValues(new int[]{1, 3}, new double[]{7, 15, 14}, m().prod(0, true), 0);
        assertExactly(DType.INT64, new int[0], new double[]{-24}, Tensor.of(1, -2, 3, 4).prod());
    }

    // ---------------------------------------------------------------- max, min, arg

    @Test void maxAndMinOverAllDims() {
        assertValues(new int[0], new double[]{7}, m().max(), 0);
        assertValues(new int[0], new double[]{1}, m().min(), 0);
        assertExactly(DType.INT32, new int[0], new double[]{-3}, Tensor.of(4, -3, 2).min());
    }

    @Test void maxAlongADimGivesValuesAndFirstIndicesOfTies() {
        var r = m().max(1);
        assertValues(new int[]{2}, new double[]{5, 7}, r.values(), 0);
        assertExactly(DType.INT64, new int[]{2}, new double[]{1, 0}, r.indices());
        var k = m().max(-1, true);
        assertValues(new int[]{2, 1}, new double[]{5, 7}, k.values(), 0);
        assertExactly(DType.INT64, new int[]{2, 1}, new double[]{1, 0}, k.indices());
        var mn = Tensor.of(new double[][]{{4, 1, 1}, {2, 2, 9}}).min(0);
        assertValues(new int[]{3}, new double[]{2, 1, 1}, mn.values(), 0);
        assertExactly(DType.INT64, new int[]{3}, new double[]{1, 0, 0}, mn.indices());
    }

    @Test void argmaxAndArgminTiesGoToTheFirstIndex() {
        assertExactly(DType.INT64, new int[0], new double[]{3}, m().argmax());     // flat index of the first 7
        assertExactly(DType.INT64, new int[0], new double[]{0}, m().argmin());
        assertExactly(DType.INT64, new int[]{2}, new double[]{1, 0}, m().argmax(1));
        assertExactly(DType.INT64, new int[]{2, 1}, new double[]{1, 0}, m().argmax(1, true));
        assertExactly(DType.INT64, new int[]{3}, new double[]{0, 1, 0}, m().argmin(0));
        assertExactly(DType.INT64, new int[]{3}, new double[]{1, 0, 1}, m().argmax(-2));
        assertExactly(DType.INT64, new int[0], new double[]{1}, Tensor.of(3L, 9L, 9L, 9L).argmax());
    }

    @Test void argmaxOfInt64IsExactBeyondDoublePrecision() {
        long big = 1L << 53;   // big and big + 1 are the same double
        assertEquals(1L, Tensor.of(big, big + 1, big).argmax().toLongArray()[0]);
        assertEquals(1L, Tensor.of(big + 1, big, big + 1).argmin().toLongArray()[0]);
        Tensor x = Tensor.full(new int[]{3_000_000}, 0L, DType.INT64, dev.gpush.tensor.Device.CPU);
        x.slice(0, 2_500_000, 2_500_001).fill_(7);
        x.slice(0, 400_000, 400_001).fill_(7);
        assertEquals(400_000L, x.argmax().toLongArray()[0]);   // ties across the pieces of a split reduction
        assertEquals(0L, x.argmin().toLongArray()[0]);
    }

    @Test void amaxAndAminReduceOneDim() {
        assertValues(new int[]{2, 1}, new double[]{5, 7}, m().amax(1, true), 0);
        assertValues(new int[]{3}, new double[]{1, 3, 2}, m().amin(0, false), 0);
    }

    @Test void nanPropagatesThroughMaxMinAndSum() {
        Tensor x = Tensor.of(new double[][]{{1, NAN, 3}, {4, 5, 6}});
        assertValues(new double[]{NAN}, x.max(), 0);
        assertValues(new double[]{NAN}, x.min(), 0);
        assertValues(new double[]{NAN}, x.sum(), 0);
        assertValues(new double[]{NAN, 6}, x.amax(1, false), 0);
        assertValues(new double[]{NAN, 4}, x.amin(1, false), 0);
        assertValues(new double[]{NAN, 15}, x.sum(1), 0);
        assertExactly(DType.INT64, new int[]{2}, new double[]{1, 2}, x.argmax(1));
        assertExactly(DType.INT64, new int[]{2}, new double[]{1, 0}, x.argmin(1));
        assertValues(new double[]{NAN, 6}, x.max(1).values(), 0);
    }

    // ---------------------------------------------------------------- norm, logsumexp, softmax

    @Test void normForOneTwoInfinityAndGeneralP() {
        Tensor x = Tensor.of(3.0, -4.0);
        assertValues(new double[]{5}, x.norm(), 1e-15);
        assertValues(new double[]{7}, x.norm(1), 0);
        assertValues(new double[]{4}, x.norm(INF), 0);
        assertValues(new double[]{3}, x.norm(-INF), 0);
        assertValues(new double[]{4.497941445275415}, x.norm(3), 1e-15);
        assertValues(new int[]{2}, new double[]{Math.sqrt(30), Math.sqrt(107)}, m().norm(2, 1, false), 1e-15);
        assertValues(new int[]{1, 3}, new double[]{7, 5, 7}, m().norm(INF, 0, true), 0);
        assertValues(new int[]{2}, new double[]{8, 17}, m().norm(1, -1, false), 0);
    }

    @Test void normWithPZeroCountsTheNonZeros() {
        assertValues(new double[]{2}, Tensor.of(0.0, 3.0, 0.0, -4.0).norm(0), 0);
        assertValues(new int[]{2}, new double[]{1, 2}, Tensor.of(new double[][]{{0, 2}, {1, -1}}).norm(0, 1, false), 0);
    }

    @Test void normOfAnIntegerTensorIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(3L, 4L).norm());
    }

    @Test void logsumexpDoesNotOverflowOrUnderflow() {
        assertValues(new double[]{1000 + Math.log(2)}, Tensor.of(1000.0, 1000.0).logsumexp(0), 1e-15);
        assertValues(new double[]{-1000 + Math.log(2)}, Tensor.of(-1000.0, -1000.0).logsumexp(0), 1e-15);
        assertEquals(1000 + Math.log(2), Tensor.of(1000f, 1000f).logsumexp(0).item(), 1e-4);
        Tensor x = Tensor.of(new double[][]{{0, 1, 2}, {-INF, -INF, -INF}, {INF, 0, 1}});
        assertValues(new int[]{3}, new double[]{2.40760596444438, -INF, INF}, x.logsumexp(1), 1e-15);
        assertValues(new int[]{3, 1}, new double[]{2.40760596444438, -INF, INF}, x.logsumexp(-1, true), 1e-15);
    }

    @Test void softmaxRowsSumToOneAndSurviveLargeInputs() {
        Tensor x = Tensor.of(new double[][]{{1000, 1001, 1002}, {0, 1, 2}, {-1000, -1000, -1000}});
        double[] p = {0.09003057317038046, 0.24472847105479764, 0.6652409557748218};
        assertValues(new int[]{3, 3}, new double[]{p[0], p[1], p[2], p[0], p[1], p[2], 1.0 / 3, 1.0 / 3, 1.0 / 3},
                x.softmax(1), 1e-15);
        assertValues(new double[]{1, 1, 1}, x.softmax(-1).sum(1), 1e-15);
        assertValues(new double[]{1, 1, 1}, randn(40, 4, 3).mul(50).softmax(0).sum(0), 1e-6);
        assertEquals(DType.FLOAT32, Tensor.of(1f, 2f).softmax(0).dtype());
    }

    @Test void logSoftmaxIsLogOfSoftmaxAndStaysFiniteForLargeGaps() {
        Tensor x = randn(41, 3, 5).to(DType.FLOAT64);
        assertSameValues(x.softmax(1).log(), x.logSoftmax(1), 1e-14);
        assertSameValues(x.softmax(0).log(), x.logSoftmax(0), 1e-14);
        // softmax(...).log() would give -inf for the first element
        assertValues(new double[]{-1000, 0}, Tensor.of(0.0, 1000.0).logSoftmax(0), 1e-15);
    }

    // ---------------------------------------------------------------- cumsum, all, any, countNonzero

    @Test void cumsumAlongEachDim() {
        assertValues(new int[]{2, 3}, new double[]{1, 6, 8, 7, 10, 17}, m().cumsum(1), 0);
        assertValues(new int[]{2, 3}, new double[]{1, 5, 2, 8, 8, 9}, m().cumsum(0), 0);
        assertValues(new int[]{2, 3}, new double[]{1, 6, 8, 7, 10, 17}, m().cumsum(-1), 0);
        assertExactly(DType.INT64, new int[]{3}, new double[]{1, 3, 6}, Tensor.of(1, 2, 3).cumsum(0));
        assertExactly(DType.INT64, new int[]{3}, new double[]{1, 1, 2}, Tensor.of(true, false, true).cumsum(0));
    }

    @Test void cumsumOfAStridedInputMatchesAContiguousCopy() {
        Tensor t = m().t();  // [[1, 7], [5, 3], [2, 7]]
        assertValues(new int[]{3, 2}, new double[]{1, 7, 6, 10, 8, 17}, t.cumsum(0), 0);
        Tensor p = randn(42, 3, 4, 5).permute(2, 0, 1);
        assertSameValues(p.contiguous().cumsum(1), p.cumsum(1), 0);
    }

    @Test void allAnyAndCountNonzeroTreatNaNAsTrue() {
        Tensor x = Tensor.of(1.0, 0.0, NAN);
        assertArrayEquals(new boolean[]{false}, x.all().toBooleanArray());
        assertArrayEquals(new boolean[]{true}, x.any().toBooleanArray());
        assertExactly(DType.INT64, new int[0], new double[]{2}, x.countNonzero());
        assertArrayEquals(new boolean[]{true}, Tensor.of(2L, -1L).all().toBooleanArray());
        assertArrayEquals(new boolean[]{false}, Tensor.zeros(2, 2).any().toBooleanArray());
        assertEquals(DType.BOOL, x.all().dtype());
    }

    @Test void anyOfAnEmptyTensorIsFalseAndAllIsTrue() {
        assertEquals(DType.BOOL, Tensor.zeros(0).any().dtype());
        assertArrayEquals(new boolean[]{false}, Tensor.zeros(0).any().toBooleanArray());
        assertArrayEquals(new boolean[]{true}, Tensor.zeros(3, 0).all().toBooleanArray());
        assertEquals(0L, Tensor.zeros(0).countNonzero().toLongArray()[0]);
    }

    // ---------------------------------------------------------------- strided inputs

    @Test void reductionsOfStridedInputsMatchContiguousCopies() {
        Tensor t = randn(43, 6, 9).to(DType.FLOAT64).t();                 // [9, 6], transposed
        Tensor s = randn(44, 8, 10).to(DType.FLOAT64).slice(1, 1, 10, 3); // [8, 3], stepped
        Tensor p = randn(45, 2, 3, 4, 5).to(DType.FLOAT64).permute(3, 1, 0, 2);
        for (Tensor x : new Tensor[]{t, s, p}) {
            Tensor c = x.contiguous();
            assertSameValues(c.sum(0), x.sum(0), 1e-15);
            assertSameValues(c.sum(-1, true), x.sum(-1, true), 1e-15);
            assertSameValues(c.prod(), x.prod(), 1e-15);
            assertSameValues(c.amax(0, false), x.amax(0, false), 0);
            assertSameValues(c.argmin(-1), x.argmin(-1), 0);
            assertSameValues(c.var(0), x.var(0), 1e-14);
            assertSameValues(c.softmax(-1), x.softmax(-1), 1e-15);
            assertSameValues(c.logsumexp(0), x.logsumexp(0), 1e-15);
        }
        assertSameValues(p.contiguous().sum(new int[]{0, 2}, false), p.sum(new int[]{0, 2}, false), 1e-15);
    }

    @Test void reductionsOfExpandedInputsCountEachRepeat() {
        Tensor e = Tensor.of(1.0, 2.0, 3.0).expand(4, 3);
        assertValues(new double[]{4, 8, 12}, e.sum(0), 0);
        assertValues(new double[]{24}, e.sum(), 0);
        assertValues(new double[]{6, 6, 6, 6}, e.prod(1, false), 0);
    }

    // ---------------------------------------------------------------- gradients

    @Test void sumAndMeanGradientsMatchFiniteDifferences() {
        Tensor x = randnLeaf(50, 2, 3, 4);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).sum(), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).sum(1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).sum(new int[]{0, 2}, true), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mean(-1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mean(new int[]{0, 1}, false), x);
    }

    @Test void prodGradientMatchesFiniteDifferencesWithAndWithoutZeros() {
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).prod(), leaf(1.5, -2.0, 0.5, 3.0));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).prod(), leaf(1.5, 0.0, 0.5, 3.0));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).prod(), leaf(0.0, 2.0, 0.0, 3.0));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).prod(1, false), leaf(new int[]{2, 3}, 1, 0, 2, -1, 3, 0.5));
    }

    @Test void prodGradientWithOneZeroIsTheProductOfTheOthers() {
        Tensor x = leaf(2.0, 0.0, 3.0);
        x.prod().backward();
        assertValues(new double[]{0, 6, 0}, x.grad(), 0);
    }

    @Test void stdGradientOfAConstantInputIsZero() {
        // sqrt's rule alone gives 0 * inf = NaN at a zero std; PyTorch defines it as 0
        Tensor x = leaf(new int[]{2, 3}, 2, 2, 2, 1, 2, 4);
        x.std(1).sum().backward();
        double[] g = x.grad().toDoubleArray();
        assertValues(new double[]{0, 0, 0}, x.grad().get(0), 0);
        assertFalse(Double.isNaN(g[3]) || Double.isNaN(g[4]) || Double.isNaN(g[5]));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).std(1), leaf(new int[]{1, 3}, 1, 2, 4));
    }

    @Test void varAndStdGradientsMatchFiniteDifferences() {
        Tensor x = randnLeaf(51, 3, 4);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).var(), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).var(new int[]{1}, false, false), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).std(0), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).std(new int[]{0, 1}, false, true), x);
    }

    @Test void normGradientsMatchFiniteDifferences() {
        Tensor x = leaf(new int[]{2, 3}, 0.5, -1.2, 2.0, -0.7, 1.1, 3.0);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).norm(), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).norm(1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).norm(3), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).norm(1.5, 1, false), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).norm(INF, 0, true), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).norm(2, -1, false), x);
    }

    @Test void normGradientIsZeroAtZeroElementsForPBelowTwo() {
        // sign(x) |x|^(p-1) is 0 at x = 0; x |x|^(p-2) would be 0 * inf = NaN
        for (double p : new double[]{0.5, 1.5}) {
            Tensor x = leaf(0.0, 3.0, -4.0);
            x.norm(p).backward();
            double n = Math.pow(Math.pow(3, p) + Math.pow(4, p), 1 / p);
            assertValues(new double[]{0, Math.pow(3 / n, p - 1), -Math.pow(4 / n, p - 1)}, x.grad(), 1e-14);
        }
        Tensor z = leaf(0.0, 0.0);
        z.norm().backward();
        assertValues(new double[]{0, 0}, z.grad(), 0);
    }

    @Test void amaxGradientSplitsEvenlyAmongTies() {
        Tensor x = leaf(new int[]{2, 3}, 1, 3, 3, 2, 0, 1);
        x.amax(1, false).backward(Tensor.of(1.0, 4.0));
        assertValues(new double[]{0, 0.5, 0.5, 4, 0, 0}, x.grad(), 0);
        Tensor y = leaf(5.0, 1.0, 5.0, 5.0);
        y.max().backward();
        assertValues(new double[]{1.0 / 3, 0, 1.0 / 3, 1.0 / 3}, y.grad(), 1e-15);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).amin(0, false), randnLeaf(52, 3, 4));
    }

    @Test void maxAlongADimSendsTheGradientToTheReturnedIndex() {
        Tensor x = leaf(new int[]{2, 3}, 1, 3, 3, 2, 0, 1);
        x.max(1).values().sum().backward();
        assertValues(new double[]{0, 1, 0, 1, 0, 0}, x.grad(), 0);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).min(0, true).values(), randnLeaf(53, 3, 4));
    }

    @Test void softmaxFamilyGradientsMatchFiniteDifferences() {
        Tensor x = randnLeaf(54, 3, 4);
        Tensor w = randn(55, 3, 4).to(DType.FLOAT64);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).softmax(1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).softmax(0).mul(w).sum(), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).logSoftmax(-1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).logSoftmax(0).mul(w).sum(), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).logsumexp(1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).logsumexp(0, true), x);
    }

    @Test void logsumexpGradientOfLargeInputsIsTheSoftmax() {
        Tensor x = leaf(1000.0, 1001.0, 1002.0);
        x.logsumexp(0).backward();
        assertValues(new double[]{0.09003057317038046, 0.24472847105479764, 0.6652409557748218}, x.grad(), 1e-15);
    }

    @Test void cumsumGradientMatchesFiniteDifferences() {
        Tensor x = randnLeaf(56, 3, 4);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).cumsum(1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).cumsum(0).mul(xs.get(0)), x);
    }

    @Test void secondDerivativesMatchFiniteDifferences() {
        // the backward formulas are tensor ops on recorded outputs, so gradients are differentiable again
        Tensor w = randn(60, 3, 4).to(DType.FLOAT64), v = w.select(1, 0);
        Tensor x = randnLeaf(61, 3, 4);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.softmax(1).mul(w)), x);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.logSoftmax(0).mul(w)), x);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.logsumexp(1).mul(v)), x);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.norm(3, 1, false).mul(v)), x);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.var(1).mul(v)), x);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.prod(1, false).mul(v)), x);
        assertGradientsMatchFiniteDifferences(gradientOf(t -> t.amax(1, false).pow(2)), x);
    }
}
