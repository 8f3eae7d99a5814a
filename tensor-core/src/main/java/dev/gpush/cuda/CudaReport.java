package dev.gpush.cuda;

/** The CUDA part of {@code gpush doctor}: available or why not, the libraries found, and each device. */
final class CudaReport {
    private CudaReport() {}

    static String text() {
        StringBuilder s = new StringBuilder();
        CudaProbe.Availability a = CudaProbe.result();
        if (a.available()) {
            s.append("CUDA: available, ").append(a.deviceCount()).append(" device(s); driver supports CUDA ")
                    .append(CudaProbe.version(a.driverVersion()));
            int rt = Cuda.runtimeVersion();
            s.append(", runtime ").append(rt == 0 ? "unknown" : CudaProbe.version(rt))
                    .append(", NVRTC ").append(Cuda.nvrtcVersion()).append('\n');
            for (int i = 0; i < a.deviceCount(); i++) {
                DeviceProperties p = Cuda.getDeviceProperties(i);
                s.append("  cuda:").append(i).append(' ').append(p).append("; ").append(Cuda.memGetInfo(i)).append('\n');
            }
        } else {
            s.append("CUDA: not available (").append(a.reason()).append(")\n");
        }
        s.append("CUDA libraries (GPUSH_CUDA_PATH, CUDA_HOME, LD_LIBRARY_PATH, /usr/local/cuda*, system folders, "
                + "nvidia-* Python wheels):\n").append(Cuda.libraries().describe());
        return s.toString();
    }
}
