package dev.gpush.cuda;

import java.util.function.IntFunction;

/**
 * One device's streams, handed out round robin like PyTorch's stream pool: {@link #SIZE} per priority, each made
 * on first use and never destroyed. Reusing streams keeps their handles stable, so the allocator's per-stream pools
 * (Note [pools per stream]) never see a handle of a destroyed stream come back as a new stream's.
 */
final class StreamPool {
    static final int SIZE = 32;   // streams per priority, as in PyTorch

    private final IntFunction<CudaStream> create;   // priority -> a new stream of this device
    private final CudaStream[][] streams = new CudaStream[2][SIZE];
    private final int[] next = new int[2];

    /** A pool whose streams {@code create} makes (the driver's, or tests' own). */
    StreamPool(IntFunction<CudaStream> create) { this.create = create; }

    /** The next stream of {@code priority} (0 normal, -1 high). */
    synchronized CudaStream next(int priority) {
        int level = priority < 0 ? 1 : 0;
        int i = next[level];
        next[level] = (i + 1) % SIZE;
        if (streams[level][i] == null) streams[level][i] = create.apply(priority);
        return streams[level][i];
    }
}
