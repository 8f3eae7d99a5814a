package dev.gpush.magics;

/** A magic's error for the user: bad arguments, an unknown name. Shown as its message, without a stack trace. */
public final class MagicException extends RuntimeException {
    public MagicException(String message) {
        super(message);
    }
}
