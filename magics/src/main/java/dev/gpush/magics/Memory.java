package dev.gpush.magics;

/** The Java heap and the CPU, as the GPU magics show them without a GPU. */
final class Memory {

    private Memory() {}

    static long heapUsed() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** {@code used 1.2 GiB of 4.0 GiB (committed 2.0 GiB)}. */
    static String heap() {
        Runtime r = Runtime.getRuntime();
        return "used " + Sizes.bytes(heapUsed()) + " of " + Sizes.bytes(r.maxMemory()) + " (committed " + Sizes.bytes(r.totalMemory()) + ")";
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
