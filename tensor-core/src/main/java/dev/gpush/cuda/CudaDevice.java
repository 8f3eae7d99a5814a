package dev.gpush.cuda;

/**
 * The state gpush keeps per CUDA device, made on first use: its properties, its caching allocator, its kernels, its
 * cuBLAS handles, its pool of streams and its pinned staging buffers. Every operation runs on the calling thread's
 * current stream of the device (Note [current stream] in {@link CudaStream}).
 */
final class CudaDevice {
    static final long DEFAULT_STREAM = 0;   // the legacy default stream's handle

    private static final CudaDevice[] DEVICES = new CudaDevice[64];

    private final int index;
    private final DeviceProperties properties;
    private final CachingAllocator allocator;
    private final StreamPool streams;
    private Kernels kernels;
    private Cublas cublas;
    private PinnedStaging staging;

    private CudaDevice(int index) {
        this.index = index;
        Driver.use(index);
        this.properties = Driver.properties(index);
        this.allocator = CachingAllocator.withGarbageCollection(new DriverMemory(index));
        this.streams = new StreamPool(priority -> DriverStreams.create(index, priority));
    }

    /** The device's state; CUDA must be available and {@code index} a device. */
    static CudaDevice get(int index) {
        Cuda.requireDevice(index);
        synchronized (DEVICES) {
            CudaDevice d = DEVICES[index];
            if (d == null) DEVICES[index] = d = new CudaDevice(index);
            return d;
        }
    }

    /** The device's state if it was made, else null (statistics of an unused device are all zero). */
    static CudaDevice existing(int index) {
        synchronized (DEVICES) {
            return index >= 0 && index < DEVICES.length ? DEVICES[index] : null;
        }
    }

    int index() { return index; }
    DeviceProperties properties() { return properties; }
    CachingAllocator allocator() { return allocator; }
    StreamPool streams() { return streams; }

    synchronized Kernels kernels() {
        if (kernels == null) kernels = new Kernels(index, properties);
        return kernels;
    }

    synchronized Cublas cublas() {
        if (cublas == null) cublas = new Cublas(index);
        return cublas;
    }

    synchronized PinnedStaging staging() {
        if (staging == null) staging = new PinnedStaging(index);
        return staging;
    }
}
