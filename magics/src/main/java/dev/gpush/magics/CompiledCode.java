package dev.gpush.magics;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Java source compiled once, in the session, into a {@link Callable} to run many times: the timing magics call it
 * without paying the compiler again (javac costs tens of milliseconds a snippet).
 *
 * <p>Rules: an expression becomes {@code () -> (CODE)}, whose call returns its value; anything else becomes
 * {@code () -> { CODE; return null; }}. The code starts on a line of its own, so that javac's error shows the
 * user's line and not the wrapper. Either form may throw checked exceptions. Names declared in the code are
 * local to it; the session's variables, methods and classes are in reach, and assignments to its variables stay.
 */
final class CompiledCode {

    private static final String CALLABLE = "(java.util.concurrent.Callable<Object>) () -> ";

    private CompiledCode() {}

    /** The expression form, or empty when {@code code} is not one expression with a value. */
    static Optional<Callable<Object>> expression(MagicContext context, String code) {
        try {
            return Optional.of(asExpression(context, code));
        } catch (MagicException e) {
            return Optional.empty();
        }
    }

    /**
     * An expression or statements, compiled; a compile error is a {@link MagicException} with javac's message: the
     * expression form's when the code has no semicolon, else the statement form's.
     */
    static Callable<Object> compile(MagicContext context, String code) {
        MagicException expressionError;
        try {
            return asExpression(context, code);
        } catch (MagicException e) {
            expressionError = e;
        }
        try {
            return callable(context.evalValue(CALLABLE + "{\n" + code.strip() + "\n;\nreturn null;\n}"));
        } catch (MagicException e) {
            throw code.contains(";") ? e : expressionError;
        }
    }

    private static Callable<Object> asExpression(MagicContext context, String code) {
        return callable(context.evalValue(CALLABLE + "(\n" + code.strip() + "\n)"));
    }

    @SuppressWarnings("unchecked")
    private static Callable<Object> callable(Object value) {
        if (value instanceof Callable<?> callable) {
            return (Callable<Object>) callable;
        }
        throw new MagicException("expected the session to compile a Callable, got " + value);
    }
}
