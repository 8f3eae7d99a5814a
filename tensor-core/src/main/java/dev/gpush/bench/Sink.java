package dev.gpush.bench;

import dev.gpush.tensor.Tensor;

/**
 * Where timed ops put their results, so the JIT cannot prove them unused and drop the op.
 *
 * <p>Small results rotate through 16 slots, so no two stores in a row go to the same slot and none can be
 * collapsed. Results of megabytes go to one slot: at most one of them outlives its op (the one being replaced
 * while the next is made), as in Python, where {@code r = a + b} frees the previous {@code r} at the assignment.
 *
 * <p>A dropped result on a GPU is closed, so its memory goes back to the caching allocator at once, as Python's
 * reference count frees it. Left to the GC, a loop of 256 MB results would fill the device and time the
 * allocator's out-of-memory ladder (GC, cleaners, retry) instead of the op. CPU results are left to the GC.
 */
final class Sink {
    private Sink() {}

    private static final Object[] SLOTS = new Object[16];
    private static Object last;

    /** Keeps a small result of iteration {@code i}. */
    static void keep(long i, Object result) {
        int slot = (int) (i & 15);
        drop(SLOTS[slot], result);
        SLOTS[slot] = result;
    }

    /** Keeps a large result, dropping the previous one. */
    static void keepLast(Object result) {
        drop(last, result);
        last = result;
    }

    private static void drop(Object dropped, Object kept) {
        if (dropped instanceof Tensor t && dropped != kept && t.device().isCuda()) t.close();
    }
}
