package dev.gpush.cuda;

import java.util.Locale;

/** Byte counts as PyTorch prints them: bytes, then KiB, MiB and GiB with two decimals. */
public final class Bytes {
    private Bytes() {}

    static final long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    public static String format(long bytes) {
        if (bytes < KiB) return bytes + " bytes";
        if (bytes < MiB) return String.format(Locale.ROOT, "%.2f KiB", bytes / (double) KiB);
        if (bytes < GiB) return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) MiB);
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) GiB);
    }
}
