package dev.gpush.distributed;

import dev.gpush.tensor.Tensor;

import java.util.List;

/**
 * A group of processes that run collectives together (PyTorch's {@code ProcessGroup}); one object per rank.
 * {@link CpuProcessGroup} is the CPU implementation; a CUDA one (NCCL) implements the same interface and is
 * registered with {@link ProcessGroups#register}.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>Collectives work in place and return when this rank's part is done; every rank calls the same
 *       collectives in the same order, with tensors of the same shape and dtype.</li>
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

    /** Leaves the group: peers see a goodbye, not a failure. Idempotent. */
    @Override void close();
}
