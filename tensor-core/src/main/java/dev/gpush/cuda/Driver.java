package dev.gpush.cuda;

import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The CUDA driver API calls gpush makes outside kernels and cuBLAS. This class (and every class that names a
 * {@code org.bytedeco.cuda} type) is touched only after {@link CudaProbe} found CUDA usable: loading any of them
 * loads {@code libcuda.so.1}, which a machine without the NVIDIA driver lacks (shared/CUDA-NOTES.md, fact 1).
 *
 * <p>Note [one context per device]: gpush uses each device's primary context, the one the runtime API and PyTorch
 * share, and makes it current on a thread the first time that thread works on that device ({@link #use}).
 */
final class Driver {
    private Driver() {}

    private static final CUctx_st[] contexts = new CUctx_st[64];
    private static final ThreadLocal<Integer> current = ThreadLocal.withInitial(() -> -1);

    /** Throws a {@link CudaException} naming {@code call} unless {@code result} is CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result != CUDA_SUCCESS) throw new CudaException(call + " failed: " + errorName(result));
    }

    static String errorName(int result) {
        BytePointer name = new BytePointer((org.bytedeco.javacpp.Pointer) null);
        BytePointer text = new BytePointer((org.bytedeco.javacpp.Pointer) null);
        String n = cuGetErrorName(result, name) == CUDA_SUCCESS && !name.isNull() ? name.getString() : "CUresult " + result;
        String t = cuGetErrorString(result, text) == CUDA_SUCCESS && !text.isNull() ? text.getString() : "";
        return t.isEmpty() ? n : n + " (" + t + ")";
    }

    /** {@code cuInit(0)}'s result, unchecked: the probe turns failures into reasons. */
    static int init() { return cuInit(0); }

    static int driverVersion() {
        int[] v = new int[1];
        check(cuDriverGetVersion(v), "cuDriverGetVersion");
        return v[0];
    }

    static int runtimeVersion() {
        int[] v = new int[1];
        return cudaRuntimeGetVersion(v) == 0 ? v[0] : 0;
    }

    static int deviceCount() {
        int[] n = new int[1];
        check(cuDeviceGetCount(n), "cuDeviceGetCount");
        return n[0];
    }

    static String deviceName(int device) {
        byte[] name = new byte[256];
        check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) end++;
        return new String(name, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    static int attribute(int device, int attribute) {
        int[] v = new int[1];
        check(cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute");
        return v[0];
    }

    static long totalMemory(int device) {
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            check(cuDeviceTotalMem(bytes, device), "cuDeviceTotalMem");
            return bytes.get();
        }
    }

    static DeviceProperties properties(int device) {
        return new DeviceProperties(device, deviceName(device),
                attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT), totalMemory(device),
                attribute(device, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE), attribute(device, CU_DEVICE_ATTRIBUTE_WARP_SIZE),
                attribute(device, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
    }

    /** Makes {@code device}'s primary context current on this thread (Note [one context per device]). */
    static void use(int device) {
        if (current.get() == device) return;
        CUctx_st ctx;
        synchronized (contexts) {
            ctx = contexts[device];
            if (ctx == null) {
                ctx = new CUctx_st();
                check(cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain(" + device + ")");
                contexts[device] = ctx;
            }
        }
        check(cuCtxSetCurrent(ctx), "cuCtxSetCurrent(" + device + ")");
        current.set(device);
    }

    /** The device this thread works on, or -1 before any. */
    static int currentDevice() { return current.get(); }

    static MemInfo memInfo(int device) {
        use(device);
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            check(cuMemGetInfo(free, total), "cuMemGetInfo");
            return new MemInfo(free.get(), total.get());
        }
    }

    /** Queues the zeroing of {@code bytes} bytes at {@code address} on the current stream (Note [current stream]). */
    static void zero(int device, long address, long bytes) {
        if (bytes == 0) return;
        use(device);
        check(cuMemsetD8Async(address, (byte) 0, bytes, DriverStreams.current(device)), "cuMemsetD8Async");
    }

    /** The PCI bus id of {@code device} ("0000:65:00.0"), which NVML names devices by. */
    static String pciBusId(int device) {
        byte[] id = new byte[32];
        check(cuDeviceGetPCIBusId(id, id.length, device), "cuDeviceGetPCIBusId");
        int end = 0;
        while (end < id.length && id[end] != 0) end++;
        return new String(id, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Waits for the work queued on every stream of {@code device}. */
    static void synchronize(int device) {
        use(device);
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }
}
