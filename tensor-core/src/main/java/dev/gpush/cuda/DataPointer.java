package dev.gpush.cuda;

import dev.gpush.tensor.Tensor;

/**
 * PyTorch's {@code tensor.data_ptr()} for CUDA tensors: the device address of a tensor's first element, for
 * libraries outside this package that take raw device pointers (NCCL, in {@code dev.gpush.distributed}). The
 * address is valid while the tensor's storage is alive; work queued on it must be ordered on the default stream,
 * where every gpush kernel runs, or waited for before the storage is freed.
 */
public final class DataPointer {
    private DataPointer() {}

    /** The address of {@code t}'s element 0 on its device: its storage's block plus its offset. */
    public static long of(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s))
            throw new IllegalArgumentException("DataPointer.of: the tensor is on " + t.device() + ", not a CUDA device");
        return s.address() + (long) t.storageOffset() * t.dtype().itemSize();
    }
}
