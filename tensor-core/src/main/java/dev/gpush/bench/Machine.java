package dev.gpush.bench;

import dev.gpush.cpu.Blas;
import dev.gpush.cpu.Parallel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the numbers were measured on, printed above the table and written into the JSON.
 *
 * @param load the load average (1, 5, 15 min) when the bench started, or null off Linux: with 2 cores, one
 *             other busy process makes a multi-threaded BLAS call wait whole scheduler slices, so a small
 *             matmul was measured 100x slower on a loaded machine
 * @param heap the JVM heap: allocation-heavy workloads (add, matmul outputs) slow down while the heap grows
 */
record Machine(String cpu, int cores, String java, int threads, String blas, String load, String heap) {

    static Machine describe() {
        String blas = Blas.available()
                ? Blas.config() + ", " + Blas.threads() + " threads"
                : "none (Java loops): " + Blas.unavailableReason();
        Runtime rt = Runtime.getRuntime();
        String heap = (rt.totalMemory() >> 20) + " MB committed of " + (rt.maxMemory() >> 20) + " MB max";
        return new Machine(cpuModel(), rt.availableProcessors(),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ")", Parallel.threads(), blas,
                loadAverage(), heap);
    }

    /** True when the 1-minute load average says something else is running: timings will be noisy. */
    boolean busy() {
        if (load == null) return false;
        try {
            return Double.parseDouble(load.split(" ")[0]) >= 0.5;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The labelled facts, in print order. */
    Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", cpu);
        m.put("cores", Integer.toString(cores));
        m.put("java", java);
        m.put("threads", Integer.toString(threads));
        m.put("blas", blas);
        if (load != null) m.put("load", load);
        m.put("heap", heap);
        return m;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException ignored) { /* not Linux: fall through */ }
        return System.getProperty("os.arch") + " (" + System.getProperty("os.name") + ")";
    }
}
