package dev.gpush.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine's CPU is called, for reports ({@code gpush bench}, {@code %device}). */
public final class CpuInfo {
    private CpuInfo() {}

    /** The model name from /proc/cpuinfo, or the architecture and OS where there is none. */
    public static String model() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException ignored) { /* not Linux: fall through */ }
        return System.getProperty("os.arch") + " (" + System.getProperty("os.name") + ")";
    }
}
