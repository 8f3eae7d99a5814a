package dev.gpush.kernel.display;

import dev.gpush.kernel.engine.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a cell calls to show things and ask for input; the engine imports these statically into every session.
 * They reach the frontend of the cell that runs: the notebook, the terminal, or the console of {@code gpush run}.
 */
public final class Display {

    private static final AtomicLong IDS = new AtomicLong();
    private static final String SESSION = Long.toHexString(System.nanoTime());

    private Display() {}

    /** A display that can be changed after it was shown. */
    public record Handle(String id) {
        /** Replaces what this display shows with {@code value}. */
        public void update(Object value) {
            updateDisplay(id, value);
        }
    }

    /** Shows {@code value} now, rendered as a cell's result would be. */
    public static void display(Object value) {
        Streams.frontend().display(Renderers.render(value), null, false);
    }

    /**
     * Shows {@code value} now and returns a handle to change it later ({@code handle.update(next)}), as IPython's
     * {@code display(obj, display_id=True)}.
     */
    public static Handle display(Object value, boolean updatable) {
        if (!updatable) {
            display(value);
            return null;
        }
        String id = "gpush-" + SESSION + "-" + IDS.incrementAndGet();
        Streams.frontend().display(Renderers.render(value), id, false);
        return new Handle(id);
    }

    /** Replaces what the display {@code id} shows with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        Streams.frontend().display(Renderers.render(value), id, true);
    }

    /** Clears the cell's output; with {@code wait}, when the next output arrives (no flicker in loops). */
    public static void clearOutput(boolean wait) {
        Streams.frontend().clearOutput(wait);
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    /** Asks the user for a line of text; null at the end of input. */
    public static String input(String prompt) {
        return ask(prompt, false);
    }

    /** Asks for a line of text without showing what is typed. */
    public static String password(String prompt) {
        return ask(prompt, true);
    }

    private static String ask(String prompt, boolean hidden) {
        try {
            return Streams.frontend().input(prompt, hidden);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input: " + e.getMessage(), e);
        }
    }

    /** A live progress bar over {@code items}: {@code for (var batch : progress(loader)) ...}. */
    public static <T> Progress<T> progress(Iterable<T> items) {
        return new Progress<>(items, null);
    }

    /** A live progress bar over {@code items}, with a label. */
    public static <T> Progress<T> progress(Iterable<T> items, String label) {
        return new Progress<>(items, label);
    }
}
