package dev.gpush.kernel.repl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A command running in a real pseudo-terminal: a private tmux server (its own socket, no user configuration) with
 * one session that keys are sent to and whose screen is read back. A shell around the command writes its exit status
 * to a file (tmux's own pane status arrives late or not at all on a busy machine), and the pane stays after it ends.
 */
final class Tmux implements AutoCloseable {

    static final Path TMUX = Path.of("/usr/bin/tmux");
    /** A guard against a hung shell, not a speed requirement: a wait ends as soon as the screen shows its thing. */
    private static final long HANG_GUARD_MS = 90_000;
    private static final int COLUMNS = 100;
    private static final int ROWS = 40;

    private final Path socket;
    private final Path status;

    /** Starts {@code command} in a terminal, with {@code env} added to its environment. */
    Tmux(Path dir, List<String> command, Map<String, String> env) {
        socket = dir.resolve("tmux.sock");
        status = dir.resolve("exit-status");
        var line = new ArrayList<String>(List.of("sh", "-c", "\"$@\"; echo $? > \"$0\"", status.toString(), "env"));
        env.forEach((key, value) -> line.add(key + "=" + value));
        line.addAll(command);
        tmux("new-session", "-d", "-s", "gpush", "-x", "" + COLUMNS, "-y", "" + ROWS,
                line.stream().map(Tmux::quote).collect(Collectors.joining(" ")),
                ";", "set-option", "-t", "gpush", "remain-on-exit", "on");
    }

    static boolean available() {
        return Files.isExecutable(TMUX);
    }

    /** Types {@code text} as it is, key by key (no key names). */
    void type(String text) {
        // tmux reads an argument that ends in ';' as a command separator, so a trailing ';' goes as its own key code
        if (text.endsWith(";")) {
            type(text.substring(0, text.length() - 1));
            tmux("send-keys", "-t", "gpush", "-H", "3b");
        } else if (!text.isEmpty()) {
            tmux("send-keys", "-t", "gpush", "-l", text);
        }
    }

    /** Presses keys by tmux's names: Enter, Tab, Up, C-c, C-d. */
    void press(String... keys) {
        var args = new ArrayList<>(List.of("send-keys", "-t", "gpush"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Pastes {@code text} as a terminal does, in bracketed-paste mode when the program asked for it. */
    void paste(String text) {
        tmux("set-buffer", "-b", "paste", text);
        tmux("paste-buffer", "-p", "-d", "-b", "paste", "-t", "gpush");
    }

    /** Types a line and presses Enter. */
    void enter(String line) {
        type(line);
        press("Enter");
    }

    /** The screen and the history above it, wrapped lines joined, trailing blanks trimmed. */
    String screen() {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "gpush").lines().map(String::stripTrailing)
                .collect(Collectors.joining("\n")).stripTrailing();
    }

    /** Waits until the screen satisfies {@code condition}; returns that screen. */
    String await(String what, Predicate<String> condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANG_GUARD_MS);
        while (true) {
            String screen = screen();
            if (condition.test(screen)) {
                return screen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + screen);
            }
            sleep(50);
        }
    }

    /** Waits until the screen contains {@code text}. */
    String await(String text) {
        return await("'" + text + "'", screen -> screen.contains(text));
    }

    /** Waits until the last line is an empty prompt (the shell is ready for input). */
    String awaitPrompt() {
        return await("an empty prompt", screen -> lastLine(screen).equals(Repl.PROMPT.strip()));
    }

    /** Waits until the command has ended; returns its exit status. */
    int awaitExit() {
        await("the end of the command", screen -> !status().isEmpty());
        return Integer.parseInt(status());
    }

    private String status() {
        try {
            return Files.exists(status) ? Files.readString(status).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String lastLine(String screen) {
        var lines = screen.lines().toList();
        return lines.isEmpty() ? "" : lines.getLast().strip();
    }

    @Override
    public void close() {
        tmux("kill-server");
    }

    private String tmux(String... args) {
        var command = new ArrayList<>(List.of(TMUX.toString(), "-S", socket.toString(), "-f", "/dev/null"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0 && !args[0].equals("kill-server")) {
                throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
