package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.ErrorFormat;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The gpush shell: Java typed at a prompt, run by the engine that notebooks use.
 *
 * <p>Rules:
 * <ul>
 *   <li>The engine is built on a background thread ({@link Session}) while the terminal and the line reader start,
 *       so the banner and the first prompt do not wait for JShell. Nor do they wait for CUDA: the banner's device
 *       line is printed when the lookup answers, above the prompt if that is showing by then.
 *   <li>The loop reads, runs, prints. Each input is one cell, named {@code in[N]} in error messages. Errors print
 *       as {@code gpush run} prints them; values as a notebook's text/plain.
 *   <li>Ctrl-C at the prompt drops the line. While code runs the reader is idle and the terminal in its normal
 *       mode, so Ctrl-C raises SIGINT, whose handler interrupts the code; the session and its variables stay.
 *   <li>Ctrl-D on an empty line ends the shell with code 0; {@code /exit CODE} with CODE.
 *   <li>Tab completes, a second Tab documents ({@link Keys}); {@code ?name} documents too ({@link Docs}).
 * </ul>
 */
public final class Repl {

    public static final String PROMPT = "gpush> ";
    /** Continuation lines: "...> " right-aligned under the prompt. */
    static final String CONTINUATION = "%P ...> ";

    private final Session session;
    private final LineReader reader;
    private final TerminalFrontend frontend;
    private final Commands commands;
    private int cells;

    private Repl(Session session, Terminal terminal) {
        this.session = session;
        var completer = new ReplCompleter(session);
        // --- the line reader --------------------------------------------------------------------------------------
        reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("gpush")
                .parser(new ReplParser(session::isComplete))
                .completer(completer)
                .highlighter(new JavaHighlighter())
                .variable(LineReader.HISTORY_FILE, GpushHome.history())
                .variable(LineReader.HISTORY_SIZE, 10_000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                .variable(LineReader.INDENTATION, 1) // the parser's EOFError carries the indent in spaces
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // `!` is Java's not, not a history event
                .option(LineReader.Option.AUTO_LIST, false) // Keys lists the matches
                .option(LineReader.Option.AUTO_MENU, false)
                .build();
        Keys.bind(reader, completer, session);
        // --- output, commands and Ctrl-C -------------------------------------------------------------------------
        frontend = new TerminalFrontend(terminal, GpushHome.outputs(), session::interrupt);
        commands = new Commands(session, frontend, this::run);
        terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
    }

    /**
     * Runs the shell on this process's terminal until the user leaves; returns the exit code. {@code version} and
     * {@code device} make the banner; {@code device} is asked on a background thread, as it may load CUDA.
     */
    public static int run(String version, Supplier<String> device) throws IOException {
        var deviceLine = CompletableFuture.supplyAsync(device,
                task -> Thread.ofPlatform().daemon().name("gpush-device").start(task));
        try (var session = new Session();
                var terminal = TerminalBuilder.builder().name("gpush").system(true).dumb(true).build()) {
            var repl = new Repl(session, terminal);
            repl.frontend.println("gpush " + version + " on Java " + Runtime.version());
            // now if CUDA has answered, else above the prompt when it does: the prompt never waits for CUDA
            deviceLine.thenAccept(line -> repl.reader.printAbove("device: " + line));
            repl.frontend.note("Type Java. /help lists the commands; Tab completes; Ctrl-D leaves.");
            return repl.loop();
        }
    }

    private int loop() {
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT, null, (Character) null, frontend.takeNextInput());
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt: the line is dropped
            } catch (EndOfFileException e) {
                return 0; // Ctrl-D on an empty line, or the terminal closed
            }
            try {
                OptionalInt exit = handle(line);
                if (exit.isPresent()) {
                    return exit.getAsInt();
                }
            } catch (RuntimeException e) {
                // the shell's own failure (the engine could not start, say): report it and read on
                frontend.error("gpush: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            }
        }
    }

    private OptionalInt handle(String line) {
        String trimmed = line.strip();
        if (Commands.isCommand(trimmed)) {
            return commands.execute(trimmed);
        }
        if (Docs.isRequest(trimmed)) {
            frontend.println(Docs.answer(session.engine(), trimmed));
        } else if (!trimmed.isEmpty()) {
            run("in[" + ++cells + "]", line);
        }
        return OptionalInt.empty();
    }

    /** Evaluates a source as a cell and prints its value, or its error, or that it was interrupted. */
    private void run(String name, String source) {
        var result = session.eval(name, source, frontend);
        var evaluation = result.evaluation();
        if (result.interrupted()) {
            frontend.error("interrupted (the session and its variables are kept)");
        } else if (evaluation.failed().isPresent()) {
            frontend.error(ErrorFormat.format(evaluation, evaluation.failed().get()));
        } else {
            frontend.freshLine();
            if (evaluation.result() != null) {
                frontend.display(evaluation.result(), null, false);
            }
        }
    }
}
