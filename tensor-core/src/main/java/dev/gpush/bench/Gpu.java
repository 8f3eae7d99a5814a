package dev.gpush.bench;

import dev.gpush.cuda.Cuda;
import java.util.concurrent.TimeUnit;

/**
 * The CUDA facts and calls the bench needs, from the {@link Cuda} facade. The bench asks them only for
 * {@code --device cuda}; the facade's probe loads no CUDA class before that.
 */
final class Gpu {
    private Gpu() {}

    /** Null when CUDA can run the bench, else why not. */
    static String unavailableReason() {
        return Cuda.isAvailable() ? null : Cuda.unavailableReason();
    }

    /** The device's name, the CUDA driver API version and, where nvidia-smi answers, the driver's. */
    static String describe() {
        int v = Cuda.driverVersion();
        String api = "CUDA driver API " + v / 1000 + "." + v % 1000 / 10;
        String smi = nvidiaSmiDriver();
        return Cuda.deviceName(0) + ", " + (smi == null ? api : "driver " + smi + " (" + api + ")");
    }

    static void synchronize() { Cuda.synchronize(); }

    static long memoryAllocated() { return Cuda.memoryAllocated(); }

    static long maxMemoryAllocated() { return Cuda.maxMemoryAllocated(); }

    static void resetPeakMemoryStats() { Cuda.resetPeakMemoryStats(); }

    private static String nvidiaSmiDriver() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) { // a wedged driver can hang it; its few bytes never fill the pipe
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.exitValue() != 0 || out.isEmpty()) return null;
            return out.lines().findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
