package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Storage;

/**
 * Storage in a CUDA device's memory: one block of the device's {@link CachingAllocator}. The block goes back to the
 * allocator exactly once, at the last {@code close()} of a tensor on it or, through the cleaner, after the storage
 * became unreachable (Storage's rules); the allocator caches it for the next request on the same stream.
 */
final class CudaStorage extends Storage {
    private final Device device;
    private volatile long address;   // 0 once freed

    CudaStorage(CudaDevice dev, DType dtype, int length) {
        super(dtype, length);
        this.device = Device.cuda(dev.index());
        CachingAllocator allocator = dev.allocator();
        Block block = allocator.malloc((long) length * dtype.itemSize(), CudaDevice.DEFAULT_STREAM);
        this.address = block.address();
        freeWhenUnreachable(() -> allocator.free(block));   // refers to the block, never to this storage
    }

    @Override public Device device() { return device; }

    /** The device address of element 0. */
    long address() {
        long a = address;
        if (a == 0) throw new IllegalStateException("tensor storage was freed (the tensor or its Scope was closed)");
        return a;
    }

    @Override protected void free() { address = 0; }

    @Override public boolean isFreed() { return address == 0; }
}
