package dev.gpush.distributed;

import dev.gpush.tensor.Tensor;

import java.util.List;

/**
 * A group of processes that run collectives together (PyTorch's {@code ProcessGroup}); one object per rank.
 * {@link CpuProcessGroup} runs on CPU tensors and {@link NcclProcessGroup} on CUDA tensors; both are registered
 * with {@link ProcessGroups#register}.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>Collectives work in place; every rank calls the same collectives in the same order, with tensors of the
 *       same shape and dtype. A blocking form returns when this rank's part is done; an async form returns a
 *       {@link Work} at once, and the group runs its collectives in the order they were called.</li>
 *   <li>A peer that dies, leaves or does not arrive within the group's timeout makes the call throw a
 *       {@link DistributedException} naming it; the group is unusable afterwards and should be closed.</li>
 *   <li>One thread at a time calls a group's collectives.</li>
 *   <li>{@link #close()} (destroyProcessGroup) releases the connections and the store the group was given.</li>
 * </ul>
 */
public interface ProcessGroup extends AutoCloseable {
    int rank();

    int size();

    /** "cpu" or "nccl". */
    String backend();

    /** Combines {@code t} across ranks with {@code op}; every rank ends with the same result. */
    void allReduce(Tensor t, ReduceOp op);

    default void allReduce(Tensor t) { allReduce(t, ReduceOp.SUM); }

    /** Copies rank {@code src}'s {@code t} into every rank's {@code t}. */
    void broadcast(Tensor t, int src);

    /** {@code out.get(i)} receives rank i's {@code t}; {@code out} has one tensor per rank, shaped like {@code t}. */
    void allGather(List<Tensor> out, Tensor t);

    /** {@code out} receives the reduction over ranks of their {@code in.get(rank)}; {@code in} has one tensor per rank. */
    void reduceScatter(Tensor out, List<Tensor> in, ReduceOp op);

    /** Returns when every rank has called it. */
    void barrier();

    /** Sends {@code t} to rank {@code dst}, which receives it with {@link #recv}. */
    void send(Tensor t, int dst);

    /** Receives into {@code t} what rank {@code src} sent with {@link #send}. */
    void recv(Tensor t, int src);

    // ---------------------------------------------------------------- async forms (async_op=True)
    // The defaults run the blocking form and return a completed handle. Both groups override them: the CPU group
    // runs its collectives on a thread of its own, NCCL queues them on the GPU; either returns at once.

    default Work allReduceAsync(Tensor t, ReduceOp op) { allReduce(t, op); return Work.done(); }

    default Work broadcastAsync(Tensor t, int src) { broadcast(t, src); return Work.done(); }

    default Work allGatherAsync(List<Tensor> out, Tensor t) { allGather(out, t); return Work.done(); }

    default Work reduceScatterAsync(Tensor out, List<Tensor> in, ReduceOp op) {
        reduceScatter(out, in, op);
        return Work.done();
    }

    default Work barrierAsync() { barrier(); return Work.done(); }

    /** {@link #send} as PyTorch's {@code isend}. */
    default Work isend(Tensor t, int dst) { send(t, dst); return Work.done(); }

    /** {@link #recv} as PyTorch's {@code irecv}. */
    default Work irecv(Tensor t, int src) { recv(t, src); return Work.done(); }

    /** Leaves the group: peers see a goodbye, not a failure. Idempotent. */
    @Override void close();
}
