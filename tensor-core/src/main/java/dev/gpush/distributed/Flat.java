package dev.gpush.distributed;

import dev.gpush.autograd.GradMode;
import dev.gpush.cpu.CpuStorage;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * A CPU tensor seen as {@code length} elements of its storage array from {@code offset}, for a collective that
 * works in place. A contiguous tensor is used directly; any other is copied to a contiguous buffer, and
 * {@link #commit()} copies the result back. Either way {@code commit} counts the in-place write in the
 * storage's version, so autograd notices a tensor it saved being changed.
 */
final class Flat implements AutoCloseable {
    final Tensor tensor;
    final Object array;
    final int offset, length;
    final DType dtype;
    private final Tensor work;

    private Flat(Tensor tensor, Tensor work) {
        this.tensor = tensor;
        this.work = work;
        this.array = ((CpuStorage) work.storage()).data();
        this.offset = work.storageOffset();
        this.length = work.numel();
        this.dtype = work.dtype();
    }

    static Flat of(Tensor t, String op) {
        checkCpu(t, op);
        return new Flat(t, t.isContiguous() ? t : t.contiguous());
    }

    static void checkCpu(Tensor t, String op) {
        if (t == null) throw new IllegalArgumentException(op + ": the tensor is null");
        if (!t.device().isCpu())
            throw new IllegalArgumentException(op + ": the cpu process group takes CPU tensors, got one on "
                    + t.device() + "; use the nccl backend for CUDA tensors");
    }

    /** Makes the result visible in the tensor. */
    void commit() {
        if (work == tensor) {
            tensor.storage().bumpVersion();
        } else {
            try (GradMode g = GradMode.disable()) {
                tensor.copy_(work);
            }
        }
    }

    @Override public void close() {
        if (work != tensor) work.close();
    }
}
