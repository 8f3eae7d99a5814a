package dev.gpush.bench;

import dev.gpush.io.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The aligned table printed at the end of {@code gpush bench}, and the same results as JSON. */
final class Report {
    private Report() {}

    static final String GPUSH = "gpush";

    /**
     * One row per workload and unit, in the workloads' order: gpush's median and range, then for each of
     * {@code others} (e.g. torch, numpy) its median and range and the ratio "gpush vs X", how many times better
     * gpush does: {@code gpush/X} for rates, {@code X/gpush} for times and memory. A missing result shows n/a and
     * no ratio. Names are left-aligned, numbers right-aligned, every line as wide as the header.
     */
    static String table(List<Workload> workloads, List<Result> results, List<String> others) {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("workload", "unit", GPUSH, "min - max"));
        if (others.isEmpty()) header.add("runs");
        for (String o : others) header.addAll(List.of(o, "min - max", "gpush vs " + o));
        rows.add(header.toArray(String[]::new));
        for (Workload w : workloads)
            for (Workload.Metric m : w.metrics()) {
                List<String> row = new ArrayList<>(List.of(w.name(), m.unit()));
                Result g = find(results, w.name(), m.unit(), GPUSH);
                row.add(g == null ? "n/a" : num(g.median()));
                row.add(range(g));
                if (others.isEmpty()) row.add(g == null ? "" : Integer.toString(g.runs()));
                for (String o : others) {
                    Result r = find(results, w.name(), m.unit(), o);
                    row.add(r == null ? "n/a" : num(r.median()));
                    row.add(range(r));
                    row.add(g == null || r == null ? "" : String.format(Locale.ROOT, "%.2fx",
                            m.higherIsBetter() ? g.median() / r.median() : r.median() / g.median()));
                }
                rows.add(row.toArray(String[]::new));
            }
        StringBuilder sb = new StringBuilder(align(rows));
        for (String o : others)
            sb.append("gpush vs ").append(o).append(": how many times better gpush does (faster, or less memory); "
                    + "above 1.00x gpush is ahead, below it ").append(o).append(" is\n");
        return sb.toString();
    }

    private static Result find(List<Result> results, String workload, String unit, String impl) {
        return results.stream().filter(r -> r.workload().equals(workload) && r.unit().equals(unit) && r.impl().equals(impl))
                .findFirst().orElse(null);
    }

    private static String range(Result r) {
        if (r == null) return "";
        return r.runs() == 1 ? "" : num(r.min()) + " - " + num(r.max());
    }

    private static String align(List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean left = c < 2; // names left, numbers right
                line.append(pad(r[c], width[c], !left)).append(c < cols - 1 ? "  " : "");
            }
            String text = line.toString().stripTrailing();
            sb.append(text).append('\n');
            if (i == 0) sb.append("-".repeat(text.length())).append('\n');
        }
        return sb.toString();
    }

    /**
     * {"profile", "device", "command", "machine": {...}, one object per comparison side ("torch": {...},
     * "numpy": {...}), "notes": [...], "results": [{workload, unit, impl, median, min, max, runs}]}.
     */
    static String json(String profile, String device, String command, Machine machine,
                       Map<String, Map<String, String>> sides, List<String> notes, List<Result> results) {
        StringBuilder sb = new StringBuilder("{\n  \"profile\": ").append(Json.write(profile))
                .append(",\n  \"device\": ").append(Json.write(device))
                .append(",\n  \"command\": ").append(Json.write(command))
                .append(",\n  \"machine\": ").append(Json.write(machine(machine)));
        sides.forEach((impl, info) -> sb.append(",\n  ").append(Json.write(impl)).append(": ").append(Json.write(info)));
        sb.append(",\n  \"notes\": ").append(Json.write(notes));
        sb.append(",\n  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            sb.append(i == 0 ? "\n    " : ",\n    ")
                    .append("{\"workload\": ").append(Json.write(r.workload()))
                    .append(", \"unit\": ").append(Json.write(r.unit()))
                    .append(", \"impl\": ").append(Json.write(r.impl()))
                    .append(", \"median\": ").append(jsonNum(r.median()))
                    .append(", \"min\": ").append(jsonNum(r.min()))
                    .append(", \"max\": ").append(jsonNum(r.max()))
                    .append(", \"runs\": ").append(r.runs()).append('}');
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    private static Map<String, Object> machine(Machine m) {
        Map<String, Object> j = new java.util.LinkedHashMap<>();
        j.put("cpu", m.cpu());
        j.put("cores", m.cores());
        j.put("java", m.java());
        j.put("threads", m.threads());
        j.put("blas", m.blas());
        j.put("busy", Double.isFinite(m.busy()) ? m.busy() : null);
        j.put("heap", m.heap());
        j.put("gpu", m.gpu());
        return j;
    }

    /** Four significant digits or so, with no exponent for the ranges a benchmark sees. */
    static String num(double v) {
        double a = Math.abs(v);
        String f = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 0.01 || a == 0 ? "%.3f" : "%.3g";
        return String.format(Locale.ROOT, f, v);
    }

    private static String jsonNum(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
