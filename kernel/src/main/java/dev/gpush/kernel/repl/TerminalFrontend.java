package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.Frontend;
import dev.gpush.kernel.engine.MimeBundle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;

/**
 * The shell's frontend: what a running cell writes, displays and asks for, on the terminal. The shell prints its own
 * values, errors and messages through it too, so that one place knows where the output stands.
 *
 * <p>Rules:
 * <ul>
 *   <li>Text is written as it arrives, standard error in red where the terminal has colours.
 *   <li>A display prints its text/plain; the images in it are saved as files ({@link OutputFiles}) and their paths
 *       printed below the text.
 *   <li>An update of the display printed last, with nothing written since, redraws it in place (a progress bar);
 *       an update of any other display prints anew.
 *   <li>{@link #freshLine()} starts a new line when the output stopped mid-line, so the next prompt starts at the
 *       left margin.
 *   <li>{@code input} reads one line with a plain line reader (no history, no completion); a password is not
 *       echoed. Ctrl-C there interrupts the cell; Ctrl-D is the end of the input.
 * </ul>
 */
final class TerminalFrontend implements Frontend {

    private static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle NOTE =
            AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);

    private final Terminal terminal;
    private final OutputFiles outputs;
    private final Runnable interrupt;
    private LineReader inputReader;
    private boolean midLine;
    private String lastDisplayId;
    /** Text a magic put into the next input ({@code %load}): the next prompt starts with it. */
    private String nextInput;
    private int lastDisplayRows;

    TerminalFrontend(Terminal terminal, Path outputs, Runnable interrupt) {
        this.terminal = terminal;
        this.outputs = new OutputFiles(outputs);
        this.interrupt = interrupt;
    }

    @Override
    public synchronized void setNextInput(String text) {
        nextInput = text;
    }

    /** The text the next prompt starts with, once: what {@code %load} put there, or null. */
    synchronized String takeNextInput() {
        String text = nextInput;
        nextInput = null;
        return text;
    }

    @Override
    public synchronized void write(Stream stream, String text) {
        if (!text.isEmpty()) {
            print(text, stream == Stream.STDERR ? ERROR : AttributedStyle.DEFAULT);
        }
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        var text = new StringBuilder(bundle.text());
        if (OutputFiles.hasImage(bundle)) {
            try {
                outputs.save(bundle).forEach(file -> text.append("\n[saved ").append(file).append(']'));
            } catch (IOException e) {
                text.append("\n[the image could not be saved: ").append(e.getMessage()).append(']');
            }
        }
        boolean redraw = update && displayId != null && displayId.equals(lastDisplayId);
        if (redraw) {
            terminal.puts(Capability.carriage_return);
            for (int row = 0; row < lastDisplayRows; row++) {
                terminal.puts(Capability.cursor_up);
            }
            terminal.puts(Capability.clr_eos);
        }
        print(text + "\n", AttributedStyle.DEFAULT);
        lastDisplayId = displayId;
        lastDisplayRows = rows(text.toString());
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        LineReader reader;
        synchronized (this) {
            freshLine();
            if (inputReader == null) {
                inputReader = LineReaderBuilder.builder().terminal(terminal).build();
            }
            reader = inputReader;
        }
        try {
            return reader.readLine(prompt, password ? LineReaderImpl.NULL_MASK : null);
        } catch (UserInterruptException e) {
            interrupt.run();
            throw new InterruptedIOException("input was interrupted");
        } catch (EndOfFileException e) {
            return null;
        }
    }

    /** Prints a message of the shell's own (not a cell's output) on a line of its own. */
    synchronized void note(String text) {
        freshLine();
        print(text.endsWith("\n") ? text : text + "\n", NOTE);
    }

    /** Prints text the user asked for (a listing, documentation) on lines of its own. */
    synchronized void println(String text) {
        freshLine();
        print(text.endsWith("\n") ? text : text + "\n", AttributedStyle.DEFAULT);
    }

    /** Prints an error (a compile error, an exception) on lines of its own. */
    synchronized void error(String text) {
        freshLine();
        print(text.endsWith("\n") ? text : text + "\n", ERROR);
    }

    /** Ends a line the output left open. */
    synchronized void freshLine() {
        if (midLine) {
            print("\n", AttributedStyle.DEFAULT);
        }
    }

    private void print(String text, AttributedStyle style) {
        String styled = style == AttributedStyle.DEFAULT ? text : new AttributedString(text, style).toAnsi(terminal);
        terminal.writer().print(styled);
        terminal.flush();
        midLine = !text.endsWith("\n");
        lastDisplayId = null;
    }

    /** The terminal rows that {@code text} and its line break take, long lines wrapping. */
    private int rows(String text) {
        int width = Math.max(1, terminal.getWidth());
        return text.lines()
                .mapToInt(line -> Math.max(1, (new AttributedString(line).columnLength() + width - 1) / width))
                .sum();
    }
}
