package dev.gpush.cuda;

import dev.gpush.cuda.MemoryStats.Metric;
import dev.gpush.cuda.MemoryStats.Pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The text of a {@link CudaOutOfMemoryError}: PyTorch's wording, then the largest live allocations. */
final class OutOfMemoryReport {
    private OutOfMemoryReport() {}

    static final int LARGEST = 5;   // live allocations (or sites) listed

    static String message(long size, DeviceMemory memory, MemoryStats stats, List<Block> live, boolean sites) {
        long allocated = stats.get(Metric.ALLOCATED_BYTES, Pool.ALL).current;
        long reserved = stats.get(Metric.RESERVED_BYTES, Pool.ALL).current;
        StringBuilder m = new StringBuilder()
                .append("CUDA out of memory. Tried to allocate ").append(Bytes.format(size))
                .append(". GPU ").append(memory.device()).append(" has a total capacity of ")
                .append(Bytes.format(memory.total())).append(" of which ").append(Bytes.format(memory.free()))
                .append(" is free. Of the allocated memory ").append(Bytes.format(allocated))
                .append(" is allocated by gpush, and ").append(Bytes.format(reserved - allocated))
                .append(" is reserved by gpush but unallocated.");
        if (live.isEmpty()) return m.append(" No gpush tensor holds memory on this device.").toString();
        if (sites) {
            m.append("\nThe largest live allocations by where they were made:");
            Map<String, long[]> bySite = new LinkedHashMap<>();
            for (Block b : live) {
                long[] t = bySite.computeIfAbsent(b.site == null ? "unknown" : b.site, k -> new long[2]);
                t[0] += b.size;
                t[1]++;
            }
            bySite.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                    .limit(LARGEST)
                    .forEach(e -> m.append("\n  ").append(Bytes.format(e.getValue()[0])).append(" in ")
                            .append(e.getValue()[1]).append(e.getValue()[1] == 1 ? " block at " : " blocks at ")
                            .append(e.getKey()));
        } else {
            m.append("\nThe largest live allocations:");
            for (Block b : live.subList(0, Math.min(LARGEST, live.size())))
                m.append(' ').append(Bytes.format(b.size)).append(',');
            m.setLength(m.length() - 1);
            m.append(" (of ").append(live.size()).append(" live). Call Cuda.recordMemoryHistory(true) to see where "
                    + "they were made; close tensors or use a Scope to free them sooner.");
        }
        return m.toString();
    }
}
