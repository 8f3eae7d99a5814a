package dev.gpush.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Note [coalescing dims]: the shapes and strides the elementwise kernels receive. */
class LayoutTest {
    @Test
    void aContiguousTensorOfAnyRankIsOneDim() {
        Layout l = Layout.of(new int[]{2, 3, 4, 5}, new int[]{60, 20, 5, 1}, new int[]{60, 20, 5, 1});
        assertArrayEquals(new int[]{120}, l.shape);
        assertArrayEquals(new int[]{1}, l.strides[1]);
    }

    @Test
    void aTransposedOperandKeepsTwoDims() {
        Layout l = Layout.of(new int[]{3, 4}, new int[]{4, 1}, new int[]{1, 3});
        assertArrayEquals(new int[]{3, 4}, l.shape);
        assertArrayEquals(new int[]{1, 3}, l.strides[1]);
    }

    @Test
    void broadcastDimsMergeWithEachOtherAndSizeOneDimsVanish() {
        // out [2, 1, 3, 4] contiguous; a broadcast along the last two dims (a column of 2)
        Layout l = Layout.of(new int[]{2, 1, 3, 4}, new int[]{12, 12, 4, 1}, new int[]{1, 1, 0, 0});
        assertArrayEquals(new int[]{2, 12}, l.shape);
        assertArrayEquals(new int[]{12, 1}, l.strides[0]);
        assertArrayEquals(new int[]{1, 0}, l.strides[1]);
    }

    @Test
    void aScalarIsZeroDimsOfOneElement() {
        Layout l = Layout.of(new int[0], new int[0]);
        assertEquals(0, l.dims());
        assertEquals(1, l.numel());
        assertArrayEquals(new long[]{0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, l.shapeStruct("test"));
    }

    @Test
    void structsHoldAddressDtypeAndStridesPaddedToEightDims() {
        Layout l = Layout.of(new int[]{3, 4}, new int[]{1, 3});
        assertArrayEquals(new long[]{2, 12, 3, 4, 1, 1, 1, 1, 1, 1}, l.shapeStruct("test"));
        assertArrayEquals(new long[]{0x1000, 5, 1, 3, 0, 0, 0, 0, 0, 0}, l.operandStruct(0, 0x1000, 5));
    }

    @Test
    void moreThanEightUnmergeableDimsAreRefusedByName() {
        int[] shape = new int[9], strides = new int[9];
        for (int d = 0; d < 9; d++) {
            shape[d] = 2;
            strides[d] = 1 << (2 * (8 - d));   // every dim has a gap: nothing merges
        }
        Layout l = Layout.of(shape, strides);
        var e = assertThrows(UnsupportedOperationException.class, () -> l.shapeStruct("unary EXP"));
        assertTrue(e.getMessage().startsWith("unary EXP over a view of more than 8"), e.getMessage());
    }
}
