package dev.gpush.cuda;

import dev.gpush.cuda.MemoryStats.Metric;
import dev.gpush.cuda.MemoryStats.Pool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The allocator's policy over a simulated device of fixed capacity (no GPU needed: the policy is plain Java). */
class CachingAllocatorTest {
    private static final long KiB = 1024, MiB = 1024 * KiB;

    private final SimulatedDeviceMemory device = new SimulatedDeviceMemory(64 * MiB);
    private final CachingAllocator allocator = new CachingAllocator(device, () -> { });

    private long stat(Metric m, Pool p) { return allocator.stats().get(m, p).current(); }

    @Test
    void sizesRoundUpToMultiplesOf512Bytes() {
        assertEquals(512, allocator.malloc(1, 0).size());
        assertEquals(512, allocator.malloc(0, 0).size());
        assertEquals(1024, allocator.malloc(513, 0).size());
        assertEquals(1 + 0 + 513, stat(Metric.REQUESTED_BYTES, Pool.ALL));
    }

    @Test
    void smallRequestsShareOneTwoMebibyteSegment() {
        for (int i = 0; i < 4; i++) allocator.malloc(100 * KiB, 0);
        assertEquals(1, device.allocations);
        assertEquals(2 * MiB, stat(Metric.RESERVED_BYTES, Pool.SMALL));
        assertEquals(0, stat(Metric.RESERVED_BYTES, Pool.LARGE));
    }

    @Test
    void mediumRequestsShareTwentyMebibyteSegments() {
        Block a = allocator.malloc(5 * MiB, 0), b = allocator.malloc(5 * MiB, 0);
        assertEquals(1, device.allocations);
        assertEquals(20 * MiB, stat(Metric.RESERVED_BYTES, Pool.LARGE));
        assertEquals(a.address() + 5 * MiB, b.address());
    }

    @Test
    void largeRequestsGetTheirOwnSegmentRoundedToTwoMebibytesAndUnsplitRemainder() {
        Block big = allocator.malloc(11 * MiB, 0);
        assertEquals(12 * MiB, stat(Metric.RESERVED_BYTES, Pool.ALL));
        assertEquals(12 * MiB, big.size(), "a remainder of 1 MiB is not split off a large block");
        assertEquals(11 * MiB, big.requested());
    }

    @Test
    void aSteadyLoopReusesCachedBlocksWithoutNewDeviceAllocations() {
        for (int step = 0; step < 100; step++) {
            List<Block> held = new ArrayList<>();
            for (long size : new long[]{3 * KiB, 700 * KiB, 4 * MiB, 12 * MiB}) held.add(allocator.malloc(size, 0));
            held.forEach(allocator::free);
        }
        assertEquals(2, device.allocations, "one small segment, and one 20 MiB segment that holds 4 + 12 MiB");
        assertEquals(400, allocator.stats().get(Metric.ALLOCATION, Pool.ALL).allocated());
        assertEquals(0, stat(Metric.ALLOCATED_BYTES, Pool.ALL));
    }

    @Test
    void freedNeighboursMergeBackIntoOneSegment() {
        Block a = allocator.malloc(100 * KiB, 0), b = allocator.malloc(100 * KiB, 0), c = allocator.malloc(100 * KiB, 0);
        allocator.free(b);
        assertEquals(2, stat(Metric.INACTIVE_SPLIT, Pool.ALL), "b is a hole between a and c, and the rest after c");
        allocator.free(a);
        allocator.free(c);
        assertEquals(0, stat(Metric.INACTIVE_SPLIT, Pool.ALL));
        assertEquals(1, allocator.cachedBlocks(), "the segment is whole again");
        assertEquals(2 * MiB, allocator.emptyCache());
        assertEquals(0, device.used());
    }

    @Test
    void theBestFittingFreeBlockIsTaken() {
        Block big = allocator.malloc(6 * MiB, 0), keep1 = allocator.malloc(MiB + 512, 0),
                small = allocator.malloc(2 * MiB, 0), keep2 = allocator.malloc(MiB + 512, 0);
        allocator.free(big);
        allocator.free(small);
        Block reuse = allocator.malloc(2 * MiB, 0);
        assertEquals(small.address(), reuse.address());
        assertNotNull(keep1);
        assertNotNull(keep2);
    }

    @Test
    void emptyCacheReturnsOnlyWholeFreeSegments() {
        Block held = allocator.malloc(100 * KiB, 0);
        Block large = allocator.malloc(5 * MiB, 0);
        allocator.free(large);
        assertEquals(20 * MiB, allocator.emptyCache(), "the small segment is still in use");
        assertEquals(2 * MiB, device.used());
        assertEquals(2 * MiB, stat(Metric.RESERVED_BYTES, Pool.ALL));
        assertEquals(1, allocator.stats().numDeviceFree);
        allocator.free(held);
    }

    @Test
    void blocksFreedOnOneStreamAreNotReusedByAnother() {
        Block a = allocator.malloc(100 * KiB, 1);
        allocator.free(a);
        Block b = allocator.malloc(100 * KiB, 2);
        assertEquals(2, device.allocations);
        Block c = allocator.malloc(100 * KiB, 1);
        assertEquals(a.address(), c.address());
        assertNotEquals(b.address(), c.address());
    }

    @Test
    void peaksAndTotalsFollowPyTorchsCounters() {
        Block a = allocator.malloc(MiB, 0), b = allocator.malloc(2 * MiB, 0);
        allocator.free(a);
        allocator.free(b);
        MemoryStats s = allocator.stats();
        assertEquals(3 * MiB, s.get(Metric.ALLOCATED_BYTES, Pool.ALL).peak());
        assertEquals(3 * MiB, s.get(Metric.ALLOCATED_BYTES, Pool.ALL).allocated());
        assertEquals(3 * MiB, s.get(Metric.ALLOCATED_BYTES, Pool.ALL).freed());
        assertEquals(MiB, s.get(Metric.ALLOCATED_BYTES, Pool.SMALL).peak());
        assertEquals(22 * MiB, s.asMap().get("reserved_bytes.all.current"));
        allocator.resetPeakStats();
        assertEquals(0, allocator.stats().get(Metric.ALLOCATED_BYTES, Pool.ALL).peak());
    }

    @Test
    void aFullDeviceFirstAsksTheGarbageCollectorForUnreachableTensors() {
        List<Block> unreachable = new ArrayList<>();
        int[] collections = {0};
        CachingAllocator[] self = new CachingAllocator[1];
        CachingAllocator a = self[0] = new CachingAllocator(device, () -> {
            collections[0]++;   // what the cleaners do for tensors the garbage collector found unreachable
            unreachable.forEach(self[0]::free);
            unreachable.clear();
        });
        for (int i = 0; i < 3; i++) unreachable.add(a.malloc(20 * MiB, 0));
        Block b = a.malloc(20 * MiB, 0);
        assertEquals(1, collections[0]);
        assertEquals(0, a.stats().numAllocRetries(), "the collected blocks were reused from the cache");
        assertEquals(3, device.allocations);
        a.free(b);
    }

    @Test
    void thenItGivesBackCachedSegmentsAndRetries() {
        Block onOtherStream = allocator.malloc(40 * MiB, 7);
        allocator.free(onOtherStream);   // cached, but only for stream 7
        Block b = allocator.malloc(30 * MiB, 0);
        assertEquals(1, allocator.stats().numAllocRetries());
        assertEquals(30 * MiB, b.size());
        assertEquals(30 * MiB, device.used());
    }

    @Test
    void outOfMemoryNamesAskedAllocatedReservedAndFreeAndTheSessionGoesOn() {
        Block held = allocator.malloc(40 * MiB, 0);
        var e = assertThrows(CudaOutOfMemoryError.class, () -> allocator.malloc(30 * MiB, 0));
        String m = e.getMessage();
        assertTrue(m.startsWith("CUDA out of memory. Tried to allocate 30.00 MiB. GPU 0 has a total capacity of "
                + "64.00 MiB of which 24.00 MiB is free. Of the allocated memory 40.00 MiB is allocated by gpush, and "
                + "0 bytes is reserved by gpush but unallocated."), m);
        assertTrue(m.contains("40.00 MiB (of 1 live)"), m);
        assertEquals(1, allocator.stats().numOoms());
        allocator.free(held);
        Block after = allocator.malloc(30 * MiB, 0);
        assertEquals(30 * MiB, after.size());
    }

    @Test
    void recordedHistoryNamesWhereTheLargestAllocationsWereMade() {
        allocator.recordHistory(true);
        allocator.malloc(40 * MiB, 0);
        var e = assertThrows(CudaOutOfMemoryError.class, () -> allocator.malloc(30 * MiB, 0));
        assertTrue(e.getMessage().contains("40.00 MiB in 1 block at dev.gpush.cuda.CachingAllocatorTest."
                + "recordedHistoryNamesWhereTheLargestAllocationsWereMade(CachingAllocatorTest.java:"), e.getMessage());
    }

    @Test
    void freeingABlockTwiceIsAnError() {
        Block a = allocator.malloc(KiB, 0);
        allocator.free(a);
        assertThrows(IllegalStateException.class, () -> allocator.free(a));
    }

    @Test
    void randomWorkloadsKeepTheBooksBalanced() {
        Random r = new Random(42);
        List<Block> live = new ArrayList<>();
        CachingAllocator a = new CachingAllocator(new SimulatedDeviceMemory(256 * MiB), () -> { });
        SimulatedDeviceMemory mem = (SimulatedDeviceMemory) a.memory();
        for (int step = 0; step < 5000; step++) {
            if (live.isEmpty() || r.nextInt(100) < 55) {
                long size = r.nextInt(4) == 0 ? r.nextInt(24 * (int) MiB) : r.nextInt(2 * (int) MiB);
                try {
                    live.add(a.malloc(size, r.nextInt(3)));
                } catch (CudaOutOfMemoryError e) {
                    if (!live.isEmpty()) a.free(live.remove(r.nextInt(live.size())));
                }
            } else {
                a.free(live.remove(r.nextInt(live.size())));
            }
            if (step % 500 == 0) a.emptyCache();
            checkBooks(a, mem, live);
        }
        live.forEach(a::free);
        a.emptyCache();
        assertEquals(0, mem.used());
        assertEquals(0, a.stats().get(Metric.RESERVED_BYTES, Pool.ALL).current());
        assertEquals(0, a.stats().get(Metric.INACTIVE_SPLIT_BYTES, Pool.ALL).current());
    }

    private static void checkBooks(CachingAllocator a, SimulatedDeviceMemory mem, List<Block> live) {
        MemoryStats s = a.stats();
        long bytes = 0;
        for (Block b : live) {
            bytes += b.size();
            assertTrue(mem.contains(b.address(), b.size()), b + " lies outside every segment");
        }
        List<Block> sorted = new ArrayList<>(live);
        sorted.sort((x, y) -> Long.compare(x.address(), y.address()));
        for (int i = 1; i < sorted.size(); i++)
            assertTrue(sorted.get(i - 1).address() + sorted.get(i - 1).size() <= sorted.get(i).address(), "overlap");
        assertEquals(bytes, s.get(Metric.ALLOCATED_BYTES, Pool.ALL).current());
        assertEquals(live.size(), s.get(Metric.ALLOCATION, Pool.ALL).current());
        assertEquals(mem.used(), s.get(Metric.RESERVED_BYTES, Pool.ALL).current());
        assertEquals(mem.segmentCount(), s.get(Metric.SEGMENT, Pool.ALL).current());
    }
}
