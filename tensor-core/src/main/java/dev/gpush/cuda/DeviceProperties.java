package dev.gpush.cuda;

/** {@code torch.cuda.get_device_properties(i)}: what a user checks first about a GPU. */
public record DeviceProperties(int index, String name, int major, int minor, int multiProcessorCount,
                               long totalMemory, int l2CacheSize, int warpSize, int maxThreadsPerBlock) {
    /** The compute capability as NVRTC and nvcc name it, e.g. {@code sm_90}. */
    public String arch() { return "sm_" + major + minor; }

    @Override public String toString() {
        return name + " (compute capability " + major + "." + minor + ", " + multiProcessorCount + " SMs, "
                + Bytes.format(totalMemory) + ", L2 " + Bytes.format(l2CacheSize) + ")";
    }
}
