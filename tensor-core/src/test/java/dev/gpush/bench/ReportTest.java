package dev.gpush.bench;

import dev.gpush.io.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The table and the JSON, from results made up here: layout, the ratio's direction, missing results. */
class ReportTest {
    private static final Workload MATMUL = workload("matmul f32 1024", Workload.Metric.rate("GFLOP/s", 1));
    private static final Workload MEMORY = workload("train step, peak memory", Workload.Metric.megabytes());
    private static final Workload LOADER = workload("DataLoader 2 workers", Workload.Metric.rate("samples/s", 1));

    private static Workload workload(String name, Workload.Metric metric) {
        return new Workload(name, null, null, List.of(metric), p -> { throw new AssertionError("not measured here"); });
    }

    private static Result result(Workload w, String impl, double median, double min, double max, int runs) {
        Workload.Metric m = w.metrics().getFirst();
        return new Result(w.name(), m.unit(), m.higherIsBetter(), impl, median, min, max, runs);
    }

    private static final List<Result> RESULTS = List.of(
            result(MATMUL, "gpush", 200, 150, 210, 10), result(MATMUL, "torch", 100, 90, 120, 10),
            result(MEMORY, "gpush", 300, 300, 300, 1), result(MEMORY, "torch", 150, 150, 150, 1),
            result(LOADER, "torch", 5000, 4000, 6000, 10));

    @Test void theRatioSaysHowManyTimesBetterGpushDoesForRatesAndForMemory() {
        List<String> lines = Report.table(List.of(MATMUL, MEMORY, LOADER), RESULTS, List.of("torch")).lines().toList();
        assertEquals("workload                 unit       gpush      min - max  torch      min - max  gpush vs torch", lines.get(0));
        assertEquals("-".repeat(lines.get(0).length()), lines.get(1));
        assertEquals("matmul f32 1024          GFLOP/s    200.0  150.0 - 210.0  100.0  90.00 - 120.0           2.00x", lines.get(2));
        assertEquals("train step, peak memory  MB         300.0                 150.0                          0.50x", lines.get(3));
        assertEquals("DataLoader 2 workers     samples/s    n/a                  5000    4000 - 6000", lines.get(4));
        assertTrue(lines.get(5).startsWith("gpush vs torch: how many times better gpush does"), lines.get(5));
        assertEquals(6, lines.size());
    }

    @Test void withoutComparisonsTheTableShowsTheRuns() {
        List<String> lines = Report.table(List.of(MATMUL), RESULTS, List.of()).lines().toList();
        assertEquals(List.of(
                "workload         unit     gpush      min - max  runs",
                "----------------------------------------------------",
                "matmul f32 1024  GFLOP/s  200.0  150.0 - 210.0    10"), lines);
    }

    @Test void numbersKeepAboutFourSignificantDigits() {
        assertEquals("1234568", Report.num(1234567.8));
        assertEquals("123.5", Report.num(123.45));
        assertEquals("12.35", Report.num(12.345));
        assertEquals("0.123", Report.num(0.1234));
        assertEquals("0.00123", Report.num(0.001234));
    }

    @Test @SuppressWarnings("unchecked")
    void theJsonParsesWithEveryKey() {
        Machine machine = new Machine("AMD EPYC", 2, "25", 2, "OpenBLAS", Double.NaN, "1 MB", null);
        Map<String, Map<String, String>> sides = new LinkedHashMap<>();
        sides.put("torch", Map.of("torch", "1.13.1"));
        String text = Report.json("full", "cpu", "gpush bench --compare-pytorch", machine, sides, List.of("a \"note\""), RESULTS);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(text);
        assertEquals(List.of("profile", "device", "command", "machine", "torch", "notes", "results"), List.copyOf(doc.keySet()));
        assertEquals("gpush bench --compare-pytorch", doc.get("command"));
        assertEquals(List.of("a \"note\""), doc.get("notes"));
        Map<String, Object> m = (Map<String, Object>) doc.get("machine");
        assertNull(m.get("busy"), "NaN is written as null");
        assertEquals(2L, m.get("cores"));
        List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
        assertEquals(RESULTS.size(), results.size());
        assertEquals(Map.of("workload", "matmul f32 1024", "unit", "GFLOP/s", "impl", "gpush", "median", 200.0,
                "min", 150.0, "max", 210.0, "runs", 10L), results.getFirst());
    }
}
