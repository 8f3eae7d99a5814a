package dev.gpush.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** cuLaunchKernel's argument array, read back the way the driver reads it: entry i points at argument i's value. */
class KernelArgsTest {
    private static long entry(PointerPointer<?> params, int i) { return params.get(i).address(); }

    @Test
    void everyEntryPointsAtItsValueInAnAlignedSlot() {
        var args = new KernelArgs();
        long[] struct = {3, 1 << 20, 7, 9, 11};
        PointerPointer<?> params = args.pack(0x7f00_0000_1000L, 42, -2.5, struct, Integer.MIN_VALUE);

        assertEquals(0x7f00_0000_1000L, new LongPointer(params.get(0)).get(0));
        assertEquals(42, new IntPointer(params.get(1)).get(0));
        assertEquals(-2.5, new DoublePointer(params.get(2)).get(0));
        var s = new LongPointer(params.get(3));
        for (int k = 0; k < struct.length; k++) assertEquals(struct[k], s.get(k));
        assertEquals(Integer.MIN_VALUE, new IntPointer(params.get(4)).get(0));
        for (int i = 0; i < 5; i++) assertEquals(0, entry(params, i) % 8, "slot " + i + " is 8-byte aligned");
        assertEquals(8 + 8 + 8, entry(params, 3) - entry(params, 0), "the struct follows three 8-byte slots");
        assertEquals(8L * struct.length, entry(params, 4) - entry(params, 3), "the struct is passed by value, whole");
    }

    @Test
    void theBufferIsReusedAndRewritten() {
        var args = new KernelArgs();
        PointerPointer<?> first = args.pack(1L, 2);
        long slot = entry(first, 1);
        PointerPointer<?> second = args.pack(5L, 6);
        assertEquals(first.address(), second.address());
        assertEquals(slot, entry(second, 1));
        assertEquals(6, new IntPointer(second.get(1)).get(0));
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        var args = new KernelArgs();
        assertEquals("unsupported kernel argument class java.lang.String",
                assertThrows(IllegalArgumentException.class, () -> args.pack(1, "x")).getMessage());
        assertEquals("kernel argument 0 is null",
                assertThrows(IllegalArgumentException.class, () -> args.pack((Object) null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> args.pack(new Object[KernelArgs.MAX_ARGS + 1]));
        assertThrows(IllegalArgumentException.class, () -> args.pack((Object) new long[KernelArgs.MAX_BYTES / 8 + 1]));
        assertEquals(7, new IntPointer(args.pack(7).get(0)).get(0), "still usable after a refusal");
    }
}
