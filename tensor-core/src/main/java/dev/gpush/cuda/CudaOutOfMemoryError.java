package dev.gpush.cuda;

/**
 * A CUDA allocation failed after the allocator ran the garbage collector, drained the cleaners and emptied its
 * cache. The message follows PyTorch's {@code torch.OutOfMemoryError}: how much was asked, the device's capacity and
 * free memory, what gpush holds allocated and reserved, and the largest live allocations with where they were made.
 * It is an exception, not an {@link Error}: the session goes on and the memory is usable again once tensors are
 * closed.
 */
public final class CudaOutOfMemoryError extends RuntimeException {
    private final long requested;

    public CudaOutOfMemoryError(String message, long requested) {
        super(message);
        this.requested = requested;
    }

    /** The bytes the failed request asked for. */
    public long requested() { return requested; }
}
