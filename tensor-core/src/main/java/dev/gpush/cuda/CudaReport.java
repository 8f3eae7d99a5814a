package dev.gpush.cuda;

/**
 * The CUDA part of {@code gpush doctor}: available or why not, the driver's version (from NVML where it answers),
 * the libraries found, and each device.
 */
final class CudaReport {
    private CudaReport() {}

    static String text() {
        StringBuilder s = new StringBuilder();
        CudaProbe.Availability a = CudaProbe.result();
        if (a.available()) {
            s.append("CUDA: available, ").append(a.deviceCount()).append(" device(s); driver ")
                    .append(Nvml.isAvailable() ? Nvml.driverVersion() + " " : "").append("supports CUDA ")
                    .append(CudaProbe.version(a.driverVersion()));
            int rt = Cuda.runtimeVersion();
            s.append(", runtime ").append(rt == 0 ? "unknown" : CudaProbe.version(rt))
                    .append(", NVRTC ").append(Cuda.nvrtcVersion()).append('\n');
            long cudnn = Cudnn.version();   // loads cuDNN (Note [cuDNN is optional]); 0 when it is missing
            s.append(cudnn == 0 ? "cuDNN: not available (" + Cudnn.missingReason() + ")\n"
                    : "cuDNN: " + cudnnVersion(cudnn) + "\n");
            for (int i = 0; i < a.deviceCount(); i++) {
                DeviceProperties p = Cuda.getDeviceProperties(i);
                s.append("  cuda:").append(i).append(' ').append(p).append("; ").append(Cuda.memGetInfo(i)).append('\n');
            }
            if (!Nvml.isAvailable()) s.append("NVML: not available (").append(Nvml.unavailableReason()).append(")\n");
        } else {
            s.append("CUDA: not available (").append(a.reason()).append(")\n");
        }
        s.append("CUDA libraries (GPUSH_CUDA_PATH, CUDA_HOME, LD_LIBRARY_PATH, /usr/local/cuda*, system folders, "
                + "nvidia-* Python wheels):\n").append(Cuda.libraries().describe());
        return s.toString();
    }

    /** cudnnGetVersion's number as text: 91900 is 9.19.0 (major * 10000 + minor * 100 + patch since cuDNN 9). */
    static String cudnnVersion(long v) { return v / 10000 + "." + v % 10000 / 100 + "." + v % 100; }
}
