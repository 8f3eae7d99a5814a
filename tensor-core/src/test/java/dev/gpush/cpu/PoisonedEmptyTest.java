package dev.gpush.cpu;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Note [poisoned empty] in CpuBackend, and which factories ask for zeros (Note [uninitialised outputs] in Creation). */
class PoisonedEmptyTest {
    private static Tensor empty(DType dtype) { return Tensor.empty(new int[]{3}, dtype, Device.CPU); }

    @Test void poisonFillsUninitialisedStorageWithNaNOrTheBytePattern() {
        PoisonedEmpty.with(true, () -> {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.FLOAT16})
                for (float v : empty(dt).toFloatArray()) assertTrue(Float.isNaN(v), dt + " " + v);
            assertEquals(Float.intBitsToFloat(0x7f7f0000), empty(DType.BFLOAT16).toFloatArray()[2]);
            assertEquals(0x7f7f7f7f7f7f7f7fL, empty(DType.INT64).toLongArray()[0]);
            assertEquals(0x7f7f7f7f, empty(DType.INT32).toIntArray()[1]);
            assertArrayEquals(new boolean[]{true, true, true}, empty(DType.BOOL).toBooleanArray());
            assertTrue(Float.isNaN(Tensor.emptyLike(Tensor.ones(2)).toFloatArray()[1]));
            return null;
        });
    }

    @Test void withoutPoisonTheCpuStillHandsOutZeros() {
        PoisonedEmpty.with(false, () -> {
            assertArrayEquals(new float[3], empty(DType.FLOAT32).toFloatArray());
            assertArrayEquals(new long[3], empty(DType.INT64).toLongArray());
            return null;
        });
    }

    @Test void zerosAndFullOfZeroAreZeroFilledEvenUnderPoison() {
        PoisonedEmpty.with(true, () -> {
            for (DType dt : DType.values()) {
                assertArrayEquals(new double[4], Tensor.zeros(new int[]{4}, dt, Device.CPU).toDoubleArray(), dt.toString());
                assertArrayEquals(new double[4], Tensor.full(new int[]{4}, 0, dt, Device.CPU).toDoubleArray(), dt.toString());
                assertArrayEquals(new double[3], Tensor.zerosLike(empty(dt)).toDoubleArray(), dt.toString());
            }
            assertArrayEquals(new long[]{0, 1, 0, 1, 0, 0}, Tensor.of(1L, 0L).oneHot(3).toLongArray());
            return null;
        });
    }

    @Test void fullOfANonzeroValueWritesEveryElement() {
        PoisonedEmpty.with(true, () -> {
            // -0.0 is not the zero fill: its sign bit is set
            double[] negativeZero = Tensor.full(new int[]{3}, -0.0, DType.FLOAT64, Device.CPU).toDoubleArray();
            for (double v : negativeZero) assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(v));
            assertArrayEquals(new long[]{-7, -7}, Tensor.full(new int[]{2}, -7, DType.INT32, Device.CPU).toLongArray());
            assertTrue(Float.isNaN(Tensor.full(new int[]{2}, Float.NaN, DType.FLOAT32, Device.CPU).toFloatArray()[1]));
            return null;
        });
    }
}
