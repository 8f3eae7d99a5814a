package dev.gpush.cuda;

/**
 * A run of bytes inside one segment got from the device: either allocated to a tensor or free in a pool. The blocks
 * of a segment form a doubly linked list in address order ({@link #prev}, {@link #next}), so that a freed block can
 * merge with free neighbours. A segment that was never split is a single block with no neighbours.
 */
public final class Block {
    final long stream;      // the stream whose pool owns this block (Note [pools per stream] in CachingAllocator)
    final boolean small;    // in the small pool (segments of SMALL_BUFFER bytes) or the large one
    long address;           // device address of the first byte
    long size;              // bytes, a multiple of MIN_BLOCK_SIZE
    long requested;         // bytes the caller asked for while allocated, 0 when free
    boolean allocated;
    Block prev, next;       // neighbours in the same segment, null at the segment's ends
    String site;            // where it was allocated, when allocation history is recorded

    Block(long stream, boolean small, long address, long size) {
        this.stream = stream;
        this.small = small;
        this.address = address;
        this.size = size;
    }

    /** The device address of this block's first byte. */
    public long address() { return address; }

    /** The bytes reserved for this block (the request rounded up). */
    public long size() { return size; }

    /** The bytes the caller asked for. */
    public long requested() { return requested; }

    boolean isSplit() { return prev != null || next != null; }

    /** Free and part of a split segment: PyTorch's "inactive split" memory, lost to fragmentation until merged. */
    boolean isInactiveSplit() { return !allocated && isSplit(); }

    @Override public String toString() {
        return (allocated ? "allocated" : "free") + " block of " + size + " bytes at 0x" + Long.toHexString(address)
                + " on stream " + stream;
    }
}
