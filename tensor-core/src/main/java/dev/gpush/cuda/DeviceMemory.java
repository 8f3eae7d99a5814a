package dev.gpush.cuda;

/**
 * Raw segments of one device's memory: what the {@link CachingAllocator} asks of the driver. The allocator's policy
 * is written against this interface alone, so it runs the same over the real driver ({@link DriverMemory}) and over
 * a simulated device of fixed capacity in the unit tests.
 */
public interface DeviceMemory {
    /** A fresh segment of {@code bytes} bytes, or {@link #OUT_OF_MEMORY} when the device has no room for it. */
    long allocate(long bytes);

    /** Returns a segment got from {@link #allocate}; work queued on it has finished when this returns. */
    void release(long address, long bytes);

    /** Bytes free on the device now, as the driver sees them (other processes included). */
    long free();

    /** Bytes of memory the device has in all. */
    long total();

    /** The device's index, for messages. */
    int device();

    /** What {@link #allocate} returns when the device is full. */
    long OUT_OF_MEMORY = 0;
}
