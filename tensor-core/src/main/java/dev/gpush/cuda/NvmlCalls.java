package dev.gpush.cuda;

import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlProcessInfo_v2_t;
import org.bytedeco.cuda.nvml.nvmlUtilization_t;
import org.bytedeco.javacpp.BytePointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.cuda.global.nvml.*;

/**
 * The NVML calls behind {@link Nvml}. Loading this class loads the NVML preset (and the CUDA driver's JNI glue it
 * inherits), so only {@link Nvml} touches it, inside its {@link LinkageError} guard. Devices are found by PCI bus
 * id, not by index: NVML numbers GPUs in PCI order and ignores {@code CUDA_VISIBLE_DEVICES}, CUDA may do neither.
 */
final class NvmlCalls {
    private NvmlCalls() {}

    /** {@code nvmlInit_v2}'s result. */
    static int init() { return nvmlInit_v2(); }

    static String error(int result) {
        BytePointer s = nvmlErrorString(result);
        return s == null || s.isNull() ? "NVML error " + result : s.getString();
    }

    static String driverVersion() {
        byte[] v = new byte[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
        check(nvmlSystemGetDriverVersion(v, v.length), "nvmlSystemGetDriverVersion");
        return text(v);
    }

    static DeviceUsage usage(String pciBusId) {
        nvmlDevice_st d = new nvmlDevice_st();
        try (BytePointer id = new BytePointer(pciBusId)) {
            check(nvmlDeviceGetHandleByPciBusId_v2(id, d), "nvmlDeviceGetHandleByPciBusId(" + pciBusId + ")");
        }
        int gpu = -1, memory = -1;
        try (nvmlUtilization_t u = new nvmlUtilization_t()) {
            if (nvmlDeviceGetUtilizationRates(d, u) == NVML_SUCCESS) {
                gpu = u.gpu();
                memory = u.memory();
            }
        }
        int[] v = new int[1];
        int temperature = nvmlDeviceGetTemperature(d, NVML_TEMPERATURE_GPU, v) == NVML_SUCCESS ? v[0] : -1;
        double power = nvmlDeviceGetPowerUsage(d, v) == NVML_SUCCESS ? v[0] / 1000.0 : -1;   // milliwatts
        double limit = nvmlDeviceGetEnforcedPowerLimit(d, v) == NVML_SUCCESS ? v[0] / 1000.0 : -1;
        return new DeviceUsage(gpu, memory, temperature, power, limit, processes(d));
    }

    /** The compute processes on {@code d}: asked once for the count, then for the list (which may have grown). */
    private static List<GpuProcess> processes(nvmlDevice_st d) {
        int[] count = new int[1];
        int r = nvmlDeviceGetComputeRunningProcesses_v3(d, count, null);
        if (r == NVML_SUCCESS || count[0] == 0) return List.of();
        if (r != NVML_ERROR_INSUFFICIENT_SIZE) return List.of();
        count[0] += 4;
        List<GpuProcess> list = new ArrayList<>();
        try (nvmlProcessInfo_v2_t infos = new nvmlProcessInfo_v2_t(count[0])) {
            if (nvmlDeviceGetComputeRunningProcesses_v3(d, count, infos) != NVML_SUCCESS) return List.of();
            for (int i = 0; i < count[0]; i++) {
                nvmlProcessInfo_v2_t p = infos.getPointer(i);
                long used = p.usedGpuMemory();
                list.add(new GpuProcess(Integer.toUnsignedLong(p.pid()), name(p.pid()), used < 0 ? -1 : used));
            }
        }
        return list;
    }

    private static String name(int pid) {
        byte[] n = new byte[256];
        return nvmlSystemGetProcessName(pid, n, n.length) == NVML_SUCCESS ? text(n) : "?";
    }

    private static String text(byte[] nulTerminated) {
        int end = 0;
        while (end < nulTerminated.length && nulTerminated[end] != 0) end++;
        return new String(nulTerminated, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void check(int result, String call) {
        if (result != NVML_SUCCESS) throw new CudaException(call + " failed: " + error(result));
    }
}
