package dev.gpush.kernel.repl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jline.reader.Buffer;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;

/**
 * The shell's own keys: Tab, and the closing brackets.
 *
 * <p>Rules:
 * <ul>
 *   <li>Tab where the line holds only white space before the cursor indents by four spaces.
 *   <li>Otherwise Tab completes: a single match is inserted, several have their common beginning inserted and are
 *       listed above the prompt, as jshell lists them.
 *   <li>A second Tab with nothing changed since the first shows the documentation of what is at the cursor.
 *   <li>A closing bracket typed first on a line takes four spaces of indent away (JLine's own takes
 *       {@code INDENTATION}, which the parser's continuation sets to one).
 * </ul>
 * The list is printed by the shell, not by JLine's list mode, whose loop reads the keys that follow a list and would
 * take the second Tab and a Ctrl-C for itself.
 */
final class Keys {

    private final LineReader reader;
    private final Completer completer;
    private final Session session;
    /** The cursor and buffer after the last Tab, to tell a second Tab. */
    private String afterLastTab = "";

    private Keys(LineReader reader, Completer completer, Session session) {
        this.reader = reader;
        this.completer = completer;
        this.session = session;
    }

    /**
     * Binds the keys in {@code reader}, whose completer must be {@code completer} and whose options
     * {@code AUTO_LIST} and {@code AUTO_MENU} must be off.
     */
    static void bind(LineReader reader, Completer completer, Session session) {
        var keys = new Keys(reader, completer, session);
        reader.getWidgets().put("gpush-tab", keys::tab);
        reader.getWidgets().put("gpush-close", keys::close);
        var main = reader.getKeyMaps().get(LineReader.MAIN);
        main.bind(new Reference("gpush-tab"), "\t");
        main.bind(new Reference("gpush-close"), "}", ")", "]");
    }

    private boolean tab() {
        Buffer buffer = reader.getBuffer();
        String before = buffer.substring(0, buffer.cursor());
        if (before.substring(before.lastIndexOf('\n') + 1).isBlank()) {
            buffer.write("    ");
            return true;
        }
        if (state().equals(afterLastTab)) {
            var docs = Docs.lookup(session.engine(), buffer.toString(), buffer.cursor());
            if (docs.isPresent()) {
                reader.printAbove(docs.get());
                return true;
            }
        }
        var matches = matches(buffer.toString(), buffer.cursor());
        boolean done = reader.getWidgets().get(LineReader.COMPLETE_WORD).apply();
        if (matches.size() > 1) {
            reader.printAbove(columns(matches, reader.getTerminal().getWidth()));
        }
        afterLastTab = state();
        return done;
    }

    private String state() {
        return reader.getBuffer().cursor() + ":" + reader.getBuffer();
    }

    /** What a completion at the cursor offers: the completer's candidates that begin with the word typed. */
    private List<String> matches(String line, int cursor) {
        var input = InputLine.of(line, cursor);
        String typed = input.word().substring(0, input.wordCursor());
        var candidates = new ArrayList<Candidate>();
        completer.complete(reader, input, candidates);
        var shown = new LinkedHashSet<String>();
        candidates.stream().filter(c -> c.value().startsWith(typed)).forEach(c -> shown.add(c.displ()));
        return List.copyOf(shown);
    }

    /** {@code items} in columns as wide as the widest, as many as fit in {@code width}. */
    static String columns(List<String> items, int width) {
        int cell = items.stream().mapToInt(String::length).max().orElse(0) + 2;
        int perRow = Math.max(1, width / cell);
        var text = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            boolean last = (i + 1) % perRow == 0 || i == items.size() - 1;
            text.append(last ? items.get(i) + "\n" : String.format("%-" + cell + "s", items.get(i)));
        }
        return text.toString().stripTrailing();
    }

    private boolean close() {
        Buffer buffer = reader.getBuffer();
        String before = buffer.substring(0, buffer.cursor());
        String line = before.substring(before.lastIndexOf('\n') + 1);
        if (!line.isEmpty() && line.isBlank()) {
            buffer.backspace(Math.min(4, line.length()));
        }
        buffer.write(reader.getLastBinding());
        return true;
    }
}
