package dev.gpush.bench;

import dev.gpush.cpu.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The harness on tiny sizes ({@code --smoke}): every workload is measured, printed and written as well-formed
 * JSON with positive numbers. No timing is asserted: speed is for {@code gpush bench} to report, not to test.
 */
class BenchTest {
    @TempDir Path dir;

    private record Output(int exitCode, String out, String err) {}

    private static Output bench(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int rc = Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> workloadNames() {
        return Workload.all(Options.Profile.SMOKE).stream().map(Workload::name).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Path json) throws Exception {
        Map<String, Object> doc = (Map<String, Object>) new Json(Files.readString(json)).value();
        assertEquals("smoke", doc.get("profile"));
        Map<String, Object> machine = (Map<String, Object>) doc.get("machine");
        for (String k : List.of("cpu", "cores", "java", "threads", "blas")) assertNotNull(machine.get(k), "machine." + k);
        return (List<Map<String, Object>>) doc.get("results");
    }

    private static void assertWellFormed(Map<String, Object> r) {
        for (String k : List.of("workload", "unit", "impl")) assertInstanceOf(String.class, r.get(k), k + " of " + r);
        double median = (Double) r.get("median"), min = (Double) r.get("min"), max = (Double) r.get("max");
        assertTrue(min > 0 && min <= median && median <= max, "0 < min <= median <= max in " + r);
        assertEquals(3.0, r.get("runs"), "runs of " + r);
    }

    @Test void smokeBenchReportsEveryWorkloadInTheTableAndTheJson() throws Exception {
        Path json = dir.resolve("bench.json");
        Output o = bench("--smoke", "--json", json.toString());
        assertEquals(0, o.exitCode(), o.err());
        for (String k : List.of("cpu", "cores", "java", "threads", "blas")) assertTrue(o.out().contains("  " + k + " "), k);

        String table = o.out().substring(o.out().indexOf("workload"));
        for (String name : workloadNames()) assertTrue(table.contains(name + " "), name + " missing from\n" + table);
        List<String> lines = table.lines().filter(l -> !l.isBlank() && !l.startsWith("results written")).toList();
        int width = lines.getFirst().length();
        assertEquals(width, lines.get(1).length(), "the rule under the header spans it");
        for (String line : lines.subList(2, lines.size())) assertEquals(width, line.length(), "aligned: " + line);

        List<Map<String, Object>> results = results(json);
        for (String name : workloadNames())
            assertTrue(results.stream().anyMatch(r -> r.get("workload").equals(name)), name + " missing from the JSON");
        results.forEach(BenchTest::assertWellFormed);
        assertTrue(results.stream().allMatch(r -> r.get("impl").equals("gpush")));
        List<Object> units = results.stream().map(r -> r.get("unit")).distinct().toList();
        assertEquals(List.of("GFLOP/s", "ns/op", "GB/s", "ms"), units);
    }

    @Test void compareNumpyAddsItsColumnOrSaysWhyNot() throws Exception {
        Path json = dir.resolve("both.json");
        Output o = bench("--smoke", "--compare-numpy", "--json", json.toString());
        assertEquals(0, o.exitCode(), o.err());
        assumeFalse(o.out().contains("no Python with numpy found"), "no numpy on this machine");
        assertTrue(o.out().contains("gpush speed vs numpy"), o.out());
        List<Map<String, Object>> results = results(json);
        results.forEach(BenchTest::assertWellFormed);
        for (Workload w : Workload.all(Options.Profile.SMOKE)) {
            boolean hasNumpy = results.stream().anyMatch(r -> r.get("workload").equals(w.name()) && r.get("impl").equals("numpy"));
            assertEquals(w.numpyId() != null, hasNumpy, "numpy result for " + w.name());
        }
    }

    @Test void aPythonWithoutNumpyLeavesTheColumnOutWithANote() {
        Output o = bench("--smoke", "--compare-numpy", "--python", dir.resolve("no-such-python").toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("cannot import numpy; the NumPy column is left out"), o.out());
        assertFalse(o.out().contains("gpush speed vs numpy"));
        for (String name : workloadNames()) assertTrue(o.out().contains(name + " "), name);
    }

    @Test void threadsOptionHoldsDuringTheRunAndIsRestoredAfter() {
        int before = Parallel.threads();
        Output o = bench("--smoke", "--threads", "1");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("  threads  1\n"), o.out());
        assertEquals(before, Parallel.threads());
    }

    @Test void badArgumentsPrintUsageAndExitWith2() {
        for (String[] args : List.of(new String[]{"--fast"}, new String[]{"--threads", "0"}, new String[]{"--threads", "x"},
                new String[]{"--json"})) {
            Output o = bench(args);
            assertEquals(2, o.exitCode(), String.join(" ", args));
            assertTrue(o.err().contains("usage: gpush bench"), o.err());
            assertTrue(o.out().isEmpty());
        }
        assertTrue(bench("--fast").err().contains("unknown option --fast"));
        assertTrue(bench("--threads", "0").err().contains("--threads takes a positive number, got 0"));
    }

    @Test void helpPrintsUsageAndRunsNothing() {
        Output o = bench("--help");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().startsWith("usage: gpush bench"), o.out());
        assertFalse(o.out().contains("[1/"), "nothing was measured");
    }

    /** A strict JSON reader, just enough to prove the file parses: objects, arrays, strings, numbers, literals. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) { this.s = s; }

        Object value() {
            Object v = parse();
            ws();
            if (i != s.length()) throw error("trailing text");
            return v;
        }

        private Object parse() {
            ws();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (peek('}')) return m;
                do {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, parse());
                    ws();
                } while (next(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (peek(']')) return l;
                do l.add(parse()); while (next(','));
                ws();
                expect(']');
                return l;
            }
            if (c == '"') return string();
            for (String lit : List.of("true", "false", "null"))
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            var m = java.util.regex.Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?").matcher(s).region(i, s.length());
            if (!m.lookingAt()) throw error("bad value");
            i = m.end();
            return Double.parseDouble(m.group());
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c < 0x20) throw error("control character in string");
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private void ws() { while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++; }
        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) { i++; return true; }
            return false;
        }
        private boolean next(char c) { ws(); return peek(c); }
        private void expect(char c) { if (!peek(c)) throw error("expected '" + c + "'"); }
        private IllegalStateException error(String what) { return new IllegalStateException(what + " at " + i + " in\n" + s); }
    }
}
