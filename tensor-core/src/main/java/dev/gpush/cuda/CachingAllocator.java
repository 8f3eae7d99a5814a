package dev.gpush.cuda;

import dev.gpush.cuda.MemoryStats.Metric;
import dev.gpush.cuda.MemoryStats.Pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A caching allocator for one device's memory, after PyTorch's {@code CUDACachingAllocator}. Rules:
 * <ul>
 *   <li>Every request is rounded up to a multiple of {@link #MIN_BLOCK_SIZE} bytes.</li>
 *   <li>Requests up to {@link #SMALL_SIZE} come from the small pool, whose segments are {@link #SMALL_BUFFER}
 *       bytes; larger ones from the large pool, whose segments are {@link #LARGE_BUFFER} bytes for requests under
 *       {@link #MIN_LARGE_ALLOC}, and the request rounded up to {@link #ROUND_LARGE} above that.</li>
 *   <li>A request takes the smallest cached free block of its pool and stream that fits (lowest address on ties),
 *       and only when none fits gets a new segment from the device.</li>
 *   <li>A block larger than the request is split, and the rest stays cached: in the small pool when at least
 *       {@link #MIN_BLOCK_SIZE} bytes remain, in the large pool when more than {@link #SMALL_SIZE} remain.</li>
 *   <li>A freed block merges with its free neighbours in the same segment, so a segment whose blocks are all free
 *       is one block again.</li>
 *   <li>Note [pools per stream]: a freed block is reused only by requests on the stream it was allocated on, so
 *       reuse is ordered after every kernel that used it, with no event or synchronisation.</li>
 *   <li>Note [out of memory ladder]: when the device has no room, the allocator (1) runs the garbage collector and
 *       waits for the cleaners to free unreachable tensors, then retries from the cache and the device; (2) gives
 *       back one cached whole segment large enough and retries; (3) gives back every cached whole segment
 *       ({@link #emptyCache}) and retries; (4) throws {@link CudaOutOfMemoryError}. Steps 2 and 3 count one
 *       {@code num_alloc_retries}; step 4 counts one {@code num_ooms}.</li>
 *   <li>{@link #emptyCache} returns to the device only whole free segments; memory in use stays where it is.</li>
 *   <li>Statistics ({@link MemoryStats}) count blocks and bytes allocated, active, inactive-split, requested and
 *       reserved, with peaks and totals, per pool, as {@code torch.cuda.memory_stats()} does.</li>
 * </ul>
 * The allocator is thread-safe: tensors are freed by their owners and, when unreachable, by the cleaner thread.
 */
public final class CachingAllocator {
    public static final long MIN_BLOCK_SIZE = 512;                  // bytes: sizes are multiples of this
    public static final long SMALL_SIZE = 1 << 20;                  // bytes: largest request of the small pool
    public static final long SMALL_BUFFER = 2 << 20;                // bytes: a small-pool segment
    public static final long LARGE_BUFFER = 20 << 20;               // bytes: a large-pool segment for requests < MIN_LARGE_ALLOC
    public static final long MIN_LARGE_ALLOC = 10 << 20;            // bytes: requests from here get a segment of their own
    public static final long ROUND_LARGE = 2 << 20;                 // bytes: those segments are rounded up to this

    private final DeviceMemory memory;
    private final Runnable collectGarbage;   // step 1 of the ladder; runs without the lock, since cleaners need it
    private final BlockPool smallPool = new BlockPool(), largePool = new BlockPool();
    private final Set<Block> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final MemoryStats stats = new MemoryStats();
    private volatile boolean recordHistory;
    private long frees;                      // free() calls so far, to see when the cleaners have drained

    /** An allocator whose first rung of the ladder is {@code collectGarbage} (tests pass their own). */
    public CachingAllocator(DeviceMemory memory, Runnable collectGarbage) {
        this.memory = memory;
        this.collectGarbage = collectGarbage;
    }

    /** An allocator whose first rung runs the JVM's garbage collector and waits for the cleaners. */
    public static CachingAllocator withGarbageCollection(DeviceMemory memory) {
        CachingAllocator[] self = new CachingAllocator[1];
        self[0] = new CachingAllocator(memory, () -> self[0].collectGarbageAndDrainCleaners());
        return self[0];
    }

    static long roundSize(long bytes) {
        if (bytes < MIN_BLOCK_SIZE) return MIN_BLOCK_SIZE;
        return (bytes + MIN_BLOCK_SIZE - 1) / MIN_BLOCK_SIZE * MIN_BLOCK_SIZE;
    }

    static long segmentSize(long size) {
        if (size <= SMALL_SIZE) return SMALL_BUFFER;
        if (size < MIN_LARGE_ALLOC) return LARGE_BUFFER;
        return (size + ROUND_LARGE - 1) / ROUND_LARGE * ROUND_LARGE;
    }

    /** A block of at least {@code bytes} bytes for use on {@code stream}; see the ladder in the class comment. */
    public Block malloc(long bytes, long stream) {
        if (bytes < 0) throw new IllegalArgumentException("cannot allocate a negative number of bytes: " + bytes);
        long size = roundSize(bytes);
        String site = recordHistory ? AllocationSite.caller() : null;
        synchronized (this) {
            Block b = tryAllocate(bytes, size, stream, false, site);
            if (b != null) return b;
        }
        collectGarbage.run();
        synchronized (this) {
            Block b = tryAllocate(bytes, size, stream, true, site);
            if (b != null) return b;
            stats.numOoms++;
            throw new CudaOutOfMemoryError(OutOfMemoryReport.message(size, memory, stats, liveBlocks(), recordHistory),
                    size);
        }
    }

    private Block tryAllocate(long requested, long size, long stream, boolean releaseCache, String site) {
        boolean small = size <= SMALL_SIZE;
        BlockPool pool = small ? smallPool : largePool;
        Block block = pool.bestFit(stream, size);
        if (block != null) {
            pool.remove(block);
            countInactiveSplit(block, -1);
        } else {
            block = newSegment(stream, small, segmentSize(size), releaseCache);
            if (block == null) return null;
        }
        if (shouldSplit(block, size)) {
            Block rest = new Block(stream, small, block.address + size, block.size - size);
            rest.prev = block;
            rest.next = block.next;
            if (block.next != null) block.next.prev = rest;
            block.next = rest;
            block.size = size;
            pool.add(rest);
            countInactiveSplit(rest, +1);
        }
        block.allocated = true;
        block.requested = requested;
        block.site = site;
        live.add(block);
        stats.add(Metric.ALLOCATION, small, 1);
        stats.add(Metric.ALLOCATED_BYTES, small, block.size);
        stats.add(Metric.ACTIVE, small, 1);
        stats.add(Metric.ACTIVE_BYTES, small, block.size);
        stats.add(Metric.REQUESTED_BYTES, small, requested);
        return block;
    }

    private Block newSegment(long stream, boolean small, long segSize, boolean releaseCache) {
        long address = memory.allocate(segSize);
        if (address == DeviceMemory.OUT_OF_MEMORY && releaseCache) {
            stats.numAllocRetries++;
            if (releaseOneSegment(small ? smallPool : largePool, segSize)) address = memory.allocate(segSize);
            if (address == DeviceMemory.OUT_OF_MEMORY) {
                releaseCachedSegments();
                address = memory.allocate(segSize);
            }
        }
        if (address == DeviceMemory.OUT_OF_MEMORY) return null;
        stats.numDeviceAlloc++;
        stats.add(Metric.SEGMENT, small, 1);
        stats.add(Metric.RESERVED_BYTES, small, segSize);
        return new Block(stream, small, address, segSize);
    }

    private static boolean shouldSplit(Block block, long size) {
        long remaining = block.size - size;
        return block.small ? remaining >= MIN_BLOCK_SIZE : remaining > SMALL_SIZE;
    }

    /** Returns {@code block} to its pool, merged with its free neighbours. Freeing a block twice is an error. */
    public synchronized void free(Block block) {
        if (!block.allocated) throw new IllegalStateException("freed twice: " + block);
        live.remove(block);
        boolean small = block.small;
        stats.add(Metric.ALLOCATION, small, -1);
        stats.add(Metric.ALLOCATED_BYTES, small, -block.size);
        stats.add(Metric.ACTIVE, small, -1);
        stats.add(Metric.ACTIVE_BYTES, small, -block.size);
        stats.add(Metric.REQUESTED_BYTES, small, -block.requested);
        block.allocated = false;
        block.requested = 0;
        block.site = null;
        BlockPool pool = small ? smallPool : largePool;
        Block prev = block.prev, next = block.next;
        if (prev != null && !prev.allocated) {
            pool.remove(prev);
            countInactiveSplit(prev, -1);
            block.address = prev.address;
            block.size += prev.size;
            block.prev = prev.prev;
            if (block.prev != null) block.prev.next = block;
        }
        if (next != null && !next.allocated) {
            pool.remove(next);
            countInactiveSplit(next, -1);
            block.size += next.size;
            block.next = next.next;
            if (block.next != null) block.next.prev = block;
        }
        countInactiveSplit(block, +1);
        pool.add(block);
        frees++;
    }

    private void countInactiveSplit(Block b, int sign) {
        if (!b.isInactiveSplit()) return;
        stats.add(Metric.INACTIVE_SPLIT, b.small, sign);
        stats.add(Metric.INACTIVE_SPLIT_BYTES, b.small, sign * b.size);
    }

    /** Gives every cached whole segment back to the device; returns the bytes given back. */
    public synchronized long emptyCache() { return releaseCachedSegments(); }

    private long releaseCachedSegments() {
        long released = 0;
        for (BlockPool pool : List.of(smallPool, largePool))
            for (Block b : pool.wholeSegments()) released += release(pool, b);
        return released;
    }

    /** Step 2 of the ladder: the smallest cached whole segment of {@code pool} of at least {@code size} bytes. */
    private boolean releaseOneSegment(BlockPool pool, long size) {
        for (Block b : pool.wholeSegments())
            if (b.size >= size) {
                release(pool, b);
                return true;
            }
        return false;
    }

    private long release(BlockPool pool, Block b) {
        pool.remove(b);
        memory.release(b.address, b.size);
        stats.numDeviceFree++;
        stats.add(Metric.SEGMENT, b.small, -1);
        stats.add(Metric.RESERVED_BYTES, b.small, -b.size);
        return b.size;
    }

    /**
     * Step 1 of the ladder. Note [draining the cleaners]: {@code System.gc()} finds the unreachable tensors, but
     * their memory comes back only when the cleaner thread has run their release; so wait, briefly and boundedly,
     * until frees stop arriving.
     */
    private void collectGarbageAndDrainCleaners() {
        System.gc();
        long seen = frees();
        int quiet = 0;
        for (int i = 0; i < 40 && quiet < 2; i++) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = frees();
            quiet = now == seen ? quiet + 1 : 0;
            seen = now;
        }
    }

    private synchronized long frees() { return frees; }

    /** Turns recording of allocation sites on or off (for the OOM report and {@code %memory --sites}). */
    public void recordHistory(boolean on) { recordHistory = on; }

    public boolean isRecordingHistory() { return recordHistory; }

    /** A copy of the statistics now. */
    public synchronized MemoryStats stats() { return stats.copy(); }

    public synchronized void resetPeakStats() { stats.resetPeaks(); }

    public synchronized void resetAccumulatedStats() { stats.resetAccumulated(); }

    /** The live (allocated) blocks, largest first. */
    public synchronized List<Block> liveBlocks() {
        List<Block> r = new ArrayList<>(live);
        r.sort((a, b) -> Long.compare(b.size, a.size));
        return r;
    }

    /** Free blocks held in the cache, for tests and the summary. */
    synchronized int cachedBlocks() { return smallPool.size() + largePool.size(); }

    public DeviceMemory memory() { return memory; }
}
