package dev.gpush.bench;

import dev.gpush.io.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The aligned table printed at the end of {@code gpush bench}, and the same results as JSON. */
final class Report {
    private Report() {}

    /**
     * One row per gpush result; with NumPy results, their median and range beside it and the speed ratio:
     * how many times faster gpush is ({@code gpush/numpy} for rates, {@code numpy/gpush} for times).
     */
    static String table(List<Result> gpush, List<Result> numpy) {
        boolean withNumpy = numpy != null && !numpy.isEmpty();
        List<String[]> rows = new ArrayList<>();
        rows.add(withNumpy
                ? new String[]{"workload", "unit", "gpush", "min - max", "numpy", "min - max", "gpush speed vs numpy"}
                : new String[]{"workload", "unit", "median", "min - max", "runs"});
        for (Result g : gpush) {
            String[] row = withNumpy ? new String[7] : new String[5];
            row[0] = g.workload();
            row[1] = g.unit();
            row[2] = num(g.median());
            row[3] = num(g.min()) + " - " + num(g.max());
            if (!withNumpy) {
                row[4] = Integer.toString(g.runs());
            } else {
                Result n = numpy.stream().filter(r -> r.workload().equals(g.workload()) && r.unit().equals(g.unit()))
                        .findFirst().orElse(null);
                row[4] = n == null ? "n/a" : num(n.median());
                row[5] = n == null ? "" : num(n.min()) + " - " + num(n.max());
                row[6] = n == null ? "" : String.format(Locale.ROOT, "%.2fx",
                        g.higherIsBetter() ? g.median() / n.median() : n.median() / g.median());
            }
            rows.add(row);
        }
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean left = c < 2; // names left, numbers right
                String cell = left ? pad(r[c], width[c], false) : pad(r[c], width[c], true);
                line.append(cell).append(c < cols - 1 ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) sb.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
        }
        if (withNumpy) sb.append("gpush speed vs numpy: above 1.00x gpush is faster, below it NumPy is\n");
        return sb.toString();
    }

    /** {"profile", "machine": {...}, "numpy": {...} or absent, "results": [{workload, unit, impl, median, min, max, runs}]} */
    static String json(String profile, Machine machine, Map<String, String> numpyInfo, List<Result> results) {
        StringBuilder sb = new StringBuilder("{\n  \"profile\": ").append(Json.write(profile)).append(",\n  \"machine\": ");
        machine(sb, machine);
        if (numpyInfo != null) {
            sb.append(",\n  \"numpy\": {");
            int i = 0;
            for (var e : numpyInfo.entrySet())
                sb.append(i++ == 0 ? "" : ", ").append(Json.write(e.getKey())).append(": ").append(Json.write(e.getValue()));
            sb.append('}');
        }
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

    private static void machine(StringBuilder sb, Machine m) {
        sb.append("{\"cpu\": ").append(Json.write(m.cpu()))
                .append(", \"cores\": ").append(m.cores())
                .append(", \"java\": ").append(Json.write(m.java()))
                .append(", \"threads\": ").append(m.threads())
                .append(", \"blas\": ").append(Json.write(m.blas()))
                .append(", \"busy\": ").append(jsonNum(m.busy()))
                .append(", \"heap\": ").append(Json.write(m.heap())).append('}');
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
