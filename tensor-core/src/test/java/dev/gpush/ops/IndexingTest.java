package dev.gpush.ops;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gpush.ops.TensorAssert.assertExactly;
import static dev.gpush.ops.TensorAssert.assertGradientsMatchFiniteDifferences;
import static dev.gpush.ops.TensorAssert.assertValues;
import static dev.gpush.ops.TensorAssert.randnLeaf;
import static dev.gpush.tensor.Tensor.arange;
import static org.junit.jupiter.api.Assertions.*;

/** gather, scatter, scatterAdd, indexSelect and indexAdd: values, layouts, dtypes, errors and gradients. */
class IndexingTest {
    private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT64,
            DType.INT32, DType.BOOL};

    private static Tensor m22() { return Tensor.of(new float[][]{{1, 2}, {3, 4}}); }

    private static Tensor idx(long[][] v) { return Tensor.of(v); }

    /** 0, 1, 2, ... in {@code dtype} (bool: i % 2 == 1), shaped. */
    private static Tensor ramp(DType dtype, int... shape) {
        Tensor t = arange(java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y)).view(shape);
        return dtype == DType.BOOL ? t.remainder(2).eq(1) : t.to(dtype);
    }

    /**
     * The inputs of a gradcheck'd function that takes a gradient itself: gradcheck's finite differences call it
     * under noGrad with plain tensors, which then become fresh leaves for the inner gradient.
     */
    private static List<Tensor> differentiable(List<Tensor> xs) {
        return xs.stream().map(x -> x.requiresGrad() ? x : x.detach().requiresGrad(true)).toList();
    }

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable body) {
        return assertThrows(type, body).getMessage();
    }

    // ---------------------------------------------------------------- gather

    @Test void gatherPicksAlongEitherDim() {
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{1, 1, 4, 3}, m22().gather(1, idx(new long[][]{{0, 0}, {1, 0}})));
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{1, 4, 3, 2}, m22().gather(0, idx(new long[][]{{0, 1}, {1, 0}})));
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{2, 1, 4, 3}, m22().gather(-1, idx(new long[][]{{1, 0}, {1, 0}})));
    }

    @Test void gatherTakesAnIndexSmallerThanTheInputInOtherDims() {
        Tensor a = ramp(DType.FLOAT32, 3, 4);
        // one pick per row from the first two rows, as a cross-entropy loss does
        assertExactly(DType.FLOAT32, new int[]{2, 1}, new double[]{3, 5}, a.gather(1, idx(new long[][]{{3}, {1}})));
        // more picks along dim than the input has there
        assertExactly(DType.FLOAT32, new int[]{1, 5}, new double[]{0, 1, 2, 3, 0},
                ramp(DType.FLOAT32, 1, 4).gather(1, idx(new long[][]{{0, 1, 2, 3, 0}})));
    }

    @Test void gatherReadsTransposedAndSlicedViews() {
        Tensor a = ramp(DType.FLOAT64, 4, 3).t();                   // [3, 4]: a[i][j] = 3j + i
        Tensor index = idx(new long[][]{{3, 0, 2}, {1, 1, 0}}).t();  // [3, 2], non-contiguous
        assertFalse(a.isContiguous());
        assertFalse(index.isContiguous());
        // row i picks columns index[i][*]
        assertExactly(DType.FLOAT64, new int[]{3, 2}, new double[]{9, 3, 1, 4, 8, 2}, a.gather(1, index));
        Tensor every2nd = ramp(DType.FLOAT64, 4, 6).slice(1, 1, 6, 2);  // [4, 3]: columns 1, 3, 5
        assertExactly(DType.FLOAT64, new int[]{1, 3}, new double[]{19, 3, 17},
                every2nd.gather(0, idx(new long[][]{{3, 0, 2}})));
    }

    @Test void gatherKeepsEveryDtype() {
        Tensor index = idx(new long[][]{{2, 0}, {1, 1}});
        for (DType dt : ALL) {
            Tensor a = ramp(dt, 2, 3);
            Tensor expected = ramp(DType.FLOAT64, 2, 3).gather(1, index);
            if (dt == DType.BOOL) expected = expected.remainder(2);
            assertExactly(dt, new int[]{2, 2}, expected.toDoubleArray(), a.gather(1, index));
        }
    }

    @Test void gatherAcceptsInt32Indices() {
        Tensor index = idx(new long[][]{{1, 0}, {0, 0}}).to(DType.INT32);
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{2, 1, 3, 3}, m22().gather(1, index));
    }

    @Test void gatherOfLargeStridedTensorsMatchesAPlainLoop() {
        Generator gen = new Generator(7);
        Tensor a = Tensor.randn(gen, 300, 257).t();                        // [257, 300], transposed
        Tensor index = Tensor.randint(gen, 0, 257, 300, 400).t();          // [400, 300]
        float[] av = a.contiguous().toFloatArray();
        long[] iv = index.contiguous().toLongArray();
        float[] want = new float[400 * 300];
        for (int i = 0; i < 400; i++)
            for (int j = 0; j < 300; j++) want[i * 300 + j] = av[(int) iv[i * 300 + j] * 300 + j];
        assertArrayEquals(want, a.gather(0, index).toFloatArray());
        // along the last dim too
        Tensor index1 = Tensor.randint(gen, 0, 300, 257, 90);
        long[] jv = index1.toLongArray();
        float[] want1 = new float[257 * 90];
        for (int i = 0; i < 257; i++)
            for (int j = 0; j < 90; j++) want1[i * 90 + j] = av[i * 300 + (int) jv[i * 90 + j]];
        assertArrayEquals(want1, a.gather(1, index1).toFloatArray());
    }

    @Test void gatherOfZeroDimTensorsReadsTheOnlyElement() {
        Tensor r = Tensor.scalar(5.0).gather(0, Tensor.scalar(0L));
        assertExactly(DType.FLOAT32, new int[0], new double[]{5}, r);
    }

    @Test void gatherRejectsOutOfRangeIndexWithTheBound() {
        assertEquals("index 2 is out of bounds for dimension 1 with size 2",
                message(IndexOutOfBoundsException.class, () -> m22().gather(1, idx(new long[][]{{0, 2}}))));
        assertEquals("index -1 is out of bounds for dimension 0 with size 2",
                message(IndexOutOfBoundsException.class, () -> m22().gather(0, idx(new long[][]{{0, -1}}))));
        // on the parallel path too, the message comes through intact
        Tensor big = Tensor.zeros(1000, 100);
        Tensor bad = Tensor.zeros(DType.INT64, 1000, 100).indexAdd(0, Tensor.of(999L), Tensor.full(new int[]{1, 100}, 1000L));
        assertEquals("index 1000 is out of bounds for dimension 0 with size 1000",
                message(IndexOutOfBoundsException.class, () -> big.gather(0, bad)));
    }

    @Test void gatherRejectsNonIntegerIndexNamingTheDtype() {
        assertEquals("gather: expected an int64 or int32 index tensor, got float32",
                message(IllegalArgumentException.class, () -> m22().gather(0, Tensor.zeros(2, 2))));
    }

    @Test void gatherRejectsMismatchedShapesNamingThem() {
        String m = message(IllegalArgumentException.class, () -> m22().gather(0, Tensor.zeros(DType.INT64, 1, 3)));
        assertEquals("gather: size does not match at dimension 1: expected index [1, 3] to be no larger than input "
                + "[2, 2] apart from dimension 0", m);
        m = message(IllegalArgumentException.class, () -> m22().gather(0, Tensor.zeros(DType.INT64, 2)));
        assertTrue(m.contains("same number of dimensions") && m.contains("[2]") && m.contains("[2, 2]"), m);
        assertThrows(IndexOutOfBoundsException.class, () -> m22().gather(2, Tensor.zeros(DType.INT64, 2, 2)));
    }

    @Test void gatherGradientMatchesFiniteDifferences() {
        Tensor index = idx(new long[][]{{0, 2, 2}, {1, 1, 0}});   // repeats add up
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).gather(1, index).mul(arange(6).view(2, 3).double_()).sum(),
                randnLeaf(1, 2, 4));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).t().gather(0, index).pow(2).sum(), randnLeaf(2, 3, 3));
    }

    @Test void gatherGradientIsItselfDifferentiable() {
        Tensor index = idx(new long[][]{{0, 2}, {1, 1}});
        // d/dx of sum(gather(x)^3) is 3 gather(x)^2 scattered back: its own gradient goes through scatterAdd's
        assertGradientsMatchFiniteDifferences(xs -> {
            List<Tensor> x = differentiable(xs);
            try (var on = Autograd.enableGrad()) {
                return Autograd.grad(x.get(0).gather(1, index).pow(3).sum(), x, true).getFirst();
            }
        }, randnLeaf(3, 2, 3));
    }

    // ---------------------------------------------------------------- scatter and scatterAdd

    @Test void scatterWritesSrcWhereTheIndexPoints() {
        // the examples of torch.Tensor.scatter_
        Tensor src = arange(1, 11).view(2, 5).to(DType.FLOAT32);
        assertExactly(DType.FLOAT32, new int[]{3, 5}, new double[]{1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0},
                Tensor.zeros(3, 5).scatter(0, idx(new long[][]{{0, 1, 2, 0}}), src));
        assertExactly(DType.FLOAT32, new int[]{3, 5}, new double[]{1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0},
                Tensor.zeros(3, 5).scatter(1, idx(new long[][]{{0, 1, 2}, {0, 1, 4}}), src));
    }

    @Test void scatterLeavesItsInputUnchanged() {
        Tensor a = Tensor.zeros(2, 2);
        Tensor r = a.scatter(1, idx(new long[][]{{1}, {0}}), 7);
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{0, 7, 7, 0}, r);
        assertArrayEquals(new float[4], a.toFloatArray());
    }

    @Test void scatterOfANumberKeepsTheDtype() {
        Tensor r = Tensor.zeros(DType.INT32, 2, 3).scatter(1, idx(new long[][]{{2}, {0}}), 9);
        assertExactly(DType.INT32, new int[]{2, 3}, new double[]{0, 0, 9, 9, 0, 0}, r);
        Tensor b = Tensor.zeros(DType.BOOL, 3).scatter(0, Tensor.of(1L), 1);
        assertArrayEquals(new boolean[]{false, true, false}, b.toBooleanArray());
    }

    @Test void scatterIntoAndFromStridedViews() {
        Tensor a = ramp(DType.FLOAT64, 3, 4).t();                     // [4, 3]
        Tensor src = ramp(DType.FLOAT64, 3, 2).mul(-1).t();           // [2, 3]: src[i][j] = -(2j + i)
        Tensor index = idx(new long[][]{{1, 3}, {0, 2}, {3, 3}}).t();  // [2, 3], within dims 0 and 1 of a
        // column j of the result gets src[i][j] at row index[i][j]; a duplicate (3, 3) keeps the later write
        Tensor r = a.scatter(0, index, src);
        assertExactly(DType.FLOAT64, new int[]{4, 3}, new double[]{0, -2, 8, 0, 5, 9, 2, -3, 10, -1, 7, -5}, r);
    }

    @Test void scatterAddAccumulatesRepeatedIndices() {
        Tensor r = Tensor.ones(5).scatterAdd(0, Tensor.of(0L, 1L, 0L, 0L), Tensor.of(1f, 2f, 3f, 4f));
        assertExactly(DType.FLOAT32, new int[]{5}, new double[]{9, 3, 1, 1, 1}, r);
        Tensor h = Tensor.ones(5).half().scatterAdd(0, Tensor.of(4L, 4L), Tensor.of(0.5f, 0.25f).half());
        assertExactly(DType.FLOAT16, new int[]{5}, new double[]{1, 1, 1, 1, 1.75}, h);
        Tensor i = Tensor.zeros(DType.INT64, 2).scatterAdd(0, Tensor.of(1, 1, 1), Tensor.of(5L, 6L, 7L));
        assertExactly(DType.INT64, new int[]{2}, new double[]{0, 18}, i);
    }

    @Test void scatterAddOfManyRepeatsMatchesAPlainLoop() {
        Generator gen = new Generator(11);
        int rows = 2000, width = 300, targets = 7;
        // integer values in float64, so every summation order gives the same sums
        Tensor src = Tensor.randint(gen, -50, 50, rows, width).double_();
        Tensor index = Tensor.randint(gen, 0, targets, rows, width);
        double[] sv = src.toDoubleArray();
        long[] iv = index.toLongArray();
        double[] want = new double[targets * width];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < width; j++) want[(int) iv[i * width + j] * width + j] += sv[i * width + j];
        assertArrayEquals(want, Tensor.zeros(new int[]{targets, width}, DType.FLOAT64, dev.gpush.tensor.Device.CPU)
                .scatterAdd(0, index, src).toDoubleArray());
        // transposed: the repeats now run along the last dim
        double[] wantT = Tensor.of(want).view(targets, width).t().contiguous().toDoubleArray();
        Tensor r = Tensor.zeros(new int[]{width, targets}, DType.FLOAT64, dev.gpush.tensor.Device.CPU)
                .scatterAdd(1, index.t(), src.t());
        assertArrayEquals(wantT, r.toDoubleArray());
    }

    @Test void scatterReadsOnlyTheIndexExtentOfALargerSrc() {
        Tensor src = ramp(DType.FLOAT32, 3, 3).add(1);
        Tensor r = Tensor.zeros(2, 3).scatter(0, idx(new long[][]{{1, 0}}), src);
        assertExactly(DType.FLOAT32, new int[]{2, 3}, new double[]{0, 2, 0, 1, 0, 0}, r);
    }

    @Test void scatterRejectsBadArgumentsNamingThem() {
        Tensor a = Tensor.zeros(2, 3);
        assertEquals("index 3 is out of bounds for dimension 1 with size 3",
                message(IndexOutOfBoundsException.class, () -> a.scatter(1, idx(new long[][]{{3}}), Tensor.ones(1, 1))));
        assertEquals("scatter: expected src to have the dtype of self (float32), got float64",
                message(IllegalArgumentException.class, () -> a.scatter(1, idx(new long[][]{{0}}), Tensor.ones(1, 1).double_())));
        assertEquals("scatterAdd: expected index [1, 2] to be no larger than self [2, 3] apart from dimension 1 and "
                        + "no larger than src [1, 1] (dimension 1)",
                message(IllegalArgumentException.class, () -> a.scatterAdd(1, idx(new long[][]{{0, 1}}), Tensor.ones(1, 1))));
        assertEquals("scatter: expected an int64 or int32 index tensor, got bool",
                message(IllegalArgumentException.class, () -> a.scatter(0, Tensor.zeros(DType.BOOL, 1, 1), Tensor.ones(1, 1))));
        String m = message(IllegalArgumentException.class, () -> a.scatter(0, Tensor.zeros(DType.INT64, 2), Tensor.ones(2)));
        assertTrue(m.contains("same number of dimensions") && m.contains("[2, 3]"), m);
    }

    @Test void scatterGradientMatchesFiniteDifferences() {
        Tensor index = idx(new long[][]{{2, 0}, {1, 3}});   // no repeats: with repeats only the last write counts
        Tensor w = arange(8).view(2, 4).double_();
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).scatter(1, index, xs.get(1)).mul(w).sum(),
                randnLeaf(4, 2, 4), randnLeaf(5, 2, 2));
        // src larger than index: its unread elements get zero gradient
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).scatter(1, index, xs.get(1)).pow(2).sum(),
                randnLeaf(6, 2, 4), randnLeaf(7, 3, 3));
    }

    @Test void scatterAddGradientMatchesFiniteDifferences() {
        Tensor index = idx(new long[][]{{0, 0, 1}, {2, 0, 2}});
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).scatterAdd(0, index, xs.get(1)).pow(2).sum(),
                randnLeaf(8, 3, 3), randnLeaf(9, 2, 3));
    }

    // ---------------------------------------------------------------- indexSelect

    @Test void indexSelectPicksWholeSlices() {
        Tensor a = ramp(DType.FLOAT32, 3, 4);
        Tensor rows = a.indexSelect(0, Tensor.of(2L, 0L, 2L));
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, rows);
        Tensor cols = a.indexSelect(1, Tensor.of(3, 1));   // int32 index
        assertExactly(DType.FLOAT32, new int[]{3, 2}, new double[]{3, 1, 7, 5, 11, 9}, cols);
        assertExactly(DType.FLOAT32, new int[]{3, 1}, new double[]{1, 5, 9}, a.indexSelect(-1, Tensor.scalar(1L)));
        assertArrayEquals(new int[]{0, 4}, a.indexSelect(0, Tensor.zeros(DType.INT64, 0)).shape());
    }

    @Test void indexSelectReadsTransposedAndSlicedViews() {
        Tensor a = ramp(DType.FLOAT64, 2, 3, 4).permute(2, 0, 1);     // [4, 2, 3]: a[i][j][k] = 12j + 4k + i
        Tensor index = Tensor.of(3L, 0L, 3L, 1L, 9L).slice(0, 0, 4, 2); // [3, 3]
        Tensor r = a.indexSelect(0, index);
        assertExactly(DType.FLOAT64, new int[]{2, 2, 3}, new double[]{3, 7, 11, 15, 19, 23, 3, 7, 11, 15, 19, 23}, r);
        Tensor s = a.indexSelect(2, Tensor.of(2L, 0L));
        assertExactly(DType.FLOAT64, new int[]{4, 2, 2}, new double[]{8, 0, 20, 12, 9, 1, 21, 13, 10, 2, 22, 14, 11, 3, 23, 15}, s);
    }

    @Test void indexSelectKeepsEveryDtype() {
        Tensor index = Tensor.of(1L, 1L, 0L);
        for (DType dt : ALL) {
            Tensor expected = ramp(DType.FLOAT64, 2, 3).indexSelect(0, index);
            Tensor expectedT = ramp(DType.FLOAT64, 3, 2).t().indexSelect(0, index);
            if (dt == DType.BOOL) {
                expected = expected.remainder(2);
                expectedT = expectedT.remainder(2);
            }
            assertExactly(dt, new int[]{3, 3}, expected.toDoubleArray(), ramp(dt, 2, 3).indexSelect(0, index));
            assertExactly(dt, new int[]{3, 3}, expectedT.toDoubleArray(), ramp(dt, 3, 2).t().indexSelect(0, index));
        }
    }

    @Test void indexSelectOfEmbeddingRowsMatchesSelect() {
        Generator gen = new Generator(3);
        for (int width : new int[]{256, 1500, 4096}) {
            Tensor table = Tensor.randn(gen, 500, width);
            Tensor tokens = Tensor.randint(gen, 0, 500, 8, 64);
            Tensor rows = table.indexSelect(0, tokens.reshape(-1)).view(8, 64, width);
            long[] t = tokens.toLongArray();
            for (int k : new int[]{0, 1, 137, 511}) {
                assertArrayEquals(table.get((int) t[k]).toFloatArray(), rows.get(k / 64).get(k % 64).toFloatArray());
            }
            // the same rows from a table in another dtype and from a non-contiguous table
            assertArrayEquals(rows.toFloatArray(), table.double_().indexSelect(0, tokens.reshape(-1)).view(8, 64, width).toFloatArray());
            Tensor wide = Tensor.cat(1, table, table);
            assertArrayEquals(rows.toFloatArray(), wide.narrow(1, width, width).indexSelect(0, tokens.reshape(-1)).view(8, 64, width).toFloatArray());
        }
    }

    @Test void indexSelectOfAZeroDimTensorTakesOneIndex() {
        assertExactly(DType.FLOAT32, new int[0], new double[]{5}, Tensor.scalar(5.0).indexSelect(0, Tensor.of(0L)));
        assertEquals("indexSelect: index to a 0-d tensor can have only 1 value, got 2",
                message(IllegalArgumentException.class, () -> Tensor.scalar(5.0).indexSelect(0, Tensor.of(0L, 0L))));
    }

    @Test void indexSelectRejectsOutOfRangeIndexWithTheBound() {
        Tensor a = Tensor.zeros(3, 2);
        assertEquals("index 3 is out of bounds for dimension 0 with size 3",
                message(IndexOutOfBoundsException.class, () -> a.indexSelect(0, Tensor.of(0L, 3L))));
        assertEquals("index -1 is out of bounds for dimension 1 with size 2",
                message(IndexOutOfBoundsException.class, () -> a.indexSelect(1, Tensor.of(-1L))));
        assertEquals("indexSelect: index is supposed to be a vector (0-d or 1-d), got shape [1, 1]",
                message(IllegalArgumentException.class, () -> a.indexSelect(0, Tensor.zeros(DType.INT64, 1, 1))));
        assertEquals("indexSelect: expected an int64 or int32 index tensor, got float64",
                message(IllegalArgumentException.class, () -> a.indexSelect(0, Tensor.of(new double[]{0}))));
    }

    @Test void indexSelectGradientMatchesFiniteDifferences() {
        Tensor index = Tensor.of(2L, 0L, 2L, 2L);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).indexSelect(0, index).pow(2).sum(), randnLeaf(10, 3, 2));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).t().indexSelect(1, index).mul(arange(8).view(2, 4).double_()).sum(),
                randnLeaf(11, 3, 2));
    }

    // ---------------------------------------------------------------- indexAdd

    @Test void indexAddAddsSlicesAndAccumulatesRepeats() {
        // the example of torch.Tensor.index_add_
        Tensor t = Tensor.ones(5, 3);
        Tensor src = arange(1, 10).view(3, 3).to(DType.FLOAT32);
        assertExactly(DType.FLOAT32, new int[]{5, 3}, new double[]{2, 3, 4, 1, 1, 1, 8, 9, 10, 1, 1, 1, 5, 6, 7},
                t.indexAdd(0, Tensor.of(0L, 4L, 2L), src));
        assertArrayEquals(new float[15], t.sub(1).toFloatArray(), "the input is unchanged");
        Tensor rep = Tensor.zeros(2, 3).indexAdd(1, Tensor.of(2, 2, 0), Tensor.ones(2, 3));
        assertExactly(DType.FLOAT32, new int[]{2, 3}, new double[]{1, 0, 2, 1, 0, 2}, rep);
    }

    @Test void indexAddOnStridedViewsAndOtherDtypes() {
        Tensor a = ramp(DType.INT64, 3, 2).t();          // [2, 3]
        Tensor src = ramp(DType.INT64, 2, 2).t().mul(10); // [2, 2]: src[i][j] = 10(2j + i)
        assertExactly(DType.INT64, new int[]{2, 3}, new double[]{20, 2, 4, 31, 3, 15},
                a.indexAdd(1, Tensor.of(2L, 0L), src));
        Tensor b = Tensor.zeros(3, 2).bfloat16().indexAdd(0, Tensor.of(1L, 1L), Tensor.ones(2, 2).bfloat16());
        assertExactly(DType.BFLOAT16, new int[]{3, 2}, new double[]{0, 0, 2, 2, 0, 0}, b);
    }

    @Test void indexAddOfManyRepeatedRowsMatchesAPlainLoop() {
        Generator gen = new Generator(5);
        int vocab = 50, tokens = 3000, width = 320;
        Tensor grads = Tensor.randint(gen, -20, 20, tokens, width).double_();
        Tensor index = Tensor.randint(gen, 0, vocab, tokens);
        double[] gv = grads.toDoubleArray();
        long[] iv = index.toLongArray();
        double[] want = new double[vocab * width];
        for (int i = 0; i < tokens; i++)
            for (int j = 0; j < width; j++) want[(int) iv[i] * width + j] += gv[i * width + j];
        Tensor table = Tensor.zeros(new int[]{vocab, width}, DType.FLOAT64, dev.gpush.tensor.Device.CPU);
        assertArrayEquals(want, table.indexAdd(0, index, grads).toDoubleArray());
        Tensor r = table.t().indexAdd(1, index, grads.t());
        assertArrayEquals(want, r.t().contiguous().toDoubleArray());
    }

    @Test void indexAddRejectsBadArgumentsNamingThem() {
        Tensor a = Tensor.zeros(3, 2);
        assertEquals("indexAdd: number of indices (2) should be equal to source.size(0) (3)",
                message(IllegalArgumentException.class, () -> a.indexAdd(0, Tensor.of(0L, 1L), Tensor.ones(3, 2))));
        assertEquals("indexAdd: source shape must match self shape except in dimension 0, got self of shape [3, 2] "
                        + "and source of shape [1, 3]",
                message(IllegalArgumentException.class, () -> a.indexAdd(0, Tensor.of(0L), Tensor.ones(1, 3))));
        assertEquals("indexAdd: self (float32) and source (int64) must have the same dtype",
                message(IllegalArgumentException.class, () -> a.indexAdd(0, Tensor.of(0L), Tensor.zeros(DType.INT64, 1, 2))));
        assertEquals("index 3 is out of bounds for dimension 0 with size 3",
                message(IndexOutOfBoundsException.class, () -> a.indexAdd(0, Tensor.of(3L), Tensor.ones(1, 2))));
    }

    @Test void indexAddGradientMatchesFiniteDifferences() {
        Tensor index = Tensor.of(1L, 0L, 1L);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).indexAdd(1, index, xs.get(1)).pow(2).sum(),
                randnLeaf(12, 2, 3), randnLeaf(13, 2, 3));
    }

    @Test void indexAddGradientIsItselfDifferentiable() {
        Tensor index = Tensor.of(1L, 1L);
        assertGradientsMatchFiniteDifferences(xs -> {
            List<Tensor> x = differentiable(xs);
            try (var on = Autograd.enableGrad()) {
                List<Tensor> g = Autograd.grad(x.get(0).indexAdd(0, index, x.get(1)).pow(3).sum(), x, true);
                return g.get(0).sum().add(g.get(1).mul(g.get(1)).sum());
            }
        }, randnLeaf(14, 3, 2), randnLeaf(15, 2, 2));
    }
}
