package dev.gpush.kernel.jupyter;

/** A message the kernel drops: badly framed, wrongly signed, replayed, or not JSON where JSON belongs. */
final class BadMessageException extends Exception {
    BadMessageException(String reason) {
        super(reason);
    }
}
