package dev.gpush.ops;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.gpush.ops.TensorAssert.assertExactly;
import static dev.gpush.ops.TensorAssert.assertGradientsMatchFiniteDifferences;
import static dev.gpush.ops.TensorAssert.randnLeaf;
import static dev.gpush.tensor.Tensor.arange;
import static org.junit.jupiter.api.Assertions.*;

/** Masks, advanced indexing {@code x[idx]}, nonzero, tril/triu and oneHot: values, layouts, errors, gradients. */
class IndexingMaskTest {
    private static Tensor ramp(int... shape) {
        return arange(java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y)).view(shape).to(DType.FLOAT32);
    }

    private static Tensor mask(boolean[][] v) { return Tensor.of(v); }

    private static String message(Class<? extends Throwable> type, Executable body) {
        return assertThrows(type, body).getMessage();
    }

    // ---------------------------------------------------------------- maskedFill

    @Test void maskedFillSetsTheValueWhereTheMaskIsTrue() {
        Tensor m = mask(new boolean[][]{{true, false, false}, {false, false, true}});
        assertExactly(DType.FLOAT32, new int[]{2, 3}, new double[]{-1, 1, 2, 3, 4, -1}, ramp(2, 3).maskedFill(m, -1));
        // a row mask broadcasts over the rows; a transposed input is read through its strides
        Tensor row = Tensor.of(false, true);
        assertExactly(DType.FLOAT32, new int[]{3, 2}, new double[]{0, 9, 1, 9, 2, 9}, ramp(2, 3).t().maskedFill(row, 9));
    }

    @Test void maskedFillKeepsTheInputDtype() {
        Tensor m = Tensor.of(true, false);
        assertExactly(DType.INT64, new int[]{2}, new double[]{2, 1}, Tensor.of(0L, 1L).maskedFill(m, 2.7));
        assertExactly(DType.FLOAT16, new int[]{2}, new double[]{0.5, 1}, Tensor.of(0f, 1f).half().maskedFill(m, 0.5));
        assertArrayEquals(new boolean[]{true, false}, Tensor.of(false, false).maskedFill(m, 1).toBooleanArray());
    }

    @Test void maskedFillInPlaceWritesIntoTheTensor() {
        Tensor a = ramp(2, 2);
        a.maskedFill_(Tensor.of(true, false), 5);
        assertArrayEquals(new float[]{5, 1, 5, 3}, a.toFloatArray());
    }

    @Test void maskedFillRejectsANonBoolMaskAndAMaskThatDoesNotBroadcast() {
        assertEquals("maskedFill: expected a bool mask, got int64",
                message(IllegalArgumentException.class, () -> ramp(2, 2).maskedFill(Tensor.of(1L, 0L), 0)));
        String m = message(IllegalArgumentException.class, () -> ramp(2, 2).maskedFill(Tensor.of(true, false, true), 0));
        assertTrue(m.startsWith("maskedFill: the mask of shape [3] does not broadcast with the tensor of shape [2, 2]"), m);
    }

    @Test void maskedFillGradientIsZeroWhereFilled() {
        Tensor m = mask(new boolean[][]{{true, false, true}, {false, false, true}});
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).maskedFill(m, 3.0).pow(2).sum(), randnLeaf(1, 2, 3));
        Tensor x = randnLeaf(2, 2, 3);
        x.maskedFill(m, 0.0).sum().backward();
        assertArrayEquals(new double[]{0, 1, 0, 1, 1, 0}, x.grad().toDoubleArray());
    }

    // ---------------------------------------------------------------- maskedSelect

    @Test void maskedSelectReturnsTheSelectedElementsInRowMajorOrder() {
        Tensor m = mask(new boolean[][]{{false, true, true}, {true, false, true}});
        assertExactly(DType.FLOAT32, new int[]{4}, new double[]{1, 2, 3, 5}, ramp(2, 3).maskedSelect(m));
        // broadcast both ways: a column [2, 1] against a row mask [3]
        Tensor col = Tensor.of(new float[][]{{10}, {20}});
        assertExactly(DType.FLOAT32, new int[]{4}, new double[]{10, 10, 20, 20}, col.maskedSelect(Tensor.of(true, false, true)));
        assertExactly(DType.FLOAT32, new int[]{0}, new double[0], ramp(2, 3).maskedSelect(Tensor.of(false)));
        assertExactly(DType.INT32, new int[]{2}, new double[]{4, 2}, Tensor.of(4, 3, 2).maskedSelect(Tensor.of(true, false, true)));
    }

    @Test void maskedSelectReadsTransposedViews() {
        Tensor m = mask(new boolean[][]{{true, false}, {false, true}, {true, true}});
        assertExactly(DType.FLOAT32, new int[]{4}, new double[]{0, 4, 2, 5}, ramp(2, 3).t().maskedSelect(m));
    }

    @Test void maskedSelectRejectsANonBoolMask() {
        assertEquals("maskedSelect: expected a bool mask, got float32",
                message(IllegalArgumentException.class, () -> ramp(2).maskedSelect(Tensor.ones(2))));
    }

    @Test void maskedSelectGradientMatchesFiniteDifferences() {
        Tensor m = mask(new boolean[][]{{false, true, true}, {true, false, true}});
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).maskedSelect(m).pow(2).mul(arange(4).double_()).sum(),
                randnLeaf(3, 2, 3));
        // a broadcast input collects the gradient of each of its copies
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).maskedSelect(m).pow(2).sum(), randnLeaf(4, 3));
    }

    // ---------------------------------------------------------------- index: x[idx]

    @Test void indexWithAnIntegerTensorPicksRowsInTheIndexShape() {
        Tensor a = ramp(4, 2);
        Tensor r = a.index(Tensor.of(new long[][]{{3, 0}, {1, 1}, {0, 2}}));
        assertExactly(DType.FLOAT32, new int[]{3, 2, 2}, new double[]{6, 7, 0, 1, 2, 3, 2, 3, 0, 1, 4, 5}, r);
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{4, 5}, a.index(Tensor.scalar(2L)));
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{2, 0}, ramp(4).index(Tensor.of(2, 0)));
    }

    @Test void indexCountsNegativeIndicesFromTheEnd() {
        Tensor a = ramp(4, 2);
        assertExactly(DType.FLOAT32, new int[]{3, 2}, new double[]{6, 7, 0, 1, 2, 3}, a.index(Tensor.of(-1L, -4L, 1L)));
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{3, 1}, ramp(4).index(Tensor.of(-1, -3)));
    }

    @Test void indexOfAnEmbeddingTableByTokenIdsMatchesIndexSelect() {
        Generator gen = new Generator(9);
        Tensor table = Tensor.randn(gen, 100, 64);
        Tensor tokens = Tensor.randint(gen, 0, 100, 4, 16);
        Tensor e = table.index(tokens);
        assertArrayEquals(new int[]{4, 16, 64}, e.shape());
        assertArrayEquals(table.indexSelect(0, tokens.reshape(-1)).toFloatArray(), e.toFloatArray());
        assertArrayEquals(table.t().contiguous().t().index(tokens).toFloatArray(), e.toFloatArray());
    }

    @Test void indexRejectsOutOfRangeIndicesWithTheBound() {
        Tensor a = ramp(3, 2);
        assertEquals("index 3 is out of bounds for dimension 0 with size 3",
                message(IndexOutOfBoundsException.class, () -> a.index(Tensor.of(0L, 3L))));
        assertEquals("index -4 is out of bounds for dimension 0 with size 3",
                message(IndexOutOfBoundsException.class, () -> a.index(Tensor.of(-4L, 1L))));
        assertEquals("index: tensors used as indices must be int64, int32 or bool tensors, got float32",
                message(IllegalArgumentException.class, () -> a.index(Tensor.of(0f))));
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.scalar(1.0).index(Tensor.of(0L)));
    }

    @Test void indexWithABoolMaskSelectsLikeMaskedSelect() {
        Tensor a = ramp(2, 3);
        Tensor m = mask(new boolean[][]{{true, false, true}, {false, true, false}});
        assertExactly(DType.FLOAT32, new int[]{3}, new double[]{0, 2, 4}, a.index(m));
        // a mask over the leading dim selects whole rows
        assertExactly(DType.FLOAT32, new int[]{1, 3}, new double[]{3, 4, 5}, a.index(Tensor.of(false, true)));
        // a mask over the two leading dims of a 3-d tensor selects vectors: a[0][0] and a[1][1]
        Tensor diag = mask(new boolean[][]{{true, false}, {false, true}});
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{0, 1, 6, 7}, ramp(2, 2, 2).index(diag));
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{0, 1, 6, 7}, ramp(2, 2, 2).permute(1, 0, 2).index(diag));
    }

    @Test void indexRejectsAMaskOfTheWrongShape() {
        String m = message(IndexOutOfBoundsException.class, () -> ramp(2, 3).index(Tensor.of(true, false, true)));
        assertEquals("index: the shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] at index 0", m);
        assertThrows(IndexOutOfBoundsException.class, () -> ramp(2).index(mask(new boolean[][]{{true}, {false}})));
    }

    @Test void indexGradientMatchesFiniteDifferences() {
        Tensor idx = Tensor.of(new long[][]{{2, -1}, {0, 2}});   // 2 and -1 name the same row
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).index(idx).pow(2).sum(), randnLeaf(5, 3, 2));
        Tensor m = mask(new boolean[][]{{true, false}, {true, true}, {false, true}});
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).index(m).pow(3).sum(), randnLeaf(6, 3, 2));
    }

    // ---------------------------------------------------------------- nonzero

    @Test void nonzeroListsPositionsInRowMajorOrder() {
        Tensor a = Tensor.of(new float[][]{{0, 1.5f, 0}, {-2, 0, 3}});
        assertExactly(DType.INT64, new int[]{3, 2}, new double[]{0, 1, 1, 0, 1, 2}, a.nonzero());
        assertExactly(DType.INT64, new int[]{3, 2}, new double[]{0, 1, 1, 0, 2, 1}, a.t().nonzero());
        assertExactly(DType.INT64, new int[]{2, 1}, new double[]{0, 2}, Tensor.of(true, false, true).nonzero());
        assertExactly(DType.INT64, new int[]{1, 1}, new double[]{1}, Tensor.of(0, 7).nonzero());
    }

    @Test void nonzeroCountsNanButNotNegativeZero() {
        assertExactly(DType.INT64, new int[]{1, 1}, new double[]{1}, Tensor.of(-0.0, Double.NaN).nonzero());
    }

    @Test void nonzeroOfZeroDimAndEmptyTensors() {
        assertArrayEquals(new int[]{1, 0}, Tensor.scalar(3.0).nonzero().shape());
        assertArrayEquals(new int[]{0, 0}, Tensor.scalar(0.0).nonzero().shape());
        assertArrayEquals(new int[]{0, 2}, Tensor.zeros(0, 3).nonzero().shape());
        assertArrayEquals(new int[]{0, 2}, Tensor.zeros(4, 3).nonzero().shape());
    }

    @Test void nonzeroOfALargeStridedTensorMatchesAPlainLoop() {
        Tensor a = Tensor.rand(new Generator(12), 310, 400).gt(0.7).t();   // [400, 310]
        boolean[] v = a.contiguous().toBooleanArray();
        long[] want = java.util.stream.IntStream.range(0, v.length).filter(i -> v[i])
                .flatMap(i -> java.util.stream.IntStream.of(i / 310, i % 310)).asLongStream().toArray();
        Tensor nz = a.nonzero();
        assertArrayEquals(new int[]{want.length / 2, 2}, nz.shape());
        assertArrayEquals(want, nz.toLongArray());
    }

    // ---------------------------------------------------------------- tril and triu

    @Test void trilAndTriuKeepTheirTriangle() {
        Tensor a = ramp(3, 4).add(1);
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0}, a.tril());
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{1, 2, 0, 0, 5, 6, 7, 0, 9, 10, 11, 12}, a.tril(1));
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0}, a.tril(-1));
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12}, a.triu());
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12}, a.triu(1));
        assertExactly(DType.FLOAT32, new int[]{3, 4}, new double[]{1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12}, a.triu(-1));
    }

    @Test void trilWorksOnBatchesTransposesAndOtherDtypes() {
        Tensor b = ramp(2, 2, 2).add(1);
        assertExactly(DType.FLOAT32, new int[]{2, 2, 2}, new double[]{1, 0, 3, 4, 5, 0, 7, 8}, b.tril());
        assertExactly(DType.FLOAT32, new int[]{2, 2}, new double[]{1, 0, 2, 4}, ramp(2, 2).add(1).t().tril());
        assertExactly(DType.INT64, new int[]{2, 2}, new double[]{1, 1, 0, 1}, Tensor.ones(DType.INT64, 2, 2).triu());
        assertArrayEquals(new boolean[]{true, false, true, true}, Tensor.ones(DType.BOOL, 2, 2).tril().toBooleanArray());
    }

    @Test void trilRejectsFewerThanTwoDims() {
        assertEquals("tril: input tensor must have at least 2 dimensions, got shape [3]",
                message(IllegalArgumentException.class, () -> ramp(3).tril()));
    }

    @Test void trilAndTriuGradientsApplyTheSameMask() {
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).tril(-1).pow(2).sum(), randnLeaf(7, 2, 3, 3));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).triu(1).pow(2).sum(), randnLeaf(8, 3, 4));
    }

    // ---------------------------------------------------------------- oneHot

    @Test void oneHotAddsALastDimOfClasses() {
        assertExactly(DType.INT64, new int[]{3, 4}, new double[]{0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0},
                Tensor.of(1L, 3L, 0L).oneHot(4));
        assertExactly(DType.INT64, new int[]{2, 1, 3}, new double[]{0, 0, 1, 0, 1, 0},
                Tensor.of(new long[][]{{2}, {1}}).oneHot(-1));
        assertExactly(DType.INT64, new int[]{2}, new double[]{0, 1}, Tensor.scalar(1L).oneHot(2));
        Tensor transposed = Tensor.of(new long[][]{{0, 2}, {1, 0}}).t();   // [[0, 1], [2, 0]]
        assertExactly(DType.INT64, new int[]{2, 2, 3}, new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0},
                transposed.oneHot(3));
    }

    @Test void oneHotRejectsBadClassValuesNamingThem() {
        assertEquals("oneHot: class values must be non-negative, got -1",
                message(IllegalArgumentException.class, () -> Tensor.of(0L, -1L).oneHot(3)));
        assertEquals("oneHot: class values must be smaller than numClasses (3), got 3",
                message(IllegalArgumentException.class, () -> Tensor.of(3L).oneHot(3)));
        assertEquals("oneHot: expected an int64 tensor of class values, got int32",
                message(IllegalArgumentException.class, () -> Tensor.of(1, 2).oneHot(3)));
        assertTrue(message(IllegalArgumentException.class, () -> Tensor.zeros(DType.INT64, 0).oneHot(-1))
                .contains("empty tensor"));
        assertArrayEquals(new int[]{0, 5}, Tensor.zeros(DType.INT64, 0).oneHot(5).shape());
    }
}
