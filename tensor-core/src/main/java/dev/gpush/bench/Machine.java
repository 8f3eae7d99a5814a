package dev.gpush.bench;

import dev.gpush.cpu.Blas;
import dev.gpush.cpu.Parallel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the numbers were measured on, printed above the table and written into the JSON.
 *
 * @param busy the share of all cores' time that was not idle over {@link #BUSY_WINDOW_MS} before the run, from
 *             /proc/stat, or NaN off Linux. With 2 cores, one other busy process makes a multi-threaded BLAS
 *             call wait whole scheduler slices: a 256 matmul was measured 100x slower on a loaded machine
 * @param heap the JVM heap: allocation-heavy workloads (the add and matmul outputs) slow down while it grows,
 *             since new heap pages are slow to touch first (a fresh 4 MB array took ~1 ms instead of 0.15 ms
 *             on the 2-core VM gpush is developed on, until the heap stopped growing)
 * @param gpu  the GPU's name and driver when the bench runs on CUDA, else null
 */
record Machine(String cpu, int cores, String java, int threads, String blas, double busy, String heap, String gpu) {

    static final int BUSY_WINDOW_MS = 300;

    /** This machine; {@code cuda} adds the GPU (and must only be true once CUDA is known to be available). */
    static Machine describe(boolean cuda) {
        String blas = Blas.available()
                ? Blas.config() + ", " + Blas.threads() + " threads"
                : "none (Java loops): " + Blas.unavailableReason();
        Runtime rt = Runtime.getRuntime();
        String heap = (rt.totalMemory() >> 20) + " MB committed of " + (rt.maxMemory() >> 20) + " MB max";
        return new Machine(dev.gpush.cpu.CpuInfo.model(), rt.availableProcessors(),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ")", Parallel.threads(), blas,
                busyShare(), heap, cuda ? Gpu.describe() : null);
    }

    /** True when something else kept more than a quarter of the cores busy: timings will be noisy. */
    boolean busyElsewhere() { return busy > 0.25; }

    /** The labelled facts, in print order. */
    Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", cpu);
        m.put("cores", Integer.toString(cores));
        m.put("java", java);
        m.put("threads", Integer.toString(threads));
        m.put("blas", blas);
        if (!Double.isNaN(busy))
            m.put("busy", String.format(Locale.ROOT, "%.0f%% of the cores' time over %d ms before the run",
                    100 * busy, BUSY_WINDOW_MS));
        m.put("heap", heap);
        if (gpu != null) m.put("gpu", gpu);
        return m;
    }

    /** The non-idle share of the "cpu" line of /proc/stat (all cores) over the window; NaN when unreadable. */
    private static double busyShare() {
        try {
            long[] a = cpuTimes();
            Thread.sleep(BUSY_WINDOW_MS);
            long[] b = cpuTimes();
            long total = 0;
            for (int i = 0; i < a.length; i++) total += b[i] - a[i];
            long idle = (b[3] - a[3]) + (b.length > 4 ? b[4] - a[4] : 0); // idle and iowait
            return total <= 0 ? Double.NaN : 1 - (double) idle / total;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** user nice system idle iowait irq softirq steal, in clock ticks. */
    private static long[] cpuTimes() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu")) throw new IOException("unexpected /proc/stat: " + line);
        long[] t = new long[Math.min(8, f.length - 1)];
        for (int i = 0; i < t.length; i++) t[i] = Long.parseLong(f[i + 1]);
        return t;
    }
}
