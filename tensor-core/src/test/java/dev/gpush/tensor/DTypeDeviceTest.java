package dev.gpush.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DTypeDeviceTest {
    @Test void promotionFollowsPyTorch() {
        assertEquals(DType.INT64, DType.promote(DType.INT32, DType.INT64));
        assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT16, DType.BFLOAT16));
        assertEquals(DType.FLOAT16, DType.promote(DType.FLOAT16, DType.INT64));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.INT32, DType.promote(DType.BOOL, DType.INT32));
    }

    @Test void dtypesParseFromTheirNamesAndAliases() {
        assertEquals(DType.BFLOAT16, DType.parse("bfloat16"));
        assertEquals(DType.FLOAT64, DType.parse("double"));
        assertEquals("float32", DType.FLOAT32.toString());
        assertThrows(IllegalArgumentException.class, () -> DType.parse("complex64"));
    }

    @Test void devicesParseAndPrint() {
        assertEquals(Device.CPU, Device.of("cpu"));
        assertEquals(Device.cuda(1), Device.of("cuda:1"));
        assertEquals("cuda:0", Device.CUDA.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> Device.of("tpu"));
        assertTrue(e.getMessage().contains("unknown device 'tpu'"));
        assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
    }
}
