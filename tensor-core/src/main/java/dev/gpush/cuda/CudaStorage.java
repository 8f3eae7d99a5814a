package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Storage in a CUDA device's memory: one block of the device's {@link CachingAllocator}, taken from the pool of the
 * calling thread's current stream (Note [current stream] in {@link CudaStream}). The block goes back to the allocator
 * exactly once, at the last {@code close()} of a tensor on it or, through the cleaner, after the storage became
 * unreachable (Storage's rules); the allocator caches it for the next request on the same stream.
 *
 * <p>Note [recorded streams]: {@link Cuda#recordStream} names other streams that use this memory. When the block
 * goes back, its allocation stream is first made to wait (an event, no host wait) for the work queued on each of
 * them so far; reuse on the allocation stream is then ordered after that work. PyTorch defers the reuse instead;
 * waiting costs a little overlap and needs no change to the allocator's policy.
 */
final class CudaStorage extends Storage {
    private final Device device;
    private final CudaStream stream;                                   // the stream whose pool the block came from
    private final List<CudaStream> usedOn = new ArrayList<>(0);       // Note [recorded streams]; guarded by itself
    private volatile long address;   // 0 once freed

    CudaStorage(CudaDevice dev, DType dtype, int length) {
        super(dtype, length);
        this.device = Device.cuda(dev.index());
        this.stream = CurrentStreams.get(dev.index());
        CachingAllocator allocator = dev.allocator();
        Block block = allocator.malloc((long) length * dtype.itemSize(), stream.handle());
        this.address = block.address();
        CudaStream allocatedOn = stream;
        List<CudaStream> others = usedOn;
        freeWhenUnreachable(() -> {   // refers to the block and the list, never to this storage
            try {
                synchronized (others) {
                    for (CudaStream s : others) DriverStreams.join(allocatedOn, s);
                }
            } finally {
                allocator.free(block);
            }
        });
    }

    @Override public Device device() { return device; }

    /** The device address of element 0. */
    long address() {
        long a = address;
        if (a == 0) throw new IllegalStateException("tensor storage was freed (the tensor or its Scope was closed)");
        return a;
    }

    /** Notes that work on {@code other} uses this memory (Note [recorded streams]). */
    void recordStream(CudaStream other) {
        if (other.device() != stream.device())
            throw new IllegalArgumentException("a tensor on cuda:" + stream.device() + " cannot be used on " + other);
        synchronized (usedOn) {
            if (!other.equals(stream) && !usedOn.contains(other)) usedOn.add(other);
        }
    }

    @Override protected void free() { address = 0; }

    @Override public boolean isFreed() { return address == 0; }
}
