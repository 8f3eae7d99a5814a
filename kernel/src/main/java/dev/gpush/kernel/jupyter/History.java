package dev.gpush.kernel.jupyter;

import dev.gpush.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells a kernel has run, kept in a file per kernel name and answered as history_request asks, with IPython's
 * meanings.
 *
 * <p>Rules:
 * <ul>
 *   <li>The file holds one JSON object a line: {@code {"session":S,"line":L,"input":"...","output":"..."}}. A line
 *       that does not parse is skipped.
 *   <li>Each kernel process is one session, numbered one past the highest session in the file when it starts. A
 *       cell's line number is its execution count.
 *   <li>{@code tail n}: the last n cells. {@code range}: the cells of one session (0 or less counts back from the
 *       current one) with {@code start <= line < stop}. {@code search}: the cells whose whole input matches a glob
 *       ({@code *} any text, {@code ?} one character), the last n of them, and with {@code unique} only the last
 *       cell of each distinct input. All come oldest first.
 *   <li>A file that cannot be written loses nothing in memory; the kernel warns once and goes on.
 * </ul>
 */
final class History {

    record Entry(long session, long line, String input, String output) {
        /** As history_reply lists it: {@code [session, line, input]} or {@code [session, line, [input, output]]}. */
        List<Object> toReply(boolean withOutput) {
            var out = new ArrayList<Object>(List.of(session, line));
            out.add(withOutput ? java.util.Arrays.asList(input, output) : input);
            return out;
        }
    }

    private final Path file;
    private final List<Entry> entries;
    private final long session;
    private boolean warned;

    private History(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
        this.session = entries.stream().mapToLong(Entry::session).max().orElse(0) + 1;
    }

    /** Where a kernel named {@code kernelName} keeps its history: under $XDG_DATA_HOME, as Jupyter's data does. */
    static Path defaultFile(String kernelName) {
        String data = System.getenv("XDG_DATA_HOME");
        Path base = data != null && !data.isBlank() ? Path.of(data)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("gpush").resolve("history").resolve(kernelName.replaceAll("[^\\w.-]", "_") + ".jsonl");
    }

    static History open(Path file) {
        var entries = new ArrayList<Entry>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    try {
                        if (Json.parse(line) instanceof Map<?, ?> m && m.get("session") instanceof Long s
                                && m.get("line") instanceof Long l && m.get("input") instanceof String input) {
                            entries.add(new Entry(s, l, input, m.get("output") instanceof String o ? o : null));
                        }
                    } catch (IllegalArgumentException e) {
                        // a torn line (a kernel killed mid-write) is skipped
                    }
                }
            }
        } catch (IOException e) {
            Log.warn("cannot read the history file " + file + ": " + e.getMessage());
        }
        return new History(file, entries);
    }

    long session() {
        return session;
    }

    synchronized void add(long line, String input, String output) {
        var entry = new Entry(session, line, input, output);
        entries.add(entry);
        var json = new LinkedHashMap<String, Object>();
        json.put("session", entry.session());
        json.put("line", entry.line());
        json.put("input", entry.input());
        json.put("output", entry.output());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.write(json) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                Log.warn("cannot write the history file " + file + " (history stays in memory): " + e.getMessage());
            }
        }
    }

    synchronized List<Entry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - n), entries.size()));
    }

    synchronized List<Entry> range(long session, long start, Long stop) {
        long wanted = session <= 0 ? this.session + session : session;
        return entries.stream().filter(e -> e.session() == wanted && e.line() >= start
                && (stop == null || e.line() < stop)).toList();
    }

    synchronized List<Entry> search(String glob, Long n, boolean unique) {
        var pattern = glob(glob);
        var found = new ArrayList<Entry>();
        var inputs = new HashSet<String>();
        for (Entry e : entries.reversed()) {
            if ((n == null || found.size() < n) && pattern.matcher(e.input()).matches()
                    && (!unique || inputs.add(e.input()))) {
                found.add(e);
            }
        }
        Collections.reverse(found);
        return found;
    }

    /** A glob as a regular expression: {@code *} any text, {@code ?} one character, the rest literal. */
    static Pattern glob(String glob) {
        var regex = new StringBuilder();
        for (String part : glob.split("((?<=[*?])|(?=[*?]))")) {
            regex.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(part);
            });
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
