package dev.gpush.magics;

/**
 * A magic command: {@code %name args} on a line of a cell, or {@code %%name args} as a cell's first line, with the
 * rest of the cell as its body. Magics know the library, not the front ends: they reach the session through
 * {@link MagicContext}.
 *
 * <p>A magic keeps its help in one place: {@link #help()} for {@code %lsmagic}, {@link #usage()} for errors about
 * its arguments, and {@link #doc()} for {@code %magic NAME} and {@code %NAME?}.
 */
public interface Magic {

    /** The name, without the percent signs. */
    String name();

    /** One line that {@code %lsmagic} and {@code %name?} show. */
    String help();

    /** How it is called, as {@code %name [-x] ARG}; a bad argument's error ends with it. */
    default String usage() {
        return "%" + name();
    }

    /** What it does in full, with examples; {@code %magic NAME} shows it below the usage line. */
    default String doc() {
        return "";
    }

    /**
     * Runs the magic. {@code body} is the rest of the cell for {@code %%name}, null for {@code %name}. Returns a value
     * to display as the cell's result, or null. A {@link MagicException} is shown as a plain error message.
     */
    Object run(MagicContext context, String args, String body) throws Exception;
}
