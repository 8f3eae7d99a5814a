package dev.gpush.cuda;

import dev.gpush.cuda.MemoryStats.Metric;
import dev.gpush.cuda.MemoryStats.Pool;

import java.util.Map;

/**
 * {@code torch.cuda} for gpush: whether CUDA is usable and why not, the devices, and the caching allocator's memory
 * statistics. Nothing here loads a CUDA library until a question needs the driver (CudaProbe), so CPU-only
 * sessions pay nothing, and on a machine without a GPU every question has an answer: {@link #isAvailable()} is
 * false, {@link #unavailableReason()} says why, counts are 0, and device questions throw with that reason.
 */
public final class Cuda {
    private Cuda() {}

    public static boolean isAvailable() { return CudaProbe.result().available(); }

    /** Why CUDA cannot be used (no driver, no device, library not found, version too old), or null when it can. */
    public static String unavailableReason() { return CudaProbe.result().reason(); }

    public static int deviceCount() { return isAvailable() ? CudaProbe.result().deviceCount() : 0; }

    static void requireDevice(int index) {
        if (!isAvailable()) throw new IllegalStateException("CUDA is not available: " + unavailableReason());
        if (index < 0 || index >= deviceCount())
            throw new IllegalArgumentException("CUDA device " + index + " does not exist: this machine has "
                    + deviceCount() + " CUDA device(s)");
    }

    public static String deviceName(int index) { return getDeviceProperties(index).name(); }

    public static DeviceProperties getDeviceProperties(int index) { return CudaDevice.get(index).properties(); }

    /** Free and total memory of {@code index} as the driver sees them (other processes included). */
    public static MemInfo memGetInfo(int index) {
        requireDevice(index);
        return Driver.memInfo(index);
    }

    public static MemInfo memGetInfo() { return memGetInfo(currentDevice()); }

    /** Makes {@code index} this thread's current device (the primary context of the driver API). */
    public static void setDevice(int index) {
        requireDevice(index);
        Driver.use(index);
    }

    public static int currentDevice() {
        if (!isAvailable()) return 0;
        int d = Driver.currentDevice();
        return d < 0 ? 0 : d;
    }

    /** Waits for all work queued on the current device, on every stream. */
    public static void synchronize() {
        if (isAvailable()) synchronize(currentDevice());
    }

    /** Waits for all work queued on {@code device}, on every stream. */
    public static void synchronize(int device) {
        if (isAvailable() && CudaDevice.existing(device) != null) Driver.synchronize(device);
    }

    // ---------------------------------------------------------------- streams (Note [current stream] in CudaStream)

    /** This thread's current stream of {@code device}: where its ops are queued; the default stream until set. */
    public static CudaStream currentStream(int device) {
        requireDevice(device);
        return CurrentStreams.get(device);
    }

    public static CudaStream currentStream() { return currentStream(currentDevice()); }

    /** The default (legacy, handle 0) stream of {@code device}. */
    public static CudaStream defaultStream(int device) {
        requireDevice(device);
        return CurrentStreams.defaultStream(device);
    }

    public static CudaStream defaultStream() { return defaultStream(currentDevice()); }

    /**
     * Makes {@code stream} this thread's current stream of its device, and that device the current one
     * ({@code torch.cuda.set_stream}); {@link CudaStream#use()} does the same for a scope and restores both after.
     */
    public static void setStream(CudaStream stream) {
        setDevice(stream.device());
        CurrentStreams.set(stream);
    }

    /**
     * Tells the allocator that {@code tensor}'s memory is used by work on {@code stream}, a stream other than the
     * one it was allocated on ({@code Tensor.record_stream}): when the tensor is freed, its memory is reused only
     * after the work queued on {@code stream} until then (Note [recorded streams] in CudaStorage).
     */
    public static void recordStream(dev.gpush.tensor.Tensor tensor, CudaStream stream) {
        if (!(tensor.storage() instanceof CudaStorage s))
            throw new IllegalArgumentException("recordStream: the tensor is on " + tensor.device()
                    + ", not on a CUDA device");
        s.recordStream(stream);
    }

    // ---------------------------------------------------------------- math modes

    private static volatile boolean allowTf32;

    /**
     * Whether float32 matrix products on CUDA may use TF32 tensor cores (10-bit mantissa inputs, float32
     * accumulation; {@code torch.backends.cuda.matmul.allow_tf32}). Off by default: products are full float32.
     */
    public static boolean allowTf32() { return allowTf32; }

    /** Turns TF32 for float32 matrix products on or off, for every device and thread, from the next product. */
    public static void setAllowTf32(boolean on) { allowTf32 = on; }

    /** The CUDA version the driver supports, as {@code cuDriverGetVersion} encodes it (13010 is 13.1); 0 without one. */
    public static int driverVersion() { return CudaProbe.result().driverVersion(); }

    public static int runtimeVersion() { return isAvailable() ? Driver.runtimeVersion() : 0; }

    public static String nvrtcVersion() { return isAvailable() ? Nvrtc.version() : "none"; }

    /** cuDNN's version as {@code cudnnGetVersion} encodes it (91900 is 9.19.0); 0 without CUDA or cuDNN. */
    public static long cudnnVersion() { return isAvailable() ? Cudnn.version() : 0; }

    /** Where the CUDA libraries were found, searched as {@link CudaLibraries} says. */
    public static CudaLibraries.Found libraries() { return CudaLibraries.find(); }

    /** What {@code gpush doctor} prints about CUDA. */
    public static String report() { return CudaReport.text(); }

    // ---------------------------------------------------------------- memory (the caching allocator)

    private static MemoryStats stats(int device) {
        CudaDevice d = isAvailable() ? CudaDevice.existing(device) : null;
        return d == null ? new MemoryStats() : d.allocator().stats();
    }

    private static long current(int device, Metric m) { return stats(device).get(m, Pool.ALL).current(); }

    private static long peak(int device, Metric m) { return stats(device).get(m, Pool.ALL).peak(); }

    /** Bytes held by tensors on {@code device}. */
    public static long memoryAllocated(int device) { return current(device, Metric.ALLOCATED_BYTES); }
    public static long memoryAllocated() { return memoryAllocated(currentDevice()); }
    public static long maxMemoryAllocated(int device) { return peak(device, Metric.ALLOCATED_BYTES); }
    public static long maxMemoryAllocated() { return maxMemoryAllocated(currentDevice()); }
    /** Bytes the allocator holds from the driver (allocated plus cached). */
    public static long memoryReserved(int device) { return current(device, Metric.RESERVED_BYTES); }
    public static long memoryReserved() { return memoryReserved(currentDevice()); }
    public static long maxMemoryReserved(int device) { return peak(device, Metric.RESERVED_BYTES); }
    public static long maxMemoryReserved() { return maxMemoryReserved(currentDevice()); }

    /** {@code torch.cuda.memory_stats()}: keys such as {@code allocated_bytes.all.current}, {@code num_ooms}. */
    public static Map<String, Long> memoryStats(int device) { return stats(device).asMap(); }
    public static Map<String, Long> memoryStats() { return memoryStats(currentDevice()); }

    public static void resetPeakMemoryStats(int device) {
        CudaDevice d = isAvailable() ? CudaDevice.existing(device) : null;
        if (d != null) d.allocator().resetPeakStats();
    }
    public static void resetPeakMemoryStats() { resetPeakMemoryStats(currentDevice()); }

    /** The table of {@code torch.cuda.memory_summary()}. */
    public static String memorySummary(int device) { return MemorySummary.format(device, stats(device)); }
    public static String memorySummary() { return memorySummary(currentDevice()); }

    /** Returns every cached, unused segment of every device to the driver; returns the bytes given back. */
    public static long emptyCache() {
        long released = 0;
        for (int i = 0; i < deviceCount(); i++) {
            CudaDevice d = CudaDevice.existing(i);
            if (d != null) released += d.allocator().emptyCache();
        }
        return released;
    }

    /** Whether allocation sites are being recorded on {@code device}. */
    public static boolean isRecordingMemoryHistory(int device) {
        CudaDevice d = isAvailable() ? CudaDevice.existing(device) : null;
        return d != null && d.allocator().isRecordingHistory();
    }

    /**
     * The live allocations of {@code device} grouped by where they were made, largest first; blocks allocated while
     * history was not recorded count under "unknown". Empty without CUDA or before the device was used.
     */
    public static java.util.List<MemorySite> memorySites(int device) {
        CudaDevice d = isAvailable() ? CudaDevice.existing(device) : null;
        if (d == null) return java.util.List.of();
        var bySite = new java.util.HashMap<String, long[]>();
        for (Block b : d.allocator().liveBlocks()) {
            long[] t = bySite.computeIfAbsent(b.site == null ? "unknown" : b.site, k -> new long[2]);
            t[0] += b.requested;
            t[1]++;
        }
        return bySite.entrySet().stream().map(e -> new MemorySite(e.getKey(), e.getValue()[0], (int) e.getValue()[1]))
                .sorted(java.util.Comparator.comparingLong(MemorySite::bytes).reversed()).toList();
    }

    /** Records where each allocation is made, for out-of-memory errors and {@code %memory --sites}. */
    public static void recordMemoryHistory(boolean on) {
        for (int i = 0; i < deviceCount(); i++) CudaDevice.get(i).allocator().recordHistory(on);
    }
}
