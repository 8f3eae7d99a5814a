package dev.gpush.cuda;

/**
 * The bookkeeping of Note [current stream] (in {@link CudaStream}): each thread's current stream per device. A thread
 * that never set one works on the device's default stream. Plain Java, no driver call: the streams are made
 * elsewhere, so these rules are tested on any machine.
 */
final class CurrentStreams {
    private CurrentStreams() {}

    static final int MAX_DEVICES = 64;

    private static final CudaStream[] DEFAULTS = new CudaStream[MAX_DEVICES];
    private static final ThreadLocal<CudaStream[]> CURRENT = ThreadLocal.withInitial(() -> new CudaStream[MAX_DEVICES]);

    /** The legacy default stream (handle 0) of {@code device}. */
    static CudaStream defaultStream(int device) {
        synchronized (DEFAULTS) {
            CudaStream s = DEFAULTS[device];
            if (s == null) DEFAULTS[device] = s = CudaStream.of(device, 0, CudaStream.NORMAL_PRIORITY, null);
            return s;
        }
    }

    /** This thread's current stream of {@code device}. */
    static CudaStream get(int device) {
        CudaStream s = CURRENT.get()[device];
        return s != null ? s : defaultStream(device);
    }

    /** Makes {@code stream} this thread's current stream of its device; returns the one it replaces. */
    static CudaStream set(CudaStream stream) {
        CudaStream[] current = CURRENT.get();
        CudaStream previous = current[stream.device()];
        current[stream.device()] = stream.isDefault() ? null : stream;
        return previous != null ? previous : defaultStream(stream.device());
    }
}
