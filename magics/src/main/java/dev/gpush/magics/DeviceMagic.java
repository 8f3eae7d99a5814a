package dev.gpush.magics;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.CudaException;
import dev.gpush.cuda.DeviceProperties;
import dev.gpush.cuda.DeviceUsage;
import dev.gpush.cuda.GpuProcess;
import dev.gpush.cuda.MemInfo;
import dev.gpush.cuda.Nvml;
import java.util.stream.Collectors;

/**
 * {@code %device} (also {@code %gpu}): a table per GPU, nvidia-smi's view joined with gpush's: name, compute
 * capability, memory used and total (the driver's) beside what gpush has allocated and reserved, the versions, and
 * from NVML the utilisation, temperature, power and the processes on each GPU with their memory. Without NVML
 * those columns say n/a and a note says why. Without a GPU: the CPU, its cores, the Java heap, and why CUDA (and
 * NVML) are not available.
 */
public final class DeviceMagic implements Magic {

    private final String name;

    public DeviceMagic() {
        this("device");
    }

    DeviceMagic(String name) {
        this.name = name;
    }

    /** The {@code %gpu} alias. */
    public static final class Gpu implements Magic {
        private final DeviceMagic device = new DeviceMagic("gpu");

        @Override public String name() { return "gpu"; }
        @Override public String help() { return "the same as %device"; }
        @Override public Object run(MagicContext context, String args, String body) { return device.run(context, args, body); }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return "show the GPUs (memory, compute capability, versions) or, without one, the CPU and why CUDA is missing";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        if (!args.isBlank()) {
            throw new MagicException("%" + name + " takes no arguments");
        }
        if (!Cuda.isAvailable()) {
            Runtime r = Runtime.getRuntime();
            return new Table("cpu (no CUDA: " + Cuda.unavailableReason() + ")", "device", "model", "cores", "Java heap")
                    .row("cpu", dev.gpush.cpu.CpuInfo.model(), r.availableProcessors(), Memory.heap())
                    .note("gpush doctor says which CUDA libraries were looked for and found.")
                    .note("NVML not available: " + Nvml.unavailableReason());
        }
        String driver = version(Cuda.driverVersion());
        if (Nvml.isAvailable()) {
            driver = Nvml.driverVersion() + " (CUDA " + driver + ")";
        }
        var table = new Table("CUDA: driver " + driver + ", runtime " + version(Cuda.runtimeVersion()) + ", NVRTC "
                + Cuda.nvrtcVersion(),
                "", "device", "name", "capability", "multiprocessors", "memory used / total (driver)",
                "allocated", "reserved", "busy: gpu / memory", "temperature", "power / limit");
        int current = Cuda.currentDevice();
        var notes = new java.util.ArrayList<String>();
        for (int i = 0; i < Cuda.deviceCount(); i++) {
            DeviceProperties p = Cuda.getDeviceProperties(i);
            MemInfo m = Cuda.memGetInfo(i);
            DeviceUsage u = null;
            if (Nvml.isAvailable()) {
                try {
                    u = Nvml.usage(i);
                    notes.add(processes(i, u));
                } catch (CudaException e) {
                    notes.add("cuda:" + i + ": " + e.getMessage());
                }
            }
            table.row(i == current ? "*" : "", "cuda:" + i, p.name(), p.major() + "." + p.minor(),
                    p.multiProcessorCount(), Sizes.bytes(m.total() - m.free()) + " / " + Sizes.bytes(m.total()),
                    Sizes.bytes(Cuda.memoryAllocated(i)), Sizes.bytes(Cuda.memoryReserved(i)),
                    busy(u), temperature(u), power(u));
        }
        table.note("* the current device.");
        if (!Nvml.isAvailable()) {
            table.note("NVML not available: " + Nvml.unavailableReason());
        }
        notes.forEach(table::note);
        return table;
    }

    /** "37 % / 12 %": how busy the GPU's kernels and memory were; n/a without NVML or a figure. */
    static String busy(DeviceUsage u) {
        return u == null ? "n/a" : percent(u.gpuPercent()) + " / " + percent(u.memoryPercent());
    }

    static String temperature(DeviceUsage u) {
        return u == null || u.temperatureC() < 0 ? "n/a" : u.temperatureC() + " C";
    }

    /** "312 W / 700 W". */
    static String power(DeviceUsage u) {
        return u == null ? "n/a" : watts(u.powerWatts()) + " / " + watts(u.powerLimitWatts());
    }

    /** "cuda:0 processes: 4242 java 1.5 GiB, 77 python 300.0 MiB", or "cuda:0 processes: none". */
    static String processes(int device, DeviceUsage u) {
        String list = u.processes().stream().map(DeviceMagic::process).collect(Collectors.joining(", "));
        return "cuda:" + device + " processes: " + (list.isEmpty() ? "none" : list);
    }

    private static String process(GpuProcess p) {
        return p.pid() + " " + p.name() + " " + (p.usedBytes() < 0 ? "(memory n/a)" : Sizes.bytes(p.usedBytes()));
    }

    private static String percent(int p) {
        return p < 0 ? "n/a" : p + " %";
    }

    private static String watts(double w) {
        return w < 0 ? "n/a" : Math.round(w) + " W";
    }

    private static String version(int v) {
        return v <= 0 ? "unknown" : v / 1000 + "." + v % 1000 / 10;
    }
}
