package dev.gpush.ops;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gpush.ops.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * PyTorch's result_type: within a category (bool &lt; integer &lt; floating) tensors with dims outrank 0-dim
 * tensors, which outrank Java numbers; an operand of a higher category decides the category, and a Java
 * floating number gives the default float32. Half types are stored rounded to nearest even.
 */
class TypePromotionTest {
    private static Tensor zeroDim(double v, DType dtype) { return Tensor.scalar(v, dtype); }

    // ---------------------------------------------------------------- Java numbers

    @Test void javaIntegerKeepsAnIntegerTensorsType() {
        assertExactly(DType.INT64, new int[]{3}, new double[]{1, 2, 3}, Tensor.arange(3).add(1));
        assertExactly(DType.INT32, new int[]{2}, new double[]{2, 4}, Tensor.of(1, 2).mul(2));
        assertExactly(DType.INT32, new int[]{2}, new double[]{-1, 0}, Tensor.of(1, 2).sub(2L));
    }

    @Test void javaFloatingNumberOnAnIntegerTensorGivesFloat32() {
        assertExactly(DType.FLOAT32, new int[]{3}, new double[]{1.5, 2.5, 3.5}, Tensor.arange(1, 4).add(0.5));
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{2.5, 5}, Tensor.of(1, 2).mul(2.5));
        assertEquals(DType.FLOAT32, Tensor.of(1L).pow(0.5).dtype());
    }

    @Test void javaNumberNeverWidensAFloatingTensor() {
        assertEquals(DType.FLOAT16, Tensor.of(1f).half().add(1.5).dtype());
        assertEquals(DType.BFLOAT16, Tensor.of(1f).bfloat16().mul(3).dtype());
        assertEquals(DType.FLOAT32, Tensor.of(1f).add(1e-40).dtype());
        assertEquals(DType.FLOAT64, Tensor.of(new double[]{1}).add(1.5f).dtype());
    }

    @Test void javaNumberIsRoundedToTheTensorsTypeBeforeTheOp() {
        // 0.1 becomes float32 0.1f first, so the product is 13 * 0.1f rounded (1.3000001f), as float32 math
        // gives, not 13 * 0.1 rounded (1.3f)
        assertEquals(13f * 0.1f, Tensor.of(13f).mul(0.1).toFloatArray()[0]);
        assertNotEquals((float) (13 * 0.1), 13f * 0.1f);
        assertArrayEquals(new boolean[]{true}, Tensor.of(0.1f).eq(0.1).toBooleanArray());
    }

    @Test void boolTensorWithJavaNumbers() {
        Tensor b = Tensor.of(true, false);
        assertExactly(DType.INT64, new int[]{2}, new double[]{2, 1}, b.add(1));
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{1.5, 0.5}, b.add(0.5));
    }

    // ---------------------------------------------------------------- tensors with dims and 0-dim tensors

    @Test void zeroDimFloat64DoesNotWidenAFloat32Tensor() {
        Tensor r = Tensor.of(1f, 2f).mul(zeroDim(0.5, DType.FLOAT64));
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{0.5, 1}, r);
        assertEquals(DType.FLOAT16, Tensor.of(new float[]{1}).half().add(zeroDim(1, DType.FLOAT32)).dtype());
    }

    @Test void zeroDimIntegerDoesNotWidenAnInt32Tensor() {
        assertEquals(DType.INT32, Tensor.of(1, 2).add(zeroDim(1, DType.INT64)).dtype());
        assertEquals(DType.INT32, Tensor.of(1, 2).add(zeroDim(1, DType.BOOL)).dtype());
    }

    @Test void zeroDimTensorOfAHigherCategoryDecidesTheType() {
        assertEquals(DType.FLOAT64, Tensor.of(1, 2).add(zeroDim(0.5, DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT16, Tensor.of(1L, 2L).add(zeroDim(0.5, DType.FLOAT16)).dtype());
        assertEquals(DType.INT32, Tensor.of(true).add(zeroDim(1, DType.INT32)).dtype());
    }

    @Test void tensorsWithDimsPromoteToTheWiderType() {
        assertEquals(DType.FLOAT64, Tensor.of(new float[]{1}).add(Tensor.of(new double[]{1})).dtype());
        assertEquals(DType.FLOAT32, Tensor.of(new long[]{1}).add(Tensor.of(new float[]{1})).dtype());
        assertEquals(DType.FLOAT16, Tensor.of(new long[]{1}).add(Tensor.of(new float[]{1}).half()).dtype());
    }

    @Test void int32WithInt64GivesInt64() {
        assertExactly(DType.INT64, new int[]{2}, new double[]{11, 22}, Tensor.of(1, 2).add(Tensor.of(10L, 20L)));
        assertExactly(DType.INT64, new int[]{2}, new double[]{11, 22}, Tensor.of(10L, 20L).add(Tensor.of(1, 2)));
    }

    @Test void float16WithBfloat16GivesFloat32() {
        Tensor h = Tensor.of(1f, 2f).half(), b = Tensor.of(0.5f, 0.25f).bfloat16();
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{1.5, 2.25}, h.add(b));
        assertEquals(DType.FLOAT32, b.mul(h).dtype());
        // a 0-dim float16 does not widen a bfloat16 tensor: same category, dims win
        assertEquals(DType.BFLOAT16, b.add(zeroDim(1, DType.FLOAT16)).dtype());
    }

    @Test void zeroDimTensorsTogetherFollowTheTensorRules() {
        assertEquals(DType.FLOAT32, zeroDim(1, DType.INT64).add(zeroDim(1, DType.FLOAT32)).dtype());
        assertEquals(DType.FLOAT64, zeroDim(1, DType.FLOAT32).add(zeroDim(1, DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT32, zeroDim(1, DType.INT64).add(0.5).dtype());
    }

    @Test void resultTypeIsExposedForOtherOps() {
        assertEquals(DType.FLOAT32, Pointwise.resultType(Tensor.of(1, 2), Creation.operand(0.5)));
        assertEquals(DType.INT64, Pointwise.resultType(Tensor.of(true), Creation.operand(2)));
        assertEquals(DType.FLOAT32, Pointwise.resultType(Tensor.of(1f).half().view(1), Tensor.of(1f).bfloat16().view(1)));
    }

    // ---------------------------------------------------------------- bool and integer arithmetic

    @Test void boolPlusBoolIsLogicalOrAndTimesIsLogicalAnd() {
        Tensor a = Tensor.of(true, true, false, false), b = Tensor.of(true, false, true, false);
        assertEquals(DType.BOOL, a.add(b).dtype());
        assertArrayEquals(new boolean[]{true, true, true, false}, a.add(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false, false, false}, a.mul(b).toBooleanArray());
        assertExactly(DType.INT32, new int[]{4}, new double[]{2, 2, 1, 1}, a.add(Tensor.of(1, 1, 1, 1)));
    }

    @Test void int32ArithmeticWrapsOnOverflow() {
        Tensor max = Tensor.of(new int[]{Integer.MAX_VALUE});
        assertExactly(DType.INT32, new int[]{1}, new double[]{Integer.MIN_VALUE}, max.add(1));
        assertExactly(DType.INT64, new int[]{1}, new double[]{(double) Integer.MAX_VALUE + 1}, max.add(Tensor.of(new long[]{1})));
    }

    @Test void trueDivisionOfIntegersGivesFloatingPoint() {
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{0.5, 1.5}, Tensor.of(1L, 3L).div(2));
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{0.5, 1.5}, Tensor.of(1, 3).div(Tensor.of(2, 2)));
        assertEquals(DType.FLOAT64, Tensor.of(1L, 3L).div(zeroDim(2, DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT32, Tensor.of(1L, 3L).atan2(Tensor.of(1L, 1L)).dtype());
        assertEquals(DType.FLOAT16, Tensor.of(1f).half().div(3).dtype());
    }

    @Test void floatingOnlyUnaryOpsTurnIntegersIntoFloat32() {
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{0, 2}, Tensor.of(0, 4).sqrt());
        assertEquals(DType.FLOAT32, Tensor.of(1L).exp().dtype());
        assertEquals(DType.FLOAT32, Tensor.of(true).sigmoid().dtype());
        assertEquals(DType.INT64, Tensor.of(-1L).abs().dtype());
        assertEquals(DType.INT32, Tensor.of(new int[]{-1}).neg().dtype());
    }

    @Test void comparisonsOfIntegersWithFractionsCompareInFloatingPoint() {
        Tensor x = Tensor.of(1L, 2L);
        assertArrayEquals(new boolean[]{true, false}, x.lt(1.5).toBooleanArray());
        assertArrayEquals(new boolean[]{false, false}, x.eq(1.5).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true}, x.ge(Tensor.of(1.5f, 1.5f)).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false}, Tensor.of(1, 2).eq(Tensor.of(1.0, 2.5)).toBooleanArray());
    }

    @Test void whereAndMaximumPromoteTheirOperands() {
        Tensor cond = Tensor.of(true, false);
        assertExactly(DType.INT64, new int[]{2}, new double[]{1, 20}, Tensor.where(cond, Tensor.of(1, 2), Tensor.of(10L, 20L)));
        assertEquals(DType.FLOAT16, Tensor.where(cond, Tensor.of(1f, 2f).half(), 0.5).dtype());
        assertExactly(DType.FLOAT32, new int[]{2}, new double[]{1.5, 2}, Tensor.of(1L, 2L).maximum(Tensor.of(1.5f, 0.5f)));
    }

    // ---------------------------------------------------------------- half-precision rounding

    @Test void bfloat16RoundsToNearestEven() {
        assertEquals(0.333984375, Tensor.of(1f).bfloat16().div(3).item());
        assertEquals(0.333984375, Tensor.of(1f, 2f).bfloat16().div(Tensor.of(3f, 6f).bfloat16()).toDoubleArray()[0]);
        // 257 and 259 lie halfway between neighbours 2 apart: ties go to the even mantissa
        Tensor r = Tensor.of(256f, 258f, 258f).bfloat16().add(Tensor.of(1f, 1f, 0.5f).bfloat16());
        assertExactly(DType.BFLOAT16, new int[]{3}, new double[]{256, 260, 258}, r);
    }

    @Test void float16RoundsToNearestEvenAndOverflowsToInfinity() {
        assertValues(new double[]{0.333251953125, 0.66650390625, 1}, Tensor.of(1f, 2f, 3f).half().div(3), 0);
        assertValues(new double[]{2048, 2052}, Tensor.of(2048f, 2050f).half().add(1), 0);
        assertValues(new double[]{Double.POSITIVE_INFINITY, 65504}, Tensor.of(65504f, 65504f).half().add(Tensor.of(65504f, 8f).half()), 0);
    }

    @Test void halfSumsAreRoundedOnceAtTheEnd() {
        // a float16 running sum of ones stalls at 2048 (2048 + 1 rounds back to 2048); summing wide and
        // rounding once gives 4096
        Tensor x = Tensor.ones(DType.FLOAT16, 4096);
        assertEquals(4096, x.sum().item());
        assertEquals(DType.FLOAT16, x.sum().dtype());
        assertEquals(DType.BFLOAT16, Tensor.ones(DType.BFLOAT16, 3).mean().dtype());
    }

    @Test void inPlaceOpsKeepTheTargetsType() {
        Tensor h = Tensor.of(1f, 2f).half();
        h.add_(Tensor.of(1.0 / 3, 0.0));
        assertEquals(DType.FLOAT16, h.dtype());
        assertValues(new double[]{1.3330078125, 2}, h, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(1L, 2L).add_(1.5));
        assertEquals("result type float32 can't be cast to the desired output type int64", e.getMessage());
        Tensor i = Tensor.of(1, 2);
        i.mul_(Tensor.of(3L, 4L));
        assertExactly(DType.INT32, new int[]{2}, new double[]{3, 8}, i);
    }
}
