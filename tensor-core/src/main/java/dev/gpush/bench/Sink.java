package dev.gpush.bench;

/**
 * Where timed ops put their results, so the JIT cannot prove them unused and drop the op.
 *
 * <p>Small results rotate through 16 slots, so no two stores in a row go to the same slot and none can be
 * collapsed. Results of megabytes go to one slot: at most one of them outlives its op (the one being replaced
 * while the next is made), as in Python, where {@code r = a + b} frees the previous {@code r} at the assignment.
 */
final class Sink {
    private Sink() {}

    private static final Object[] SLOTS = new Object[16];
    private static Object last;

    /** Keeps a small result of iteration {@code i}. */
    static void keep(long i, Object result) { SLOTS[(int) (i & 15)] = result; }

    /** Keeps a large result, dropping the previous one. */
    static void keepLast(Object result) { last = result; }
}
