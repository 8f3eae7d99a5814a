package dev.gpush.cuda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides once, lazily, whether CUDA can be used, and why not. The probe is the one place that catches
 * {@link LinkageError}: the first touch of a JavaCPP CUDA class loads {@code libcuda.so.1}, and without the NVIDIA
 * driver that throws {@link UnsatisfiedLinkError} (shared/CUDA-NOTES.md, fact 1). Nothing runs before the first
 * question, so CPU-only sessions never load a CUDA class.
 *
 * <p>Before the first touch, the libraries {@link CudaLibraries} found are loaded by full path, dependencies
 * first: the JNI glue then resolves {@code libcudart.so.13} and the others by their soname, wherever they live.
 */
final class CudaProbe {
    private CudaProbe() {}

    static final int MIN_DRIVER_VERSION = 13000;   // CUDA 13.0, as cuDriverGetVersion encodes it

    /** The outcome: usable or not, why not, and what the driver said. */
    record Availability(boolean available, String reason, int driverVersion, int deviceCount, List<String> loaded) {}

    private static final class Holder {
        static final Availability RESULT = probe();
    }

    static Availability result() { return Holder.RESULT; }

    private static Availability probe() {
        CudaLibraries.Found found = CudaLibraries.find();
        List<String> loaded = preload(found);
        int init;
        try {
            init = Driver.init();
        } catch (LinkageError e) {
            return new Availability(false, linkageReason(e, found), 0, 0, loaded);
        }
        if (init != 0) return new Availability(false, initReason(init), 0, 0, loaded);
        int version = Driver.driverVersion();
        if (version < MIN_DRIVER_VERSION)
            return new Availability(false, "version too old: the NVIDIA driver supports CUDA " + version(version)
                    + ", gpush needs a driver for CUDA " + version(MIN_DRIVER_VERSION) + " or newer", version, 0, loaded);
        int count = Driver.deviceCount();
        if (count == 0) return new Availability(false, "no device: the NVIDIA driver found no CUDA device", version, 0, loaded);
        return new Availability(true, null, version, count, loaded);
    }

    /** Loads the found libraries by path, dependencies first; failures are left to the probe to explain. */
    private static List<String> preload(CudaLibraries.Found found) {
        List<String> loaded = new ArrayList<>();
        for (String name : CudaLibraries.WANTED.keySet()) {
            Path p = found.libraries().get(name);
            if (p == null || name.startsWith("libcudnn") || name.startsWith("libnccl")) continue;
            try {
                System.load(p.toAbsolutePath().toString());
                loaded.add(p.toString());
            } catch (LinkageError e) {
                loaded.add(p + " (could not load: " + e.getMessage() + ")");
            }
        }
        return loaded;
    }

    static String linkageReason(Throwable e, CudaLibraries.Found found) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) chain.append(' ').append(t.getMessage());
        String all = chain.toString();
        if (all.contains("libcuda.so") || found.libraries().get("libcuda.so.1") == null)
            return "no driver: the NVIDIA driver's libcuda.so.1 was not found (is this a machine with an NVIDIA GPU, "
                    + "and does the container run with --gpus?)";
        if (all.contains("libcudart") || found.libraries().get("libcudart.so.13") == null)
            return "library not found: the CUDA 13 runtime libcudart.so.13 (set GPUSH_CUDA_PATH to the folder that "
                    + "holds it)";
        return "library not found: the CUDA libraries could not be loaded (" + all.trim() + ")";
    }

    private static String initReason(int result) {
        String name = Driver.errorName(result);
        if (name.startsWith("CUDA_ERROR_NO_DEVICE")) return "no device: the NVIDIA driver found no CUDA device";
        if (name.startsWith("CUDA_ERROR_INSUFFICIENT_DRIVER") || name.startsWith("CUDA_ERROR_COMPAT"))
            return "version too old: the NVIDIA driver is too old for CUDA 13 (" + name + ")";
        return "no driver: cuInit failed with " + name;
    }

    static String version(int v) { return v / 1000 + "." + v % 1000 / 10; }
}
