package dev.gpush.backend;

import dev.gpush.cpu.CpuBackend;
import dev.gpush.tensor.Device;

/** The backend of each device. CUDA classes are only touched when a CUDA device is asked for. */
public final class Backends {
    private Backends() {}

    public static Backend of(Device device) {
        if (device.isCpu()) return CpuBackend.INSTANCE;
        throw new UnsupportedOperationException("CUDA is not available: this build of gpush has no CUDA backend yet, "
                + "so " + device + " cannot be used; use Device.CPU");
    }
}
