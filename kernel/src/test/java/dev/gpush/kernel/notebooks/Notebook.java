package dev.gpush.kernel.notebooks;

import dev.gpush.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A notebook file (nbformat 4) as the tests read it: its code cells, and what their outputs say. A multi-line
 * field is a list of strings or one string, as nbformat allows; both read as one string here.
 */
record Notebook(Path file, List<Map<?, ?>> cells, Map<?, ?> metadata) {

    static Notebook read(Path file) throws IOException {
        var json = (Map<?, ?>) Json.parse(Files.readString(file));
        var cells = ((List<?>) json.get("cells")).stream().<Map<?, ?>>map(c -> (Map<?, ?>) c).toList();
        return new Notebook(file, cells, (Map<?, ?>) json.get("metadata"));
    }

    List<Map<?, ?>> codeCells() {
        return cells.stream().filter(c -> "code".equals(c.get("cell_type"))).toList();
    }

    static String source(Map<?, ?> cell) {
        return joined(cell.get("source"));
    }

    static List<Map<?, ?>> outputs(Map<?, ?> cell) {
        var outputs = (List<?>) cell.get("outputs");
        return outputs == null ? List.of() : outputs.stream().<Map<?, ?>>map(o -> (Map<?, ?>) o).toList();
    }

    /** Every output as text, cell by cell: streams as printed, results and displays by their text/plain. */
    String text() {
        var text = new StringBuilder();
        for (var cell : codeCells()) {
            for (var output : outputs(cell)) {
                if ("stream".equals(output.get("output_type"))) {
                    text.append(joined(output.get("text")));
                } else if (output.get("data") instanceof Map<?, ?> data && data.containsKey("text/plain")) {
                    text.append(joined(data.get("text/plain"))).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The error outputs, each with the first line of its cell, its exception and its traceback. */
    List<String> errors() {
        var errors = new ArrayList<String>();
        for (var cell : codeCells()) {
            for (var output : outputs(cell)) {
                if ("error".equals(output.get("output_type"))) {
                    errors.add("cell `" + source(cell).lines().findFirst().orElse("") + "`: " + output.get("ename")
                            + ": " + output.get("evalue") + "\n" + joinedLines(output.get("traceback")));
                }
            }
        }
        return errors;
    }

    /** How many outputs carry the MIME type {@code mime} (image/png for a chart, say). */
    long outputsWith(String mime) {
        return codeCells().stream().flatMap(c -> outputs(c).stream())
                .filter(o -> o.get("data") instanceof Map<?, ?> data && data.containsKey(mime)).count();
    }

    private static String joinedLines(Object lines) {
        return lines instanceof List<?> list ? String.join("\n", list.stream().map(String::valueOf).toList()) : "";
    }

    private static String joined(Object field) {
        if (field instanceof List<?> lines) {
            return String.join("", lines.stream().map(String::valueOf).toList());
        }
        return field == null ? "" : field.toString();
    }
}
