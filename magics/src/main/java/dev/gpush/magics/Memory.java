package dev.gpush.magics;

/** Byte counts as people read them, and the Java heap: shared by the GPU magics. */
final class Memory {

    private Memory() {}

    /** Bytes as PyTorch prints them ({@code 1.50 GiB}). */
    static String bytes(long n) {
        return dev.gpush.cuda.Bytes.format(n);
    }

    static long heapUsed() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** {@code used 1.2 GiB of 4.0 GiB (committed 2.0 GiB)}. */
    static String heap() {
        Runtime r = Runtime.getRuntime();
        return "used " + bytes(heapUsed()) + " of " + bytes(r.maxMemory()) + " (committed " + bytes(r.totalMemory()) + ")";
    }

    /** The CPU's model name from /proc/cpuinfo, or the architecture. */
    static String cpuModel() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (java.io.IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
