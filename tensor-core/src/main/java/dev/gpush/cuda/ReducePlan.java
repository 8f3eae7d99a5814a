package dev.gpush.cuda;

/**
 * How reduce.cu spreads one reduction over the device: {@code lanes} threads fold each output element's inner
 * positions, and with {@code chunks > 1} each element's positions are cut into that many ranges whose partials a
 * second pass combines.
 *
 * <p>Rules (PyTorch's Reduce.cuh weighs the same things):
 * <ul>
 *   <li>Short rows (at most {@link #SHORT} positions) get one thread an element: a warp or a block would idle.</li>
 *   <li>When outputs neighbour each other in memory and the reduced positions do not (a sum over a leading dim,
 *       a bias gradient), one thread an element reads along the outputs, so a warp's loads are coalesced, as long
 *       as there are at least {@link #WIDE} outputs to read along.</li>
 *   <li>Otherwise a warp folds a row of up to {@link #WARP_ROW} positions and a block a longer one; lanes read
 *       neighbouring positions.</li>
 *   <li>Too few threads to fill the device ({@code multiprocessors * }{@link #THREADS_PER_SM}) and rows long
 *       enough: the rows are cut into chunks, each with at least {@link #MIN_PER_LANE} positions a lane, until the
 *       device is full. A full sum of 2^26 elements thus runs on every multiprocessor, not on one block.</li>
 *   <li>Chunks are combined in a second pass in a fixed order, never with atomics, so a result is the same on
 *       every run.</li>
 * </ul>
 */
record ReducePlan(int lanes, long chunks) {
    static final int THREADS = 256;           // GP_REDUCE_THREADS in reduce.cu: a block's threads
    static final int SHORT = 32;
    static final int WIDE = 256;
    static final int WARP_ROW = 4096;
    static final int THREADS_PER_SM = 2048;   // resident threads per multiprocessor on most GPUs since Volta
    static final int MIN_PER_LANE = 32;
    static final int MAX_BLOCKS = 1 << 16;    // grid-stride loops cover the rest

    /**
     * The plan for {@code outputs} elements of {@code positions} each. {@code inputAlongOutputs}: the input's
     * innermost kept dim has stride 1 and its innermost reduced dim does not.
     */
    static ReducePlan of(long outputs, long positions, boolean inputAlongOutputs, int multiprocessors) {
        int lanes;
        if (positions <= SHORT || inputAlongOutputs && outputs >= WIDE) lanes = 1;
        else if (positions <= WARP_ROW) lanes = 32;
        else lanes = THREADS;
        long fill = (long) multiprocessors * THREADS_PER_SM, threads = outputs * lanes;
        long chunks = 1;
        if (threads < fill) chunks = Math.max(1, Math.min(ceilDiv(fill, threads), positions / ((long) lanes * MIN_PER_LANE)));
        return new ReducePlan(lanes, chunks);
    }

    /** Groups of {@code lanes} threads: one per chunk of each output element. */
    long groups(long outputs) { return outputs * chunks; }

    /** Blocks of {@link #THREADS} for the first pass. */
    int blocks(long outputs) { return (int) Math.max(1, Math.min(MAX_BLOCKS, ceilDiv(groups(outputs) * lanes, THREADS))); }

    /** Blocks of {@link #THREADS} for the second pass: a warp an output element. */
    static int partsBlocks(long outputs) { return (int) Math.max(1, Math.min(MAX_BLOCKS, ceilDiv(outputs * 32, THREADS))); }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
