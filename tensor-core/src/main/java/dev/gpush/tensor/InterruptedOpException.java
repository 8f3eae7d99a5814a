package dev.gpush.tensor;

/** Thrown by the op that found its thread interrupted, so that a loop of tensor ops stops within one op. */
public final class InterruptedOpException extends RuntimeException {
    public InterruptedOpException(String op) {
        super("interrupted during " + op);
    }
}
