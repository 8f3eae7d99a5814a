package dev.gpush.cuda;

/**
 * A CUDA event, as {@code torch.cuda.Event}: a marker recorded on a stream that completes when the work queued
 * before it has. Rules:
 * <ul>
 *   <li>The driver's event is made at the first {@link #record}, on the device of that stream; later records must
 *       be on the same device. Until then the event counts as complete: {@link #query()} is true and
 *       {@link #synchronize()} returns at once.</li>
 *   <li>It keeps timestamps only when made with {@code enableTiming} (timing costs a little on every record);
 *       {@link #elapsedTime} needs that on both events, both recorded.</li>
 *   <li>The driver's event is destroyed once this object is unreachable (a cleaner), so events made in a
 *       training loop leak nothing.</li>
 * </ul>
 * Like {@link CudaStream}, this class names no CUDA type; {@link DriverStreams} makes the calls.
 */
public final class CudaEvent {
    private final boolean timing;
    private int device = -1;
    private Object raw;   // the CUevent_st once recorded

    /** An event without timing. */
    public CudaEvent() { this(false); }

    /** An event that keeps timestamps when {@code enableTiming}, for {@link #elapsedTime}. */
    public CudaEvent(boolean enableTiming) { this.timing = enableTiming; }

    public boolean isTiming() { return timing; }

    /** Whether it was recorded at least once. */
    public synchronized boolean isRecorded() { return raw != null; }

    /** Records this event on the current stream of the current device. */
    public void record() { record(Cuda.currentStream()); }

    /** Records this event on {@code stream}: it completes when the work queued there so far has. */
    public synchronized void record(CudaStream stream) {
        if (raw == null) {
            raw = DriverStreams.createEvent(this, stream.device(), timing);
            device = stream.device();
        } else if (device != stream.device()) {
            throw new IllegalArgumentException("this event belongs to cuda:" + device + " and cannot be recorded on "
                    + stream);
        }
        DriverStreams.record(raw, stream);
    }

    /** Waits until the work this event marks has finished; returns at once when never recorded. */
    public void synchronize() {
        Object r = recorded();
        if (r != null) DriverStreams.synchronizeEvent(r, device);
    }

    /** Whether the work this event marks has finished (true when never recorded). */
    public boolean query() {
        Object r = recorded();
        return r == null || DriverStreams.queryEvent(r, device);
    }

    /** Milliseconds from this event to {@code end}, both recorded with timing; waits for {@code end}. */
    public float elapsedTime(CudaEvent end) {
        if (!timing || !end.timing)
            throw new IllegalStateException("elapsedTime needs both events made with timing: new CudaEvent(true)");
        Object start = recorded(), stop = end.recorded();
        if (start == null || stop == null)
            throw new IllegalStateException("elapsedTime needs both events recorded first (" + (start == null
                    ? "the start" : "the end") + " event was not)");
        return DriverStreams.elapsedTime(start, stop, device);
    }

    /** Makes work queued on {@code stream} from now on wait for this event (CudaStream.waitEvent). */
    void block(CudaStream stream) {
        Object r = recorded();
        if (r == null) return;   // nothing to wait for, as in PyTorch
        if (device != stream.device())
            throw new IllegalArgumentException("an event of cuda:" + device + " cannot be waited on by " + stream);
        DriverStreams.waitEvent(stream, r);
    }

    private synchronized Object recorded() { return raw; }

    @Override public String toString() {
        return "CudaEvent(" + (raw == null ? "not recorded" : "cuda:" + device) + (timing ? ", timing" : "") + ")";
    }
}
