package dev.gpush.cuda;

/**
 * NVML, the driver's management library ({@code libnvidia-ml.so.1}, which comes with the driver, not with CUDA): a
 * GPU's utilisation, temperature, power and the processes on it, and the driver's version, for {@code %device} and
 * {@code gpush doctor}. Rules:
 * <ul>
 *   <li>It is loaded once, lazily, at the first question, and only where CUDA is available (its JNI glue loads the
 *       CUDA driver's, shared/CUDA-NOTES.md fact 1). Like {@link CudaProbe}, this class catches {@link LinkageError}
 *       there and turns it into a reason.</li>
 *   <li>Where it cannot be used, {@link #isAvailable()} is false, {@link #unavailableReason()} says why, and the
 *       questions throw {@code IllegalStateException("NVML not available: <reason>")}; nothing else breaks.</li>
 *   <li>Devices are CUDA's indices (as {@link Cuda#deviceCount()} counts them), matched to NVML's by PCI bus id.</li>
 * </ul>
 */
public final class Nvml {
    private Nvml() {}

    private static final class Holder {
        static final String REASON = probe();
    }

    public static boolean isAvailable() { return Holder.REASON == null; }

    /** Why NVML cannot be used, or null when it can. */
    public static String unavailableReason() { return Holder.REASON; }

    /** The NVIDIA driver's version ("580.95.05"). */
    public static String driverVersion() {
        require();
        return NvmlCalls.driverVersion();
    }

    /** What CUDA device {@code device} is doing now. */
    public static DeviceUsage usage(int device) {
        require();
        Cuda.requireDevice(device);
        return NvmlCalls.usage(Driver.pciBusId(device));
    }

    private static void require() {
        if (!isAvailable()) throw new IllegalStateException("NVML not available: " + unavailableReason());
    }

    private static String probe() {
        if (CudaLibraries.find().libraries().get("libnvidia-ml.so.1") == null)
            return "libnvidia-ml.so.1 was not found (it comes with the NVIDIA driver)";
        if (!Cuda.isAvailable()) return "CUDA is not available (" + Cuda.unavailableReason() + ")";
        int init;
        try {
            init = NvmlCalls.init();
        } catch (LinkageError e) {
            return "NVML could not be loaded (" + e.getMessage() + ")";
        }
        return init == 0 ? null : "nvmlInit failed: " + NvmlCalls.error(init);
    }
}
