package dev.gpush.distributed;

/**
 * A collective or a rendezvous failed: a peer died or left, did not arrive in time, or called a different
 * collective. {@link #peer()} names the rank at fault when one is known; the group that threw is unusable
 * afterwards and should be destroyed (as in PyTorch).
 */
public final class DistributedException extends RuntimeException {
    private final int peer;

    public DistributedException(String message, int peer) {
        super(message);
        this.peer = peer;
    }

    public DistributedException(String message, int peer, Throwable cause) {
        super(message, cause);
        this.peer = peer;
    }

    /** The rank that failed, did not arrive or disagreed; -1 when no single rank is to blame. */
    public int peer() { return peer; }
}
