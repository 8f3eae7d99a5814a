package dev.gpush.kernel.engine;

/** Thrown in a cell's code when the user interrupts it (Ctrl-C, Jupyter's interrupt); the session stays. */
public final class Interrupted extends RuntimeException {

    public Interrupted() {
        super("the cell was interrupted", null, false, false);
    }

    /**
     * Called by snippet code at every method start and backward branch (the engine weaves the calls in): throws
     * when the thread was interrupted, so that even a loop that calls nothing interruptible stops.
     */
    public static void check() {
        if (Thread.interrupted()) {
            throw new Interrupted();
        }
    }
}
