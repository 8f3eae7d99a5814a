package dev.gpush.kernel.engine;

import java.io.IOException;

/**
 * Where a running cell's output, displays and input requests go. The Jupyter kernel and the REPL each implement it;
 * the engine routes {@code System.out}/{@code err} writes (from any thread) and {@code display(...)} calls of the
 * cell being evaluated to the frontend given to {@link Engine#eval(String, String, Frontend)}.
 */
public interface Frontend {

    enum Stream { STDOUT, STDERR }

    /** Text written to {@code System.out} or {@code System.err}, as it is written. */
    void write(Stream stream, String text);

    /**
     * Shows a rendered value. {@code displayId} is null for a one-off display; with an id, {@code update} replaces
     * what an earlier display with the same id showed.
     */
    void display(MimeBundle bundle, String displayId, boolean update);

    /** Clears the cell's output; with {@code wait}, only when the next output arrives (Jupyter's clear_output). */
    default void clearOutput(boolean wait) {}

    /** Puts text into the user's next input: the next notebook cell (set_next_input), the REPL's line buffer. */
    default void setNextInput(String text) {}

    /** Asks the user for one line of input; {@code password} hides what is typed. */
    String input(String prompt, boolean password) throws IOException;

    /** A frontend on this process's own standard streams, as `gpush run` uses. */
    static Frontend console() {
        return Console.INSTANCE;
    }
}
