package dev.gpush.magics;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.DeviceProperties;
import dev.gpush.cuda.MemInfo;

/**
 * {@code %device} (also {@code %gpu}): a table per GPU, nvidia-smi's view joined with gpush's: name, compute
 * capability, memory used and total (the driver's) beside what gpush has allocated and reserved, and the versions.
 * Without a GPU: the CPU, its cores, the Java heap, and why CUDA is not available.
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
                    .note("gpush doctor says which CUDA libraries were looked for and found.");
        }
        var table = new Table("CUDA: driver " + version(Cuda.driverVersion()) + ", runtime "
                + version(Cuda.runtimeVersion()) + ", NVRTC " + Cuda.nvrtcVersion(),
                "", "device", "name", "capability", "multiprocessors", "memory used / total (driver)",
                "allocated", "reserved");
        int current = Cuda.currentDevice();
        for (int i = 0; i < Cuda.deviceCount(); i++) {
            DeviceProperties p = Cuda.getDeviceProperties(i);
            MemInfo m = Cuda.memGetInfo(i);
            table.row(i == current ? "*" : "", "cuda:" + i, p.name(), p.major() + "." + p.minor(),
                    p.multiProcessorCount(), Sizes.bytes(m.total() - m.free()) + " / " + Sizes.bytes(m.total()),
                    Sizes.bytes(Cuda.memoryAllocated(i)), Sizes.bytes(Cuda.memoryReserved(i)));
        }
        return table.note("* the current device. Utilisation, temperature and power need NVML, not wired yet.");
    }

    private static String version(int v) {
        return v <= 0 ? "unknown" : v / 1000 + "." + v % 1000 / 10;
    }
}
