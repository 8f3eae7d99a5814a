package dev.gpush.kernel.engine;

import dev.gpush.kernel.engine.Outcome.Failure;
import dev.gpush.kernel.engine.Outcome.Frame;
import dev.gpush.kernel.engine.Outcome.Problem;

/**
 * Turns a failed outcome into the text a Java programmer expects: javac's {@code file:line: error:} with the line
 * and a caret for a compile error, and a stack trace with {@code file:line} frames for an exception.
 */
public final class ErrorFormat {

    private ErrorFormat() {}

    public static String format(Evaluation evaluation, Outcome outcome) {
        var text = new StringBuilder();
        for (Problem problem : outcome.problems()) {
            text.append(problem(evaluation, problem));
        }
        if (outcome.failure() != null) {
            text.append("Exception ").append(failure(outcome.failure()));
        }
        return text.toString();
    }

    private static String problem(Evaluation evaluation, Problem problem) {
        String[] message = problem.message().split("\\R", 2);
        String line = evaluation.line(problem.line());
        String indent = line.substring(0, Math.min(line.length(), problem.column() - 1)).replaceAll("[^\t]", " ");
        return evaluation.name() + ":" + problem.line() + ": error: " + message[0] + "\n"
                + line + "\n"
                + indent + "^\n"
                + (message.length > 1 ? message[1] + "\n" : "");
    }

    private static String failure(Failure failure) {
        var text = new StringBuilder(failure.className());
        if (failure.message() != null) {
            text.append(": ").append(failure.message());
        }
        text.append('\n');
        for (Frame frame : failure.frames()) {
            text.append("\tat ").append(frame(frame)).append('\n');
        }
        if (failure.cause() != null) {
            text.append("Caused by: ").append(failure(failure.cause()));
        }
        return text.toString();
    }

    private static String frame(Frame frame) {
        String where = frame.file() == null ? "Unknown Source"
                : frame.line() >= 0 ? frame.file() + ":" + frame.line() : frame.file();
        return frame.method().isEmpty() ? where : frame.method() + "(" + where + ")";
    }
}
