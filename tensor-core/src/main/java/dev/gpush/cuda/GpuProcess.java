package dev.gpush.cuda;

/**
 * A process that uses a GPU, as NVML lists it. In a container the pid may be the host's, and the name then
 * unknown ("?"); {@code usedBytes} is -1 where the driver does not say (Windows WDDM, some MIG setups).
 */
public record GpuProcess(long pid, String name, long usedBytes) {}
