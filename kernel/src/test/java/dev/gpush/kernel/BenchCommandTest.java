package dev.gpush.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpush bench}, run as a real child process; checks the table's shape and the JSON's keys, never the speed. */
class BenchCommandTest {
    @TempDir Path dir;

    /** The start of every row of the table, in order: the workloads of issue 11. */
    private static final List<String> ROWS = List.of("add 1 elem ", "add 1 elem, requires_grad ", "fwd+bwd chain",
            "matmul f32 16 ", "matmul f32 32 ", "matmul bf16 16 ", "matmul bf16 32 ", "add f32 ", "mul f32 ", "sum f32 ",
            "softmax f32 ", "layer norm f32 ", "conv block fwd+bwd ", "conv block fwd+bwd ", "transformer train step ",
            "transformer train step ", "DataLoader 0 workers", "DataLoader 2 workers", "DataLoader 4 workers");

    /** The table's rows: the lines between the rule under the header and the first blank or footer line. */
    private static List<String> rows(String out) {
        List<String> lines = out.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("workload ")).findFirst().orElseThrow());
        assertEquals("-".repeat(lines.get(header).length()), lines.get(header + 1), "a rule under the header");
        return lines.subList(header + 2, lines.size()).stream()
                .takeWhile(l -> !l.isBlank() && !l.startsWith("gpush vs") && !l.startsWith("notes:")).toList();
    }

    private static void assertEveryWorkloadHasARow(List<String> rows, String out) {
        assertEquals(ROWS.size(), rows.size(), out);
        for (int i = 0; i < ROWS.size(); i++) {
            String row = rows.get(i);
            assertTrue(row.startsWith(ROWS.get(i)), "row " + i + " is " + ROWS.get(i) + ": " + row);
            assertTrue(!row.contains("n/a"), "measured: " + row);
        }
        assertTrue(rows.get(15).contains("peak memory") && rows.get(15).contains(" MB "), rows.get(15));
    }

    @Test
    void smokeBenchPrintsATableOfEveryWorkloadAndWritesTheJson() throws Exception {
        Path json = dir.resolve("bench.json");
        var result = ChildProcess.run(ChildProcess.cli("bench", "--smoke", "--threads", "1", "--json", json.toString()), "");
        assertEquals(0, result.exit(), result::toString);
        assertEveryWorkloadHasARow(rows(result.out()), result.out());

        @SuppressWarnings("unchecked")
        var doc = (Map<String, Object>) Json.parse(Files.readString(json));
        assertEquals(List.of("profile", "device", "command", "machine", "notes", "results"), List.copyOf(doc.keySet()));
        assertEquals("smoke", doc.get("profile"));
        assertEquals("cpu", doc.get("device"));
        assertInstanceOf(Map.class, doc.get("machine"));
        assertEquals(ROWS.size(), ((List<?>) doc.get("results")).size());
    }

    @Test
    void smokeBenchBesidePyTorchHasARatioInEveryRow() throws Exception {
        assumeTrue(importsTorch("/usr/bin/python3"), "/usr/bin/python3 cannot import torch");
        Path json = dir.resolve("torch.json");
        var result = ChildProcess.run(ChildProcess.cli("bench", "--smoke", "--threads", "1", "--compare-pytorch",
                "--python", "/usr/bin/python3", "--json", json.toString()), "");
        assertEquals(0, result.exit(), result::toString);
        assertTrue(result.out().contains("gpush vs torch"), result::toString);
        List<String> rows = rows(result.out());
        assertEveryWorkloadHasARow(rows, result.out());
        for (String row : rows) assertTrue(row.matches(".*  \\d+\\.\\d\\dx"), "a ratio ends the row: " + row);

        @SuppressWarnings("unchecked")
        var doc = (Map<String, Object>) Json.parse(Files.readString(json));
        assertTrue(doc.containsKey("torch"), doc::toString);
        assertEquals(2 * ROWS.size(), ((List<?>) doc.get("results")).size(), "a gpush and a torch result per row");
    }

    @Test
    void aBadOptionIsRefusedWithTheUsage() {
        var result = ChildProcess.run(ChildProcess.cli("bench", "--no-such-option"), "");
        assertEquals(2, result.exit(), result::toString);
        assertTrue(result.err().contains("unknown option --no-such-option"), result::toString);
        assertTrue(result.err().contains("usage: gpush bench"), result::toString);
    }

    private static boolean importsTorch(String python) throws Exception {
        if (!Files.isExecutable(Path.of(python))) return false;
        Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
