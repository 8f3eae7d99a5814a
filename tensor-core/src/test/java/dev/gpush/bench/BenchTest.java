package dev.gpush.bench;

import dev.gpush.cpu.Parallel;
import dev.gpush.io.Json;
import dev.gpush.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code gpush bench} end to end on tiny sizes ({@code --smoke}): every workload is measured, printed and written
 * as well-formed JSON with positive numbers, beside PyTorch and NumPy where this machine has them. No timing is
 * asserted: speed is for {@code gpush bench} to report, not to test.
 */
class BenchTest {
    @TempDir Path dir;

    record Output(int exitCode, String out, String err) {}

    static Output bench(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<Workload> smokeWorkloads() { return Workload.all(Profile.SMOKE, Device.CPU, new ArrayList<>()); }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(Path json) throws Exception {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        assertEquals("smoke", doc.get("profile"));
        assertEquals("cpu", doc.get("device"));
        assertTrue(((String) doc.get("command")).startsWith("gpush bench --smoke"), doc.get("command")::toString);
        Map<String, Object> machine = (Map<String, Object>) doc.get("machine");
        for (String k : List.of("cpu", "cores", "java", "threads", "blas")) assertNotNull(machine.get(k), "machine." + k);
        assertInstanceOf(List.class, doc.get("notes"));
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("results");
    }

    private static void assertWellFormed(Map<String, Object> r) {
        for (String k : List.of("workload", "unit", "impl")) assertInstanceOf(String.class, r.get(k), k + " of " + r);
        double median = ((Number) r.get("median")).doubleValue(), min = ((Number) r.get("min")).doubleValue(),
                max = ((Number) r.get("max")).doubleValue();
        assertTrue(min > 0 && min <= median && median <= max, "0 < min <= median <= max in " + r);
        long runs = (Long) r.get("runs");
        assertEquals(r.get("unit").equals("MB") ? 1 : Profile.SMOKE.runs, runs, "runs of " + r);
    }

    /** The table's lines, from the header to the last row. */
    private static List<String> table(String out) {
        return out.substring(out.indexOf("workload ")).lines().takeWhile(l -> !l.isBlank() && !l.startsWith("gpush vs")
                && !l.startsWith("notes:") && !l.startsWith("results written")).toList();
    }

    private static void assertAligned(List<String> lines) {
        int width = lines.getFirst().length();
        assertEquals("-".repeat(width), lines.get(1), "the rule under the header spans it");
        for (String line : lines.subList(2, lines.size())) assertEquals(width, line.length(), "aligned: " + line);
    }

    @Test void smokeBenchReportsEveryWorkloadInTheTableAndTheJson() throws Exception {
        Path json = dir.resolve("bench.json");
        Output o = bench("--smoke", "--json", json.toString());
        assertEquals(0, o.exitCode(), o.err());
        for (String k : List.of("cpu", "cores", "java", "threads", "blas")) assertTrue(o.out().contains("  " + k + " "), k);

        List<String> table = table(o.out());
        assertAligned(table);
        int rows = smokeWorkloads().stream().mapToInt(w -> w.metrics().size()).sum();
        assertEquals(rows, table.size() - 2, "one row per workload and unit:\n" + String.join("\n", table));
        for (Workload w : smokeWorkloads())
            assertTrue(table.stream().anyMatch(l -> l.startsWith(w.name() + " ") && !l.contains("n/a")), w.name() + " missing from\n" + o.out());

        List<Map<String, Object>> results = results(document(json));
        assertEquals(rows, results.size());
        results.forEach(BenchTest::assertWellFormed);
        assertTrue(results.stream().allMatch(r -> r.get("impl").equals("gpush")));
        assertEquals(List.of("ops/s", "chains/s", "GFLOP/s", "GB/s", "steps/s", "MB", "samples/s"),
                results.stream().map(r -> r.get("unit")).distinct().toList());
    }

    @Test void compareTorchAddsItsColumnForEveryWorkload() throws Exception {
        assumeTrue(PythonSide.TORCH.find("/usr/bin/python3") != null, "/usr/bin/python3 cannot import torch");
        Path json = dir.resolve("torch.json");
        Output o = bench("--smoke", "--compare-pytorch", "--python", "/usr/bin/python3", "--threads", "1", "--json", json.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<String> table = table(o.out());
        assertAligned(table);
        assertTrue(table.getFirst().endsWith("gpush vs torch"), table.getFirst());
        for (String row : table.subList(2, table.size()))
            assertTrue(row.matches(".*\\d\\.\\d\\dx"), "every row has a ratio: " + row);
        assertTrue(o.out().contains("gpush vs torch: how many times better gpush does"), o.out());

        Map<String, Object> doc = document(json);
        @SuppressWarnings("unchecked") Map<String, Object> torch = (Map<String, Object>) doc.get("torch");
        assertNotNull(torch.get("torch"), "the torch version");
        assertEquals("1", torch.get("threads"), "the same thread count as gpush");
        List<Map<String, Object>> results = results(doc);
        results.forEach(BenchTest::assertWellFormed);
        for (Workload w : smokeWorkloads())
            for (String impl : List.of("gpush", "torch"))
                assertTrue(results.stream().anyMatch(r -> r.get("workload").equals(w.name()) && r.get("impl").equals(impl)),
                        impl + " result for " + w.name());
    }

    @Test void aPythonWithoutTorchStopsTheRunBeforeMeasuring() {
        Output o = bench("--smoke", "--compare-pytorch", "--python", dir.resolve("no-such-python").toString());
        assertEquals(1, o.exitCode());
        assertTrue(o.err().contains("no-such-python cannot import torch"), o.err());
        assertFalse(o.out().contains("[1/"), "nothing was measured");
    }

    @Test void cudaWhereThereIsNoneIsRefusedWithTheReason() {
        String why = Gpu.unavailableReason();
        assumeTrue(why != null, "this machine has CUDA");
        Output o = bench("--smoke", "--device", "cuda");
        assertEquals(1, o.exitCode());
        assertEquals("gpush bench: CUDA is not available: " + why + "\n", o.err());
        assertTrue(o.out().isEmpty());
    }

    @Test void compareNumpyAddsItsColumnOrSaysWhyNot() throws Exception {
        Path json = dir.resolve("both.json");
        Output o = bench("--smoke", "--compare-numpy", "--json", json.toString());
        assertEquals(0, o.exitCode(), o.err());
        assumeFalse(o.out().contains("no Python that can import numpy"), "no numpy on this machine");
        assertTrue(o.out().contains("gpush vs numpy"), o.out());
        List<Map<String, Object>> results = results(document(json));
        results.forEach(BenchTest::assertWellFormed);
        for (Workload w : smokeWorkloads()) {
            boolean hasNumpy = results.stream().anyMatch(r -> r.get("workload").equals(w.name()) && r.get("impl").equals("numpy"));
            assertEquals(w.numpyId() != null, hasNumpy, "numpy result for " + w.name());
        }
    }

    @Test void aPythonWithoutNumpyLeavesTheColumnOutWithANote() {
        Output o = bench("--smoke", "--compare-numpy", "--python", dir.resolve("no-such-python").toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("cannot import numpy; the NumPy column is left out"), o.out());
        assertFalse(o.out().contains("gpush vs numpy"));
        for (Workload w : smokeWorkloads()) assertTrue(o.out().contains(w.name() + " "), w.name());
    }

    @Test void threadsOptionHoldsDuringTheRunAndIsRestoredAfter() {
        int before = Parallel.threads();
        Output o = bench("--smoke", "--threads", "1");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("  threads  1\n"), o.out());
        assertEquals(before, Parallel.threads());
    }
}
