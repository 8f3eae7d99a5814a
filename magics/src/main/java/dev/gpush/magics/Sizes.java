package dev.gpush.magics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Byte counts for people: {@code 812 B}, {@code 34.1 KiB}, {@code 2.5 MiB}. */
final class Sizes {

    private Sizes() {}

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The size of a file, or {@code ?} when it cannot be read. */
    static String bytes(Path file) {
        try {
            return bytes(Files.size(file));
        } catch (IOException e) {
            return "?";
        }
    }
}
