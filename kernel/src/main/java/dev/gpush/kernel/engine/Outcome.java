package dev.gpush.kernel.engine;

import java.util.List;

/**
 * What became of one snippet of an evaluated source. Lines and columns count from 1 in the source given to
 * {@link Engine#eval(String, String)}.
 *
 * @param line     the line where the snippet starts
 * @param source   the snippet as evaluated
 * @param value    the value of an expression or variable as JShell prints it, or null
 * @param problems compile errors, unresolved references included; empty when it compiled
 * @param failure  the exception it threw, or null
 */
public record Outcome(int line, String source, String value, List<Problem> problems, Failure failure) {

    public Outcome {
        problems = List.copyOf(problems);
    }

    /** A snippet or magic at {@code line} that failed with an exception known only by class name and message. */
    static Outcome failed(int line, String source, String className, String message) {
        return new Outcome(line, source, null, List.of(), new Failure(className, message, List.of(), null));
    }

    public boolean ok() {
        return problems.isEmpty() && failure == null;
    }

    /** A compile error. The message may span lines (javac's "symbol:" detail). */
    public record Problem(int line, int column, String message) {}

    /** An exception thrown by a snippet, with the snippet lines of its stack mapped back to the source. */
    public record Failure(String className, String message, List<Frame> frames, Failure cause) {
        public Failure {
            frames = List.copyOf(frames);
        }
    }

    /**
     * One stack frame. In a snippet, {@code file} is the name its source was evaluated under and {@code line} a line
     * of that source; {@code method} is empty for a snippet's top-level statements.
     */
    public record Frame(String method, String file, int line) {}
}
