package dev.gpush.cuda;

/**
 * The scope of {@link CudaStream#use()}, {@code torch.cuda.StreamContext}: while open, its stream is the current stream
 * of its device and that device the current device of the thread; {@link #close()} restores both as they were.
 * Contexts nest; close them in reverse order (try-with-resources does).
 */
public final class StreamContext implements AutoCloseable {
    private final CudaStream stream;
    private final CudaStream previousStream;
    private final int previousDevice;
    private boolean closed;

    private StreamContext(CudaStream stream, CudaStream previousStream, int previousDevice) {
        this.stream = stream;
        this.previousStream = previousStream;
        this.previousDevice = previousDevice;
    }

    static StreamContext enter(CudaStream stream) {
        int device = Cuda.currentDevice();
        if (device != stream.device()) Cuda.setDevice(stream.device());
        return new StreamContext(stream, CurrentStreams.set(stream), device);
    }

    /** The stream this context made current. */
    public CudaStream stream() { return stream; }

    @Override public void close() {
        if (closed) return;
        closed = true;
        CurrentStreams.set(previousStream);
        if (Cuda.currentDevice() != previousDevice) Cuda.setDevice(previousDevice);
    }
}
