package dev.gpush.cuda;

import dev.gpush.cuda.MemoryStats.Metric;
import dev.gpush.cuda.MemoryStats.Pool;

import java.util.Locale;

/**
 * {@code Cuda.memorySummary()}: the table of {@code torch.cuda.memory_summary()}, row for row and unit for unit
 * (a byte cell switches to the next unit once the reference value reaches 768 of it; a count cell to K and M).
 * gpush never makes oversize segments (no {@code max_split_size}), so those rows are zero.
 */
final class MemorySummary {
    private MemorySummary() {}

    private static final String RULE = "|" + "-".repeat(75) + "|\n";
    private static final Pool[] ROW_ORDER = {Pool.ALL, Pool.LARGE, Pool.SMALL};   // PyTorch lists the large pool first
    private static final String DOUBLE_RULE = "|" + "=".repeat(75) + "|\n";

    static String format(int device, MemoryStats s) {
        StringBuilder t = new StringBuilder(DOUBLE_RULE);
        t.append('|').append(center("gpush CUDA memory summary, device ID " + device, 75)).append("|\n").append(RULE);
        t.append('|').append(center("CUDA OOMs: " + s.numOoms, 36)).append('|')
                .append(center("cudaMalloc retries: " + s.numAllocRetries, 38)).append("|\n").append(DOUBLE_RULE);
        t.append(String.format(Locale.ROOT, "| %-21s | %-10s | %-10s | %-10s | %-10s |%n",
                "       Metric", "Cur Usage", "Peak Usage", "Tot Alloc", "Tot Freed").replace("\r", ""));
        t.append(RULE);
        bytesRows(t, "Allocated memory", s, Metric.ALLOCATED_BYTES);
        bytesRows(t, "Active memory", s, Metric.ACTIVE_BYTES);
        bytesRows(t, "Requested memory", s, Metric.REQUESTED_BYTES);
        bytesRows(t, "GPU reserved memory", s, Metric.RESERVED_BYTES);
        bytesRows(t, "Non-releasable memory", s, Metric.INACTIVE_SPLIT_BYTES);
        countRows(t, "Allocations", s, Metric.ALLOCATION);
        countRows(t, "Active allocs", s, Metric.ACTIVE);
        countRows(t, "GPU reserved segments", s, Metric.SEGMENT);
        countRows(t, "Non-releasable allocs", s, Metric.INACTIVE_SPLIT);
        zeroRow(t, "Oversize allocations");
        zeroRow(t, "Oversize GPU segments");
        t.setLength(t.length() - RULE.length());
        return t.append(DOUBLE_RULE).toString();
    }

    private static void bytesRows(StringBuilder t, String name, MemoryStats s, Metric m) {
        for (Pool p : ROW_ORDER) {
            MemoryStats.Stat st = s.get(m, p);
            row(t, p == Pool.ALL ? name : p == Pool.LARGE ? "      from large pool" : "      from small pool",
                    size(st.current, st.peak), size(st.peak, st.peak), size(st.allocated, st.allocated),
                    size(st.freed, st.freed));
        }
        t.append(RULE);
    }

    private static void countRows(StringBuilder t, String name, MemoryStats s, Metric m) {
        for (Pool p : ROW_ORDER) {
            MemoryStats.Stat st = s.get(m, p);
            row(t, p == Pool.ALL ? name : p == Pool.LARGE ? "      from large pool" : "      from small pool",
                    count(st.current, st.peak), count(st.peak, st.peak), count(st.allocated, st.allocated),
                    count(st.freed, st.freed));
        }
        t.append(RULE);
    }

    private static void zeroRow(StringBuilder t, String name) {
        String z = count(0, 0);
        row(t, name, z, z, z, z);
        t.append(RULE);
    }

    private static void row(StringBuilder t, String name, String a, String b, String c, String d) {
        t.append(String.format(Locale.ROOT, "| %-21s | %s | %s | %s | %s |", name, a, b, c, d)).append('\n');
    }

    /** PyTorch's {@code _format_size}: 10 characters. */
    static String size(long value, long reference) {
        String[] units = {"B  ", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        double ref = reference;
        while (u < units.length - 1 && ref >= 768 * 1024) {
            value /= 1024;
            ref /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%6d %s", value, units[u]);
    }

    /** PyTorch's {@code _format_count}: 10 characters. */
    static String count(long value, long reference) {
        String[] units = {" ", "K", "M"};
        int u = 0;
        double ref = reference;
        while (u < units.length - 1 && ref >= 750 * 1000) {
            value /= 1000;
            ref /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%7d %s ", value, units[u]);
    }

    private static String center(String s, int width) {
        int left = Math.max(0, (width - s.length()) / 2);
        return " ".repeat(left) + s + " ".repeat(Math.max(0, width - left - s.length()));
    }
}
