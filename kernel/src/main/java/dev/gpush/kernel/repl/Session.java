package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.Engine;
import dev.gpush.kernel.engine.Evaluation;
import dev.gpush.kernel.engine.Frontend;
import dev.gpush.kernel.engine.InputStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The shell's engine, built on a background thread while the terminal starts, so that the first prompt does not wait
 * for JShell.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #engine()} waits for the engine being built; the first Enter or Tab may wait for it, typing never does.
 *   <li>A fresh engine is warmed (input analysis and completion run once) before anyone asks for it.
 *   <li>{@link #interrupt()} stops the evaluation that runs now and does nothing between evaluations, so a Ctrl-C
 *       that arrives late cannot stop the next one. {@link #eval} says afterwards whether it was interrupted.
 *   <li>{@link #reset()} forgets every variable, method, class and import but the prelude's.
 * </ul>
 */
final class Session implements AutoCloseable {

    private final CompletableFuture<Engine> engine = start();
    private volatile Engine running;
    private volatile boolean interrupted;

    /** An evaluation and whether the user interrupted it. */
    record Result(Evaluation evaluation, boolean interrupted) {}

    private static CompletableFuture<Engine> start() {
        return CompletableFuture.supplyAsync(Session::warm,
                task -> Thread.ofPlatform().daemon().name("gpush-engine-start").start(task));
    }

    private static Engine warm() {
        var engine = new Engine();
        engine.warmUp();
        engine.isComplete("int warm = 1;");
        return engine;
    }

    /** The engine, once built; a failure to build it is an {@link IllegalStateException} that says why. */
    Engine engine() {
        try {
            return engine.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the engine could not start: " + e.getCause(), e.getCause());
        }
    }

    Result eval(String name, String source, Frontend frontend) {
        Engine current = engine();
        synchronized (this) {
            interrupted = false;
            running = current;
        }
        try {
            var evaluation = current.eval(name, source, frontend);
            return new Result(evaluation, interrupted);
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    /** Asks the running evaluation to stop; returns whether one was running. */
    synchronized boolean interrupt() {
        if (running == null) {
            return false;
        }
        interrupted = true;
        running.interrupt();
        return true;
    }

    InputStatus isComplete(String code) {
        return engine().isComplete(code);
    }

    void reset() {
        engine().reset();
    }

    @Override
    public void close() {
        if (engine.isDone() && !engine.isCompletedExceptionally()) {
            engine.join().close();
        }
    }
}
