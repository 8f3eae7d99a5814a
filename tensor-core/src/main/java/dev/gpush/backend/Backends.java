package dev.gpush.backend;

import dev.gpush.cpu.CpuBackend;
import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.CudaBackend;
import dev.gpush.tensor.Device;

/** The backend of each device. CUDA classes are only touched when a CUDA device is asked for. */
public final class Backends {
    private Backends() {}

    public static Backend of(Device device) {
        if (device.isCpu()) return CpuBackend.INSTANCE;
        if (!Cuda.isAvailable())
            throw new UnsupportedOperationException("CUDA is not available: " + Cuda.unavailableReason() + "; so "
                    + device + " cannot be used; use Device.CPU");
        if (device.index() >= Cuda.deviceCount())
            throw new UnsupportedOperationException(device + " does not exist: this machine has " + Cuda.deviceCount()
                    + " CUDA device(s)");
        return CudaBackend.of(device.index());
    }
}
