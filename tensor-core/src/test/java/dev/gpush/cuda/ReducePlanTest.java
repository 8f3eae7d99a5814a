package dev.gpush.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** How reductions spread over a device of 132 multiprocessors (an H100's count). */
class ReducePlanTest {
    private static final int SMS = 132;

    @Test
    void aFullSumOfManyElementsIsCutIntoChunksThatFillTheDevice() {
        ReducePlan p = ReducePlan.of(1, 1L << 26, false, SMS);
        assertEquals(ReducePlan.THREADS, p.lanes());
        assertEquals(SMS * ReducePlan.THREADS_PER_SM / ReducePlan.THREADS, p.chunks());
        assertEquals(p.chunks(), p.blocks(1), "a block a chunk");
        assertEquals(1, ReducePlan.partsBlocks(1), "one warp combines the partials");
    }

    @Test
    void chunksKeepEnoughPositionsForEveryLane() {
        ReducePlan p = ReducePlan.of(3, 100003, false, SMS);   // [3, 100003].sum(1)
        assertEquals(ReducePlan.THREADS, p.lanes());
        assertEquals(100003 / (ReducePlan.THREADS * ReducePlan.MIN_PER_LANE), p.chunks());
        assertEquals(1, ReducePlan.of(1, 5000, false, SMS).chunks(), "too short to cut for a block");
    }

    @Test
    void shortRowsGetAThreadEach() {
        ReducePlan p = ReducePlan.of(100003, 3, false, SMS);   // [100003, 3].sum(1)
        assertEquals(1, p.lanes());
        assertEquals(1, p.chunks());
        assertEquals((100003 + 255) / 256, p.blocks(100003));
    }

    @Test
    void reducingALeadingDimReadsAlongTheOutputsWhenThereAreEnough() {
        ReducePlan p = ReducePlan.of(1000, 50000, true, SMS);   // [50000, 1000].sum(0)
        assertEquals(1, p.lanes());
        assertTrue(p.chunks() > 1, "1000 threads alone would leave most of the device idle");
        assertEquals(ReducePlan.THREADS, ReducePlan.of(3, 100003, true, SMS).lanes(), "[100003, 3].sum(0): three columns");
    }

    @Test
    void middlingRowsGetAWarpAndLongOnesABlock() {
        assertEquals(32, ReducePlan.of(20000, 300, false, SMS).lanes());
        assertEquals(32, ReducePlan.of(20000, ReducePlan.WARP_ROW, false, SMS).lanes());
        assertEquals(ReducePlan.THREADS, ReducePlan.of(20000, ReducePlan.WARP_ROW + 1, false, SMS).lanes());
        assertEquals(1, ReducePlan.of(20000, 300, false, SMS).chunks(), "20000 warps fill the device");
    }

    @Test
    void anEmptyReductionIsOneChunk() {
        ReducePlan p = ReducePlan.of(7, 0, false, SMS);
        assertEquals(1, p.chunks());
        assertEquals(1, p.blocks(7));
    }

    @Test
    void gridsStayWithinTheLaunchLimit() {
        assertEquals(ReducePlan.MAX_BLOCKS, ReducePlan.of(1L << 30, 2, false, SMS).blocks(1L << 30));
        assertEquals(ReducePlan.MAX_BLOCKS, ReducePlan.partsBlocks(1L << 30));
    }
}
