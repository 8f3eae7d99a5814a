package dev.gpush.magics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A table that a magic returns: a notebook shows it as HTML, a terminal as aligned text (the engine's renderers call
 * {@link #mimeBundle()}). An optional title and notes go above and below.
 */
public final class Table {

    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Table(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(java.util.Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    public Table note(String note) {
        notes.add(note);
        return this;
    }

    public Map<String, Object> mimeBundle() {
        return Map.of("text/plain", toString(), "text/html", toHtml());
    }

    public String toHtml() {
        var html = new StringBuilder();
        if (title != null) {
            html.append("<p><b>").append(escape(title)).append("</b></p>");
        }
        html.append("<table><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(c -> html.append("<td>").append(escape(c)).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>");
        notes.forEach(n -> html.append("<p>").append(escape(n)).append("</p>"));
        return html.toString();
    }

    @Override
    public String toString() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var text = new StringBuilder();
        if (title != null) {
            text.append(title).append('\n');
        }
        line(text, header, widths);
        line(text, java.util.Arrays.stream(widths).mapToObj("-"::repeat).toList(), widths);
        rows.forEach(row -> line(text, row, widths));
        notes.forEach(n -> text.append(n).append('\n'));
        return text.toString();
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            text.append(i == 0 ? "" : "  ").append(cell).append(" ".repeat(widths[i] - cell.length()));
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        text.setLength(end);
        text.append('\n');
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
