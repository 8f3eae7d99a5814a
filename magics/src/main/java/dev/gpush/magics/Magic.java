package dev.gpush.magics;

/**
 * A magic command: {@code %name args} on a line of a cell, or {@code %%name args} as a cell's first line, with the
 * rest of the cell as its body. Magics know the library, not the front ends: they reach the session through
 * {@link MagicContext}.
 */
public interface Magic {

    /** The name, without the percent signs. */
    String name();

    /** One line that {@code %lsmagic} and {@code %name?} show. */
    String help();

    /**
     * Runs the magic. {@code body} is the rest of the cell for {@code %%name}, null for {@code %name}. Returns a value
     * to display as the cell's result, or null. A {@link MagicException} is shown as a plain error message.
     */
    Object run(MagicContext context, String args, String body) throws Exception;
}
