package dev.gpush.kernel.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell cut into the parts that run in order: Java code, line magics and a cell magic.
 *
 * <p>Rules:
 * <ul>
 *   <li>A cell whose first non-blank line is {@code %%name args} is one cell magic; the lines after it are its body.</li>
 *   <li>Otherwise a line whose first non-blank characters are {@code %name} is a line magic, with the rest of the line
 *       as its arguments, and {@code x = %name args} (or {@code var x = ...}) is one whose value becomes the
 *       variable {@code x}, as IPython captures {@code x = %timeit -o ...}; the lines between magics are Java. (Java never starts a line with {@code %} outside a text
 *       block or a wrapped expression.)</li>
 *   <li>A Java part keeps the cell's line numbers: its source is the whole cell with every other line left empty, so
 *       compile errors and stack frames name the line of the cell.</li>
 * </ul>
 */
record Cell(List<Part> parts) {

    private static final Pattern MAGIC = Pattern.compile("^\\s*(%%?)([A-Za-z_][\\w.-]*\\??)(?:[ \\t]+(.*))?$");
    /** {@code x = %name args} or {@code var x = %name args}: a line magic whose value goes into a variable. */
    private static final Pattern CAPTURE =
            Pattern.compile("^\\s*(?:var\\s+)?([A-Za-z_$][\\w$]*)\\s*=\\s*%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?;?\\s*$");

    sealed interface Part permits Java, Magic {}

    /** Java source the length of the cell, blank outside this part. */
    record Java(String source) implements Part {}

    /**
     * A magic at {@code line}; {@code body} is null for a line magic. {@code target} names the variable a line
     * magic's value goes into ({@code x = %timeit -o ...}), or is null.
     */
    record Magic(int line, String name, String args, String body, String target) implements Part {}

    /**
     * The cell as the Java compiler should see it for completion, documentation and completeness: magic lines (and
     * a cell magic's first line) turned into spaces, so every offset stays where it was.
     */
    static String javaView(String source) {
        String[] lines = source.split("\n", -1);
        var text = new StringBuilder(source.length());
        boolean first = true;
        for (int i = 0; i < lines.length; i++) {
            Matcher magic = MAGIC.matcher(lines[i]);
            boolean blank = magic.matches() && (magic.group(1).equals("%") || first)
                    || CAPTURE.matcher(lines[i]).matches();
            text.append(blank ? " ".repeat(lines[i].length()) : lines[i]);
            if (i < lines.length - 1) {
                text.append('\n');
            }
            first &= lines[i].isBlank();
        }
        return text.toString();
    }

    static Cell parse(String source) {
        String[] lines = source.split("\n", -1);
        var parts = new ArrayList<Part>();
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        Matcher cellMagic = first < lines.length ? MAGIC.matcher(lines[first]) : null;
        if (cellMagic != null && cellMagic.matches() && cellMagic.group(1).equals("%%")) {
            String body = String.join("\n", List.of(lines).subList(first + 1, lines.length));
            parts.add(new Magic(first + 1, cellMagic.group(2), args(cellMagic), body, null));
            return new Cell(parts);
        }
        int javaStart = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher magic = MAGIC.matcher(lines[i]);
            Matcher capture = CAPTURE.matcher(lines[i]);
            if (magic.matches() && magic.group(1).equals("%")) {
                addJava(parts, lines, javaStart, i);
                parts.add(new Magic(i + 1, magic.group(2), args(magic), null, null));
                javaStart = i + 1;
            } else if (capture.matches()) {
                addJava(parts, lines, javaStart, i);
                String args = capture.group(3) == null ? "" : capture.group(3).strip().replaceFirst(";$", "");
                parts.add(new Magic(i + 1, capture.group(2), args, null, capture.group(1)));
                javaStart = i + 1;
            }
        }
        addJava(parts, lines, javaStart, lines.length);
        return new Cell(parts);
    }

    private static String args(Matcher magic) {
        return magic.group(3) == null ? "" : magic.group(3).strip();
    }

    /** Lines [from, to) as Java, unless they are all blank. */
    private static void addJava(List<Part> parts, String[] lines, int from, int to) {
        boolean blank = true;
        var text = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            boolean inside = i >= from && i < to;
            if (inside) {
                text.append(lines[i]);
                blank &= lines[i].isBlank();
            }
            if (i < lines.length - 1) {
                text.append('\n');
            }
        }
        if (!blank) {
            parts.add(new Java(text.toString()));
        }
    }
}
