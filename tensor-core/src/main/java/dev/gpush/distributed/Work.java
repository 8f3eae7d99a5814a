package dev.gpush.distributed;

/**
 * A collective started by an async form ({@code allReduceAsync}, {@code isend}, ...): PyTorch's {@code Work},
 * what {@code async_op=True} returns.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #await()} returns once the collective's results are in its tensors, and throws the
 *       {@link DistributedException} it ended with; a second call returns (or throws) the same at once.</li>
 *   <li>{@link #isCompleted()} never blocks.</li>
 *   <li>Read or change the tensors only after {@code await}. Later collectives of the same group may be started
 *       before it: a group runs its collectives in the order they were started.</li>
 *   <li>The CPU group's run on a thread of the group's own (its {@code WorkQueue}); NCCL's
 *       are queued on the GPU and complete when it has run them.</li>
 * </ul>
 */
public interface Work {
    /** Waits until the collective is done; throws its failure. */
    void await();

    /** Whether the collective is done (without waiting). */
    boolean isCompleted();

    /** A handle for a collective that finished before it was returned. */
    static Work done() { return Done.INSTANCE; }

    /** The handle of a collective that ran to completion before it was returned. */
    enum Done implements Work {
        INSTANCE;

        @Override public void await() {}

        @Override public boolean isCompleted() { return true; }
    }
}
