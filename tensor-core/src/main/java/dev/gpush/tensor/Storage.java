package dev.gpush.tensor;

import java.lang.ref.Cleaner;

/**
 * A flat block of elements of one dtype on one device, shared by a tensor and all its views.
 *
 * <p>Rules:
 * <ul>
 *   <li>Every live (not closed) tensor on this storage holds one reference; the last {@link #release()} frees
 *       the memory at once. Storage nobody references any more is freed by the backend's cleaner instead.</li>
 *   <li>Storage of native memory (a GPU's) hands its release to {@link #freeWhenUnreachable}: it runs once,
 *       either at the last {@link #release()} or, through a {@link Cleaner}, after the storage became
 *       unreachable. Java heap storage (the CPU's) needs neither: the GC reclaims it.</li>
 *   <li>{@link #version()} counts in-place writes. Autograd records it when it saves a tensor for backward and
 *       refuses to use the tensor if it changed since (PyTorch's version counter).</li>
 * </ul>
 */
public abstract class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private Cleaner.Cleanable cleanable;
    private final DType dtype;
    private final int length;
    private int refs = 0;
    private int version = 0;

    protected Storage(DType dtype, int length) {
        this.dtype = dtype;
        this.length = length;
    }

    public final DType dtype() { return dtype; }
    /** Number of elements. */
    public final int length() { return length; }
    public abstract Device device();

    public final int version() { return version; }
    public final void bumpVersion() { version++; }

    final synchronized void retain() { refs++; }

    /** Live tensors holding this storage. */
    public final synchronized int refCount() { return refs; }

    final synchronized void release() {
        if (--refs == 0) {
            free();
            if (cleanable != null) cleanable.clean();
        }
    }

    /**
     * Registers the action that returns this storage's memory. It must not refer to this storage (or it would
     * never become unreachable); it runs exactly once, at the last release or after the storage is collected.
     */
    protected final void freeWhenUnreachable(Runnable freeMemory) {
        cleanable = CLEANER.register(this, freeMemory);
    }

    /** Drops this storage's hold on its memory now; later access fails with a clear error. */
    protected abstract void free();

    public abstract boolean isFreed();
}
