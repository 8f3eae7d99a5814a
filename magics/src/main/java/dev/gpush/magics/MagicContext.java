package dev.gpush.magics;

import java.util.List;

/**
 * What a magic may do with the session it runs in. The engine implements it. A magic runs on the session's main
 * thread, like the cell's Java, so an interrupt stops it and thread-local state (grad mode, scopes) is the cell's.
 */
public interface MagicContext {

    /** A variable of the session. */
    record Variable(String name, String type, String value) {}

    /**
     * Evaluates Java source in the session, as if it were a cell: output, a compile error or an exception reach the
     * user; the value of a final expression is shown. Returns whether every snippet succeeded.
     */
    boolean eval(String source);

    /**
     * As {@link #eval(String)}, with errors and stack frames naming {@code name} and the line of {@code source}
     * ({@code model.jsh:12}), as {@code %run FILE} needs. The engine labels them {@code %magic} until it implements
     * this.
     */
    default boolean eval(String name, String source) {
        return eval(source);
    }

    /**
     * Evaluates one Java expression and returns its value as an object (a {@code Runnable} to time, say). Throws
     * {@link MagicException} with the compiler's or the exception's message when it fails.
     */
    Object evalValue(String expression);

    /** Prints text to the cell's standard output, now. */
    void print(String text);

    /** Prints text to the cell's standard error, now. */
    void printError(String text);

    /** Shows a value as a display does (a tensor, an image, a chart, anything the renderers know). */
    void display(Object value);

    /** Puts text into the next input: the next notebook cell, or the REPL's line buffer. */
    void setNextInput(String text);

    /** Adds a jar or folder to the class path of the session's compiler and class loader. */
    void addToClasspath(String path);

    /** The session's variables, in the order they were defined. */
    List<Variable> variables();

    /** Forgets every snippet of the session, as {@code /reset}. */
    void reset();

    /** The magics this session knows. */
    Magics magics();
}
