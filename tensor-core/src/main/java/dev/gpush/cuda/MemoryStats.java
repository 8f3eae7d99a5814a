package dev.gpush.cuda;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The caching allocator's counters, named and kept as PyTorch's {@code torch.cuda.memory_stats()} keeps them: each
 * {@link Metric} has a current value, a peak, a running total of increases ("allocated") and of decreases ("freed"),
 * for all blocks and separately for the small and the large pool.
 */
public final class MemoryStats {
    /** What a statistic counts. Byte metrics end in {@code _bytes}; the others count blocks or segments. */
    public enum Metric {
        ALLOCATION("allocation"),                     // blocks handed out to tensors
        SEGMENT("segment"),                           // segments got from the device
        ACTIVE("active"),                             // blocks in use (allocated, or freed while a stream still uses them)
        INACTIVE_SPLIT("inactive_split"),             // free blocks inside split segments
        ALLOCATED_BYTES("allocated_bytes"),           // bytes of allocated blocks
        RESERVED_BYTES("reserved_bytes"),             // bytes of segments got from the device
        ACTIVE_BYTES("active_bytes"),
        INACTIVE_SPLIT_BYTES("inactive_split_bytes"),
        REQUESTED_BYTES("requested_bytes");           // bytes callers asked for, before rounding

        final String key;

        Metric(String key) { this.key = key; }
    }

    /** The pools a statistic is kept for. */
    public enum Pool {
        ALL("all"), SMALL("small_pool"), LARGE("large_pool");

        final String key;

        Pool(String key) { this.key = key; }
    }

    /** One counter. */
    public static final class Stat {
        long current, peak, allocated, freed;

        void add(long n) {
            if (n >= 0) allocated += n; else freed -= n;
            current += n;
            peak = Math.max(peak, current);
        }

        public long current() { return current; }
        public long peak() { return peak; }
        public long allocated() { return allocated; }
        public long freed() { return freed; }
    }

    private final Map<Metric, Map<Pool, Stat>> stats = new EnumMap<>(Metric.class);
    long numAllocRetries;   // device allocations that failed and were retried after freeing cached blocks
    long numOoms;           // requests that ended in CudaOutOfMemoryError
    long numDeviceAlloc;    // segments got from the device (cuMemAlloc calls that succeeded)
    long numDeviceFree;     // segments given back (cuMemFree calls)

    MemoryStats() {
        for (Metric m : Metric.values()) {
            Map<Pool, Stat> byPool = new EnumMap<>(Pool.class);
            for (Pool p : Pool.values()) byPool.put(p, new Stat());
            stats.put(m, byPool);
        }
    }

    /** Changes {@code metric} by {@code n} for the block's pool and for all pools. */
    void add(Metric metric, boolean small, long n) {
        if (n == 0) return;
        Map<Pool, Stat> byPool = stats.get(metric);
        byPool.get(Pool.ALL).add(n);
        byPool.get(small ? Pool.SMALL : Pool.LARGE).add(n);
    }

    public Stat get(Metric metric, Pool pool) { return stats.get(metric).get(pool); }

    public long numAllocRetries() { return numAllocRetries; }
    public long numOoms() { return numOoms; }

    void resetPeaks() {
        for (Map<Pool, Stat> byPool : stats.values()) for (Stat s : byPool.values()) s.peak = s.current;
    }

    void resetAccumulated() {
        for (Map<Pool, Stat> byPool : stats.values())
            for (Stat s : byPool.values()) { s.allocated = 0; s.freed = 0; }
        numAllocRetries = numOoms = numDeviceAlloc = numDeviceFree = 0;
    }

    MemoryStats copy() {
        MemoryStats c = new MemoryStats();
        for (Metric m : Metric.values())
            for (Pool p : Pool.values()) {
                Stat from = get(m, p), to = c.get(m, p);
                to.current = from.current; to.peak = from.peak; to.allocated = from.allocated; to.freed = from.freed;
            }
        c.numAllocRetries = numAllocRetries;
        c.numOoms = numOoms;
        c.numDeviceAlloc = numDeviceAlloc;
        c.numDeviceFree = numDeviceFree;
        return c;
    }

    /** The flat map of {@code torch.cuda.memory_stats()}: keys such as {@code allocated_bytes.all.current}. */
    public Map<String, Long> asMap() {
        Map<String, Long> r = new LinkedHashMap<>();
        for (Metric m : Metric.values())
            for (Pool p : Pool.values()) {
                Stat s = get(m, p);
                String k = m.key + "." + p.key + ".";
                r.put(k + "current", s.current);
                r.put(k + "peak", s.peak);
                r.put(k + "allocated", s.allocated);
                r.put(k + "freed", s.freed);
            }
        r.put("num_alloc_retries", numAllocRetries);
        r.put("num_ooms", numOoms);
        r.put("num_device_alloc", numDeviceAlloc);
        r.put("num_device_free", numDeviceFree);
        return r;
    }
}
