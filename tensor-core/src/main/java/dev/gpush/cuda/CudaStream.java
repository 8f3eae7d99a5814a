package dev.gpush.cuda;

/**
 * A CUDA stream, as {@code torch.cuda.Stream}: a queue of work on one device that runs in order, concurrently with
 * other streams. Rules (Note [current stream], after PyTorch's):
 * <ul>
 *   <li>Each thread has a current stream per device, the device's default stream until set
 *       ({@link #use()}, {@link Cuda#setStream}). Every op gpush runs on a device (kernels, cuBLAS, memsets, host
 *       copies) is queued on the calling thread's current stream of that device, and new tensor memory comes from
 *       that stream's pool of the caching allocator (Note [pools per stream]).</li>
 *   <li>The default stream is CUDA's legacy default stream (handle 0). Streams made here are non-blocking: they
 *       do not wait for the default stream, nor it for them; order work across streams with {@link #waitEvent} or
 *       {@link #waitStream}.</li>
 *   <li>{@code new CudaStream(device)} takes the next stream of a pool of {@link StreamPool#SIZE} per device and
 *       priority, round robin, as PyTorch does: streams are never destroyed, so making one in a loop leaks
 *       nothing, and the 33rd stream of a device is the first again.</li>
 *   <li>Priority 0 is the normal priority, -1 the high one (the device's greatest).</li>
 *   <li>A tensor used on a stream other than the one it was allocated on must be kept alive until that work is
 *       done, or be named to {@link Cuda#recordStream}: its memory goes back to its allocation stream's pool when
 *       freed, and is reused there without waiting for other streams.</li>
 * </ul>
 * It is named {@code CudaStream}, not {@code Stream}, because the shell imports {@code java.util.stream.*} and
 * {@code dev.gpush.cuda.*} into every snippet, and the two would clash. This class names no CUDA type: its driver
 * calls go through {@link DriverStreams}, so a machine without CUDA can load it (shared/CUDA-NOTES.md, fact 1)
 * and gets {@link Cuda#unavailableReason()} when it asks for a stream.
 */
public final class CudaStream {
    static final int NORMAL_PRIORITY = 0, HIGH_PRIORITY = -1;

    private final int device;
    private final long handle;      // the CUstream's address; 0 for the legacy default stream
    private final int priority;
    final Object raw;               // the CUstream_st, or null for the default stream (DriverStreams reads it)

    /** A stream of the current device at normal priority. */
    public CudaStream() { this(Cuda.currentDevice(), NORMAL_PRIORITY); }

    /** A stream of {@code device} at normal priority. */
    public CudaStream(int device) { this(device, NORMAL_PRIORITY); }

    /** A stream of {@code device}; {@code priority} is 0 (normal) or -1 (high). */
    public CudaStream(int device, int priority) { this(pooled(device, priority)); }

    private CudaStream(CudaStream pooled) { this(pooled.device, pooled.handle, pooled.priority, pooled.raw); }

    private CudaStream(int device, long handle, int priority, Object raw) {
        this.device = device;
        this.handle = handle;
        this.priority = priority;
        this.raw = raw;
    }

    /** A stream from its parts (for the pool, the default streams and tests): no driver call. */
    static CudaStream of(int device, long handle, int priority, Object raw) {
        return new CudaStream(device, handle, priority, raw);
    }

    private static CudaStream pooled(int device, int priority) {
        if (priority != NORMAL_PRIORITY && priority != HIGH_PRIORITY)
            throw new IllegalArgumentException("stream priority must be 0 (normal) or -1 (high), got " + priority);
        return CudaDevice.get(device).streams().next(priority);
    }

    public int device() { return device; }

    /** 0 (normal) or -1 (high). */
    public int priority() { return priority; }

    /** The {@code CUstream} handle as a number ({@code torch.cuda.Stream.cuda_stream}); 0 for the default stream. */
    public long handle() { return handle; }

    public boolean isDefault() { return handle == 0; }

    /** Waits until all work queued on this stream has finished. */
    public void synchronize() { DriverStreams.synchronize(this); }

    /** Whether all work queued on this stream has finished. */
    public boolean query() { return DriverStreams.query(this); }

    /** Makes work queued on this stream from now on wait until {@code event} has completed (no host wait). */
    public void waitEvent(CudaEvent event) { event.block(this); }

    /** Makes work queued on this stream from now on wait for the work queued on {@code other} until now. */
    public void waitStream(CudaStream other) {
        if (other.equals(this)) return;
        waitEvent(other.recordEvent());
    }

    /** Records a new event (without timing) on this stream and returns it. */
    public CudaEvent recordEvent() {
        CudaEvent e = new CudaEvent();
        e.record(this);
        return e;
    }

    /**
     * Makes this stream the current one of its device, and its device the current device, until the returned
     * context is closed ({@code with torch.cuda.stream(s)}):
     * {@code try (var ignored = s.use()) { ... }}.
     */
    public StreamContext use() { return StreamContext.enter(this); }

    @Override public boolean equals(Object o) {
        return o instanceof CudaStream s && s.device == device && s.handle == handle;
    }

    @Override public int hashCode() { return Long.hashCode(handle) * 31 + device; }

    @Override public String toString() {
        String which = isDefault() ? "default" : "handle=0x" + Long.toHexString(handle) + ", priority=" + priority;
        return "CudaStream(device=cuda:" + device + ", " + which + ")";
    }
}
