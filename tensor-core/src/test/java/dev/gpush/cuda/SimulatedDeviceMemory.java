package dev.gpush.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * Device memory of a fixed capacity, kept in the JVM: the allocator's policy runs over it exactly as over the
 * driver. Addresses are handed out from a bump pointer and never reused, so a block that points into a released
 * segment is caught by {@link #contains}.
 */
final class SimulatedDeviceMemory implements DeviceMemory {
    private final long capacity;
    private final Map<Long, Long> segments = new HashMap<>();   // address -> bytes
    private long used;
    private long next = 1L << 32;
    int allocations, releases, failures;

    SimulatedDeviceMemory(long capacity) { this.capacity = capacity; }

    @Override public long allocate(long bytes) {
        if (used + bytes > capacity) {
            failures++;
            return OUT_OF_MEMORY;
        }
        long address = next;
        next += bytes + 4096;
        segments.put(address, bytes);
        used += bytes;
        allocations++;
        return address;
    }

    @Override public void release(long address, long bytes) {
        Long size = segments.remove(address);
        if (size == null || size != bytes)
            throw new AssertionError("released 0x" + Long.toHexString(address) + " (" + bytes + " bytes), not a segment");
        used -= bytes;
        releases++;
    }

    @Override public long free() { return capacity - used; }
    @Override public long total() { return capacity; }
    @Override public int device() { return 0; }

    long used() { return used; }

    int segmentCount() { return segments.size(); }

    /** Whether [address, address + bytes) lies inside one live segment. */
    boolean contains(long address, long bytes) {
        for (var e : segments.entrySet())
            if (address >= e.getKey() && address + bytes <= e.getKey() + e.getValue()) return true;
        return false;
    }
}
