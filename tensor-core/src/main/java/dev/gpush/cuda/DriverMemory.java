package dev.gpush.cuda;

import static org.bytedeco.cuda.global.cudart.*;

/** A device's memory through the driver: {@code cuMemAlloc} and {@code cuMemFree} of whole segments. */
final class DriverMemory implements DeviceMemory {
    private final int device;

    DriverMemory(int device) { this.device = device; }

    @Override public long allocate(long bytes) {
        Driver.use(device);
        long[] address = new long[1];
        int r = cuMemAlloc(address, bytes);
        if (r == CUDA_ERROR_OUT_OF_MEMORY) return OUT_OF_MEMORY;
        Driver.check(r, "cuMemAlloc(" + bytes + " bytes)");
        return address[0];
    }

    /** Waits for queued work first: a cached block may still be read by a kernel in flight. */
    @Override public void release(long address, long bytes) {
        Driver.use(device);
        Driver.check(cuCtxSynchronize(), "cuCtxSynchronize");
        Driver.check(cuMemFree(address), "cuMemFree");
    }

    @Override public long free() { return Driver.memInfo(device).free(); }
    @Override public long total() { return Driver.memInfo(device).total(); }
    @Override public int device() { return device; }
}
