package dev.gpush.cuda;

import java.util.List;

/**
 * What NVML says a GPU is doing now, as {@code nvidia-smi} shows it; a figure the GPU does not report is -1.
 *
 * @param gpuPercent      percent of the last sample period in which a kernel ran
 * @param memoryPercent   percent of it in which device memory was read or written
 * @param temperatureC    the GPU's temperature, degrees Celsius
 * @param powerWatts      power drawn now, watts
 * @param powerLimitWatts the enforced power limit, watts
 * @param processes       the processes with a CUDA context on the GPU, with the memory each holds
 */
public record DeviceUsage(int gpuPercent, int memoryPercent, int temperatureC, double powerWatts,
                          double powerLimitWatts, List<GpuProcess> processes) {}
