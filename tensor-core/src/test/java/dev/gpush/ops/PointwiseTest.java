package dev.gpush.ops;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static dev.gpush.ops.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Elementwise ops: values against closed forms (Java's Math, or reference values from Python's math module),
 * broadcasting, strided inputs, in-place forms and gradients against finite differences. dtype rules live in
 * {@link TypePromotionTest}.
 */
class PointwiseTest {
    private static final double INF = Double.POSITIVE_INFINITY, NAN = Double.NaN;
    private static final double[] XS = {-2.5, -1.0, -0.3, 0.4, 1.0, 3.0};

    private static double[] map(double[] xs, DoubleUnaryOperator f) {
        double[] r = new double[xs.length];
        for (int i = 0; i < xs.length; i++) r[i] = f.applyAsDouble(xs[i]);
        return r;
    }

    private static void assertUnary(UnaryOperator<Tensor> op, DoubleUnaryOperator reference, double... xs) {
        assertValues(map(xs, reference), op.apply(Tensor.of(xs)), 1e-15);
    }

    // ---------------------------------------------------------------- binary arithmetic

    @Test void addSubMulDivMatchClosedForm() {
        Tensor a = Tensor.of(1.5, -2.0, 7.0), b = Tensor.of(0.5, 4.0, -2.0);
        assertValues(new double[]{2, 2, 5}, a.add(b), 0);
        assertValues(new double[]{1, -6, 9}, a.sub(b), 0);
        assertValues(new double[]{0.75, -8, -14}, a.mul(b), 0);
        assertValues(new double[]{3, -0.5, -3.5}, a.div(b), 0);
        assertValues(new double[]{2.5, -1, 8}, a.add(1), 0);
        assertValues(new double[]{2.5, 6, 3}, a.add(b, 2), 0);
        assertValues(new double[]{0.5, 4, -5}, a.rsub(2), 0);
        assertValues(new double[]{4, -3, 6.0 / 7}, a.rdiv(6), 1e-15);
    }

    @Test void divisionByZeroGivesSignedInfinityAndNaN() {
        assertValues(new double[]{INF, -INF, NAN}, Tensor.of(1.0, -1.0, 0.0).div(0.0), 0);
        assertValues(new double[]{INF, NAN}, Tensor.of(1L, 0L).div(Tensor.of(0L, 0L)), 0);
    }

    @Test void powOfFloatsAndOfIntegers() {
        assertValues(new double[]{8, 0.25, 3}, Tensor.of(2.0, 4.0, 9.0).pow(Tensor.of(3.0, -1.0, 0.5)), 1e-15);
        assertExactly(DType.INT64, new int[]{3}, new double[]{1, 1024, -27}, Tensor.of(5L, 2L, -3L).pow(Tensor.of(0L, 10L, 3L)));
        assertValues(new double[]{NAN}, Tensor.of(-8.0).pow(1.0 / 3), 0);
        var e = assertThrows(RuntimeException.class, () -> Tensor.of(2L).pow(-1).toLongArray());
        assertTrue(e.getMessage().contains("negative integer powers"), e.getMessage());
    }

    @Test void remainderTakesTheDivisorsSignLikePython() {
        assertValues(new double[]{2, 1, -1, -2, 0.5}, Tensor.of(-7.0, 7.0, -7.0, 7.0, 5.5).remainder(Tensor.of(3.0, 3.0, -3.0, -3.0, 1.0)), 1e-15);
        assertExactly(DType.INT64, new int[]{4}, new double[]{2, 1, -1, -2}, Tensor.of(-7L, 7L, -7L, 7L).remainder(Tensor.of(3L, 3L, -3L, -3L)));
    }

    @Test void remainderIsExactForLargeDividends() {
        // 1e17 = 100000000000000000 is exact in float64 and leaves 1 modulo 3; x - floor(x/y)*y loses it
        assertValues(new double[]{1, 2}, Tensor.of(new double[]{1e17, -1e17}).remainder(3.0), 0);
    }

    @Test void remainderByInfinityFollowsPyTorch() {
        // fmod then shift by the divisor when the signs differ: 5 % inf = 5, -5 % inf = inf, 5 % -inf = -inf
        assertValues(new double[]{5, INF, -INF, -5}, Tensor.of(5.0, -5.0, 5.0, -5.0).remainder(Tensor.of(INF, INF, -INF, -INF)), 0);
    }

    @Test void integerRemainderByZeroThrows() {
        assertThrows(ArithmeticException.class, () -> Tensor.of(3L).remainder(0));
    }

    @Test void maximumAndMinimumPropagateNaN() {
        Tensor a = Tensor.of(1.0, 5.0, NAN, -1.0), b = Tensor.of(2.0, 3.0, 0.0, NAN);
        assertValues(new double[]{2, 5, NAN, NAN}, a.maximum(b), 0);
        assertValues(new double[]{1, 3, NAN, NAN}, a.minimum(b), 0);
        assertExactly(DType.INT64, new int[]{2}, new double[]{4, -1}, Tensor.of(4L, -3L).maximum(Tensor.of(1L, -1L)));
    }

    @Test void atan2CoversAllFourQuadrants() {
        Tensor y = Tensor.of(1.0, 1.0, -1.0, -1.0, 0.0), x = Tensor.of(1.0, -1.0, -1.0, 1.0, -1.0);
        assertValues(new double[]{Math.PI / 4, 3 * Math.PI / 4, -3 * Math.PI / 4, -Math.PI / 4, Math.PI}, y.atan2(x), 1e-15);
    }

    // ---------------------------------------------------------------- unary math

    @Test void unaryMathMatchesJavaMath() {
        assertUnary(Tensor::neg, x -> -x, XS);
        assertUnary(Tensor::abs, Math::abs, XS);
        assertUnary(Tensor::sign, Math::signum, -2.5, -0.0, 0.0, 3.0);
        assertUnary(Tensor::reciprocal, x -> 1 / x, XS);
        assertUnary(Tensor::square, x -> x * x, XS);
        assertUnary(Tensor::exp, Math::exp, XS);
        assertUnary(Tensor::expm1, Math::expm1, 1e-10, -0.3, 2.0);
        assertUnary(Tensor::log, Math::log, 0.1, 1.0, 2.5, 1e10);
        assertUnary(Tensor::log1p, Math::log1p, 1e-12, -0.5, 3.0);
        assertUnary(Tensor::sqrt, Math::sqrt, 0.0, 0.25, 2.0, 1e6);
        assertUnary(Tensor::rsqrt, x -> 1 / Math.sqrt(x), 0.25, 2.0, 1e6);
        assertUnary(Tensor::sin, Math::sin, XS);
        assertUnary(Tensor::cos, Math::cos, XS);
        assertUnary(Tensor::tanh, Math::tanh, XS);
        assertUnary(Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), XS);
    }

    @Test void logAndSqrtOutsideTheirDomainGiveNaNAndInfinity() {
        assertValues(new double[]{NAN, -INF}, Tensor.of(-1.0, 0.0).log(), 0);
        assertValues(new double[]{NAN, -INF}, Tensor.of(-2.0, -1.0).log1p(), 0);
        assertValues(new double[]{NAN, INF}, Tensor.of(-1.0, 0.0).rsqrt(), 0);
        assertValues(new double[]{INF, -INF}, Tensor.of(0.0, -0.0).reciprocal(), 0);
    }

    @Test void erfMatchesReferenceValues() {
        // Python's math.erf
        assertValues(new double[]{-0.9999779095030014, -0.8427007929497149, -0.5204998778130465, 0.0,
                        0.3286267594591274, 0.8427007929497149, 0.999593047982555, 1.0},
                Tensor.of(-3.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5, 7.0).erf(), 1e-15);
    }

    @Test void geluMatchesBothPyTorchForms() {
        Tensor x = Tensor.of(-3.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5);
        // x Φ(x) and PyTorch's approximate='tanh', from Python's math module
        assertValues(new double[]{-0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0.0,
                0.18537342665668577, 0.8413447460685429, 2.4844758366855597}, x.gelu(), 1e-14);
        assertValues(new double[]{-0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0.0,
                0.18537092354275922, 0.8411919906082768, 2.484915733910001}, x.gelu(true), 1e-14);
    }

    @Test void reluSiluAndSoftplusMatchClosedForm() {
        assertValues(new double[]{0, 0, 0, 0.4, 1, 3}, Tensor.of(XS).relu(), 0);
        assertUnary(Tensor::silu, x -> x / (1 + Math.exp(-x)), XS);
        assertUnary(Tensor::softplus, x -> Math.log1p(Math.exp(x)), XS);
        assertExactly(DType.INT64, new int[]{3}, new double[]{0, 0, 4}, Tensor.of(-2L, 0L, 4L).relu());
    }

    @Test void saturatingActivationsStayFiniteAtExtremes() {
        Tensor x = Tensor.of(-1000.0, 1000.0);
        assertValues(new double[]{0, 1}, x.sigmoid(), 0);
        assertValues(new double[]{-1, 1}, x.tanh(), 0);
        assertValues(new double[]{-0.0, 1000}, x.silu(), 0);
        // softplus is linear above PyTorch's threshold of 20, and exp(-1000) underflows to 0
        assertValues(new double[]{0, 1000}, x.softplus(), 0);
        assertValues(new double[]{-0.0, 1000}, x.gelu(), 0);
        assertValues(new double[]{-0.0, 1000}, x.gelu(true), 0);
    }

    @Test void roundingOpsRoundHalfToEven() {
        Tensor x = Tensor.of(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 1.7, -1.7);
        assertValues(new double[]{-3, -2, -1, 0, 1, 2, 1, -2}, x.floor(), 0);
        assertValues(new double[]{-2, -1, -0.0, 1, 2, 3, 2, -1}, x.ceil(), 0);
        assertValues(new double[]{-2, -2, -0.0, 0, 2, 2, 2, -2}, x.round(), 0);
        assertValues(new double[]{-2, -1, -0.0, 0, 1, 2, 1, -1}, x.trunc(), 0);
    }

    @Test void roundingOpsKeepIntegersInteger() {
        Tensor x = Tensor.of(-3L, 7L);
        for (Tensor r : new Tensor[]{x.floor(), x.ceil(), x.round(), x.trunc()})
            assertExactly(DType.INT64, new int[]{2}, new double[]{-3, 7}, r);
        assertExactly(DType.INT32, new int[]{2}, new double[]{-1, 1}, Tensor.of(-4, 9).sign());
    }

    @Test void clampBoundsValuesAndPropagatesNaN() {
        Tensor x = Tensor.of(-2.0, 0.5, 3.0, NAN);
        assertValues(new double[]{-1, 0.5, 1, NAN}, x.clamp(-1, 1), 0);
        assertValues(new double[]{0, 0.5, 3, NAN}, x.clampMin(0), 0);
        assertValues(new double[]{-2, 0.5, 2.5, NAN}, x.clampMax(2.5), 0);
        // min above max: every element becomes max, as in PyTorch
        assertValues(new double[]{1, 1, 1, NAN}, x.clamp(2, 1), 0);
        assertExactly(DType.INT64, new int[]{3}, new double[]{0, 2, 5}, Tensor.of(-4L, 2L, 9L).clamp(0, 5));
        assertThrows(IllegalArgumentException.class, () -> x.clamp(null, null));
    }

    // ---------------------------------------------------------------- comparisons, logic, where

    @Test void comparisonsReturnBoolAndTreatNaNAsUnequal() {
        Tensor a = Tensor.of(1.0, 2.0, 3.0, NAN), b = Tensor.of(2.0, 2.0, 2.0, NAN);
        assertArrayEquals(new boolean[]{false, true, false, false}, a.eq(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false, true, true}, a.ne(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false, false, false}, a.lt(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true, false, false}, a.le(b).toBooleanArray());
        assertArrayEquals(new boolean[]{false, false, true, false}, a.gt(b).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true, true, false}, a.ge(b).toBooleanArray());
        assertEquals(DType.BOOL, a.lt(2).dtype());
        assertArrayEquals(new boolean[]{true, false, false, false}, a.lt(2).toBooleanArray());
    }

    @Test void integerComparisonsAreExactBeyondDoublePrecision() {
        long big = (1L << 53) + 1;
        assertArrayEquals(new boolean[]{false, true}, Tensor.of(big, big).eq(Tensor.of(big - 1, big)).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false}, Tensor.of(big, big - 1).gt(Tensor.of(big - 1, big)).toBooleanArray());
    }

    @Test void logicalOpsTreatNonzeroAsTrue() {
        Tensor a = Tensor.of(0.0, 0.0, 2.0, -1.0), b = Tensor.of(0.0, 3.0, 0.0, NAN);
        assertArrayEquals(new boolean[]{false, false, false, true}, a.logicalAnd(b).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true, true, true}, a.logicalOr(b).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true, true, false}, a.logicalXor(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true, false, false}, a.logicalNot().toBooleanArray());
        assertEquals(DType.BOOL, Tensor.of(0L, 5L).logicalNot().dtype());
    }

    @Test void isnanFindsOnlyNaN() {
        assertArrayEquals(new boolean[]{false, true, false, false}, Tensor.of(1.0, NAN, INF, -INF).isnan().toBooleanArray());
        assertArrayEquals(new boolean[]{false, false}, Tensor.of(1L, 0L).isnan().toBooleanArray());
    }

    @Test void whereSelectsByConditionAndBroadcasts() {
        Tensor cond = Tensor.of(true, false, true);
        assertValues(new int[]{3}, new double[]{1, 20, 3}, Tensor.where(cond, Tensor.of(1.0, 2.0, 3.0), Tensor.of(10.0, 20.0, 30.0)), 0);
        Tensor r = Tensor.where(Tensor.of(new boolean[][]{{true}, {false}}), Tensor.of(1.0, 2.0, 3.0), -1.0);
        assertValues(new int[]{2, 3}, new double[]{1, 2, 3, -1, -1, -1}, r, 0);
        assertEquals(DType.FLOAT64, r.dtype());
        assertEquals(DType.FLOAT32, Tensor.where(cond, Tensor.of(1L, 2L, 3L), 0.5).dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.where(Tensor.of(1.0), Tensor.of(1.0), Tensor.of(2.0)));
        assertTrue(e.getMessage().contains("bool"), e.getMessage());
    }

    @Test void boolNegationAndSubtractionAreRejected() {
        Tensor t = Tensor.of(true, false);
        assertTrue(assertThrows(IllegalArgumentException.class, t::neg).getMessage().contains("logicalNot"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.sub(t)).getMessage().contains("logicalXor"));
    }

    // ---------------------------------------------------------------- broadcasting

    @Test void columnPlusRowBroadcastsToAMatrix() {
        Tensor col = Tensor.of(new double[][]{{0}, {10}, {20}}), row = Tensor.of(1.0, 2.0, 3.0, 4.0);
        assertValues(new int[]{3, 4}, new double[]{1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24}, col.add(row), 0);
        assertValues(new int[]{3, 4}, new double[]{1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24}, row.add(col), 0);
    }

    @Test void scalarsAndZeroDimTensorsBroadcastOverMatrices() {
        Tensor m = Tensor.of(new double[][]{{1, 2}, {3, 4}});
        assertValues(new int[]{2, 2}, new double[]{2, 4, 6, 8}, m.mul(2), 0);
        assertValues(new int[]{2, 2}, new double[]{2, 4, 6, 8}, m.mul(Tensor.scalar(2.0, DType.FLOAT64)), 0);
        assertValues(new int[]{2, 2}, new double[]{2, 1, 2.0 / 3, 0.5}, Tensor.scalar(2.0, DType.FLOAT64).div(m), 1e-15);
        Tensor zeroDim = Tensor.scalar(3.0, DType.FLOAT64).add(Tensor.scalar(4.0, DType.FLOAT64));
        assertValues(new int[0], new double[]{7}, zeroDim, 0);
    }

    @Test void broadcastingAddsLeadingDims() {
        Tensor a = Tensor.ones(DType.FLOAT64, 2, 1, 3), b = Tensor.of(new double[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {0, 0, 0}});
        Tensor r = a.add(b);
        assertArrayEquals(new int[]{2, 4, 3}, r.shape());
        assertEquals(10, r.select(0, 1).select(0, 2).select(0, 2).item());
    }

    @Test void broadcastFailureNamesBothShapesAndTheDim() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("shapes [2, 3] and [4] cannot be broadcast: the size of dim -1 is 3 in the first and 4 in the second",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(5, 2, 3).mul(Tensor.zeros(4, 1, 3)));
        assertTrue(e.getMessage().contains("[5, 2, 3] and [4, 1, 3]") && e.getMessage().contains("dim -3"), e.getMessage());
    }

    // ---------------------------------------------------------------- strided inputs

    @Test void transposedInputsGiveTheSameValuesAsContiguousCopies() {
        Tensor a = randn(1, 5, 7).t(), b = randn(2, 7, 5);
        assertFalse(a.isContiguous());
        assertSameValues(a.contiguous().mul(b), a.mul(b), 0);
        assertSameValues(a.contiguous().exp(), a.exp(), 0);
        assertSameValues(b.sub(a.contiguous()), b.sub(a), 0);
        assertSameValues(a.contiguous().gt(b), a.gt(b), 0);
    }

    @Test void steppedSlicesGiveTheSameValuesAsContiguousCopies() {
        Tensor base = randn(3, 6, 9);
        Tensor a = base.slice(0, 1, 6, 2).slice(1, 0, 9, 3);  // [3, 3] with strides [18, 3]
        Tensor b = base.slice(0, 0, 3).slice(1, 8, 9).expand(3, 3);  // a [3, 1] column read with stride 0
        assertSameValues(a.contiguous().add(b.contiguous()), a.add(b), 0);
        assertSameValues(a.contiguous().tanh(), a.tanh(), 0);
        assertSameValues(Tensor.where(a.contiguous().gt(0), a.contiguous(), b.contiguous()), Tensor.where(a.gt(0), a, b), 0);
    }

    @Test void expandedInputsGiveTheSameValuesAsMaterializedCopies() {
        Tensor row = randn(4, 1, 8), col = randn(5, 6, 1);
        Tensor r = row.expand(6, 8), c = col.expand(6, 8);
        assertSameValues(r.contiguous().atan2(c.contiguous()), r.atan2(c), 0);
        assertSameValues(r.contiguous().sigmoid(), r.sigmoid(), 0);
    }

    @Test void elementwiseOpsOnLargeStridedInputsMatchContiguousCopies() {
        // past the parallel grain and the block size, with a permuted 3-d layout
        Tensor a = randn(6, 40, 50, 30).permute(2, 0, 1);
        Tensor b = randn(7, 40, 1);
        assertSameValues(a.contiguous().mul(b).add(1), a.mul(b).add(1), 0);
    }

    // ---------------------------------------------------------------- in place

    @Test void inPlaceOnATransposedViewWritesTheBaseStorage() {
        Tensor base = Tensor.of(new double[][]{{1, 2, 3}, {4, 5, 6}});
        Tensor t = base.t();
        int v0 = base.storage().version();
        t.mul_(Tensor.of(10.0, 100.0));  // broadcasts along t's columns: base rows scale by 10 and 100
        assertValues(new double[]{10, 20, 30, 400, 500, 600}, base, 0);
        t.add_(1);
        assertValues(new double[]{11, 21, 31, 401, 501, 601}, base, 0);
        assertEquals(v0 + 2, base.storage().version());
        assertSame(base, base.add_(0));
    }

    @Test void inPlaceOnASteppedSliceLeavesTheGapsAlone() {
        Tensor base = Tensor.zeros(DType.FLOAT64, 7);
        base.slice(0, 0, 7, 3).add_(Tensor.of(1.0, 2.0, 3.0));
        assertValues(new double[]{1, 0, 0, 2, 0, 0, 3}, base, 0);
        base.slice(0, 1, 7, 3).sub_(5).neg_();
        assertValues(new double[]{1, 5, 0, 2, 5, 0, 3}, base, 0);
    }

    @Test void copyFromAnotherLayoutOfTheSameMemoryReadsBeforeWriting() {
        // larger than one copy block, so a block-wise copy would read elements it had already overwritten
        Tensor x = Tensor.arange(10_000).to(DType.FLOAT64).view(100, 100);
        Tensor expected = x.t().contiguous();
        x.copy_(x.t());
        assertSameValues(expected, x, 0);
        Tensor y = Tensor.arange(3000).to(DType.FLOAT64);
        y.slice(0, 1, 3000).copy_(y.slice(0, 0, 2999));   // shift right by one
        assertEquals(0, y.get(1).item());
        assertEquals(2998, y.get(2999).item());
    }

    @Test void inPlaceUnaryFormsMatchTheirFunctionalForms() {
        Tensor x = randn(8, 3, 4).to(DType.FLOAT64);
        for (String op : new String[]{"exp", "sqrt", "relu", "sigmoid", "tanh", "neg", "clamp"}) {
            Tensor in = op.equals("sqrt") ? x.abs() : x;
            Tensor expected = switch (op) {
                case "exp" -> in.exp(); case "sqrt" -> in.sqrt(); case "relu" -> in.relu(); case "sigmoid" -> in.sigmoid();
                case "tanh" -> in.tanh(); case "neg" -> in.neg(); default -> in.clamp(-0.5, 0.5);
            };
            Tensor c = in.clone();
            Tensor r = switch (op) {
                case "exp" -> c.exp_(); case "sqrt" -> c.sqrt_(); case "relu" -> c.relu_(); case "sigmoid" -> c.sigmoid_();
                case "tanh" -> c.tanh_(); case "neg" -> c.neg_(); default -> c.clamp_(-0.5, 0.5);
            };
            assertSame(c, r, op);
            assertSameValues(expected, c, 0);
        }
    }

    // ---------------------------------------------------------------- gradients

    @Test void binaryArithmeticGradientsMatchFiniteDifferences() {
        Tensor a = randnLeaf(10, 2, 3), b = randnLeaf(11, 2, 3);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).add(xs.get(1)), a, b);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).sub(xs.get(1)), a, b);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mul(xs.get(1)), a, b);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).div(xs.get(1).abs().add(0.5)), a, b);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mul(xs.get(0)), a);
    }

    @Test void powGradientMatchesFiniteDifferencesInBaseAndExponent() {
        Tensor base = leaf(0.5, 1.3, 2.0, 3.1), exp = leaf(-1.5, 0.7, 2.0, 3.0);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).pow(xs.get(1)), base, exp);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).pow(3), leaf(-1.2, 0.4, 2.0));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).pow(0.5), leaf(0.4, 2.0));
    }

    @Test void powGradientIsZeroForAZeroExponentAtAZeroBase() {
        // d/dx x^0 = 0 everywhere; 0 * 0^-1 would be NaN (PyTorch masks exponent == 0)
        Tensor x = leaf(0.0, 2.0);
        x.pow(0).sum().backward();
        assertValues(new double[]{0, 0}, x.grad(), 0);
        Tensor y = leaf(0.0, 2.0), e = leaf(0.0, 0.0);
        y.pow(e).sum().backward();
        assertValues(new double[]{0, 0}, y.grad(), 0);
        assertValues(new double[]{0, Math.log(2)}, e.grad(), 1e-15);
    }

    @Test void remainderGradientMatchesFiniteDifferencesAwayFromJumps() {
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).remainder(xs.get(1)), leaf(5.3, -2.2, 7.9), leaf(2.0, 1.5, -3.0));
    }

    @Test void maximumMinimumAndAtan2GradientsMatchFiniteDifferences() {
        Tensor a = leaf(1.0, -2.0, 0.5), b = leaf(0.0, 3.0, 0.25);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).maximum(xs.get(1)), a, b);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).minimum(xs.get(1)), a, b);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).atan2(xs.get(1)), a, leaf(-1.0, 3.0, 0.25));
    }

    @Test void maximumTiesShareTheGradientEqually() {
        Tensor a = leaf(1.0, 2.0), b = leaf(1.0, 3.0);
        a.maximum(b).sum().backward();
        assertValues(new double[]{0.5, 0}, a.grad(), 0);
        assertValues(new double[]{0.5, 1}, b.grad(), 0);
    }

    @Test void unaryGradientsMatchFiniteDifferences() {
        Tensor any = leaf(-1.7, -0.4, 0.3, 1.2, 2.5);
        Tensor positive = leaf(0.3, 0.9, 1.7, 4.0);
        for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(Tensor::neg, Tensor::abs, Tensor::exp,
                Tensor::expm1, Tensor::sin, Tensor::cos, Tensor::tanh, Tensor::sigmoid, Tensor::erf, Tensor::relu,
                Tensor::gelu, t -> t.gelu(true), Tensor::silu, Tensor::softplus, Tensor::reciprocal, Tensor::square))
            assertGradientsMatchFiniteDifferences(xs -> f.apply(xs.get(0)), any);
        for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(Tensor::log, Tensor::log1p, Tensor::sqrt,
                Tensor::rsqrt))
            assertGradientsMatchFiniteDifferences(xs -> f.apply(xs.get(0)), positive);
    }

    @Test void softplusGradientIsOneAboveTheThreshold() {
        Tensor x = leaf(25.0, -30.0);
        x.softplus().sum().backward();
        assertValues(new double[]{1, 0}, x.grad(), 1e-10);
    }

    @Test void clampGradientPassesOnlyInsideTheBounds() {
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).clamp(-1, 1), leaf(-2.0, -0.5, 0.7, 3.0));
        Tensor x = leaf(-2.0, -1.0, 0.5, 1.0, 3.0);
        x.clamp(-1, 1).sum().backward();
        // the bounds themselves count as inside, as in PyTorch
        assertValues(new double[]{0, 1, 1, 1, 0}, x.grad(), 0);
    }

    @Test void roundingAndSignHaveZeroGradient() {
        Tensor x = leaf(-1.3, 0.4, 2.6);
        x.floor().add(x.ceil()).add(x.round()).add(x.trunc()).add(x.sign()).sum().backward();
        assertValues(new double[]{0, 0, 0}, x.grad(), 0);
    }

    @Test void whereRoutesTheGradientToTheChosenBranch() {
        Tensor cond = Tensor.of(true, false, true);
        assertGradientsMatchFiniteDifferences(xs -> Tensor.where(cond, xs.get(0).exp(), xs.get(1).mul(xs.get(1))),
                leaf(0.1, 0.2, 0.3), leaf(1.0, 2.0, 3.0));
        Tensor a = leaf(1.0, 2.0, 3.0);
        Tensor.where(cond, a, 0.0).sum().backward();
        assertValues(new double[]{1, 0, 1}, a.grad(), 0);
    }

    @Test void broadcastGradientsSumBackToEachInputsShape() {
        Tensor a = randnLeaf(20, 3, 1), b = randnLeaf(21, 4);
        a.add(b).sum().backward();
        assertValues(new int[]{3, 1}, new double[]{4, 4, 4}, a.grad(), 0);
        assertValues(new int[]{4}, new double[]{3, 3, 3, 3}, b.grad(), 0);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mul(xs.get(1)).add(xs.get(1).div(xs.get(0).exp())),
                randnLeaf(22, 3, 1), randnLeaf(23, 4));
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).mul(xs.get(1)), randnLeaf(24, 2, 3), randnLeaf(25));
    }

    @Test void javaNumberOperandsScaleTheGradient() {
        Tensor x = leaf(1.0, 2.0);
        x.mul(3).add(1).div(2).rsub(5).sum().backward();
        assertValues(new double[]{-1.5, -1.5}, x.grad(), 0);
    }

    @Test void float32GradientsKeepTheInputsDtype() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        x.mul(Tensor.of(3.0, 4.0)).sum().backward();  // float64 result
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertValues(new double[]{3, 4}, x.grad(), 0);
    }

    @Test void unarySecondDerivativesMatchFiniteDifferences() {
        Tensor any = leaf(-1.7, -0.4, 0.3, 1.2, 2.5), positive = leaf(0.3, 0.9, 1.7, 4.0);
        for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(Tensor::exp, Tensor::expm1, Tensor::sin,
                Tensor::cos, Tensor::tanh, Tensor::sigmoid, Tensor::erf, Tensor::gelu, t -> t.gelu(true), Tensor::silu,
                Tensor::softplus, Tensor::reciprocal, t -> t.pow(3), t -> t.mul(t).atan2(t.exp())))
            assertGradientsMatchFiniteDifferences(gradientOf(f::apply), any);
        for (UnaryOperator<Tensor> f : java.util.List.<UnaryOperator<Tensor>>of(Tensor::log, Tensor::log1p, Tensor::sqrt,
                Tensor::rsqrt, t -> t.pow(t), t -> t.div(t.add(1))))
            assertGradientsMatchFiniteDifferences(gradientOf(f::apply), positive);
    }
}
