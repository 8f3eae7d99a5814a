package dev.gpush.distributed;

import dev.gpush.tensor.Tensor;

import java.time.Duration;
import java.util.List;

/**
 * The default process group of this process and the collectives on it: PyTorch's {@code torch.distributed}, in
 * camelCase.
 * <pre>{@code
 * Dist.initProcessGroup("cpu");             // RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT from gpush launch
 *                                           // "nccl" for CUDA tensors on cuda:LOCAL_RANK; "auto": nccl where it runs
 * var t = Tensor.of(new float[]{Dist.getRank() + 1});
 * Dist.allReduce(t);                        // every rank: 1 + 2 + ... + WORLD_SIZE
 * Dist.destroyProcessGroup();
 * }</pre>
 *
 * <p>Rules: one default group per process, made by {@code initProcessGroup} and ended by
 * {@link #destroyProcessGroup()}; a second {@code initProcessGroup} before that is an error, as in PyTorch.
 * Several groups in one process (ranks as threads, in tests) are made with {@link ProcessGroups#create} and used
 * directly. Waits for peers end after {@link #DEFAULT_TIMEOUT} unless a timeout is given.
 */
public final class Dist {
    private Dist() {}

    /** PyTorch's default for CPU groups. A dead peer is reported at once; this bounds waiting on a live one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private static volatile ProcessGroup group;

    /** Joins the group described by torchrun's environment variables ({@code env://}). */
    public static ProcessGroup initProcessGroup(String backend) {
        return initProcessGroup(backend, DEFAULT_TIMEOUT);
    }

    public static ProcessGroup initProcessGroup(String backend, Duration timeout) {
        return initProcessGroup(backend, Rendezvous.fromEnvironment(timeout));
    }

    /** Joins with explicit coordinates ({@code init_method="tcp://addr:port"}). */
    public static ProcessGroup initProcessGroup(String backend, int rank, int worldSize, String masterAddr, int masterPort) {
        return initProcessGroup(backend, new Rendezvous(rank, worldSize, masterAddr, masterPort, DEFAULT_TIMEOUT));
    }

    public static synchronized ProcessGroup initProcessGroup(String backend, Rendezvous rendezvous) {
        if (group != null)
            throw new IllegalStateException("trying to initialize the default process group twice; call "
                    + "destroyProcessGroup() first");
        group = ProcessGroups.create(backend, rendezvous);
        return group;
    }

    public static boolean isInitialized() { return group != null; }

    /** The default group. */
    public static ProcessGroup group() {
        ProcessGroup g = group;
        if (g == null)
            throw new IllegalStateException("the default process group has not been initialized; call "
                    + "Dist.initProcessGroup(\"cpu\") (or \"nccl\", \"auto\") first");
        return g;
    }

    public static int getRank() { return group().rank(); }

    public static int getWorldSize() { return group().size(); }

    public static String getBackend() { return group().backend(); }

    public static void allReduce(Tensor t) { group().allReduce(t, ReduceOp.SUM); }

    public static void allReduce(Tensor t, ReduceOp op) { group().allReduce(t, op); }

    public static void broadcast(Tensor t, int src) { group().broadcast(t, src); }

    public static void allGather(List<Tensor> out, Tensor t) { group().allGather(out, t); }

    public static void reduceScatter(Tensor out, List<Tensor> in, ReduceOp op) { group().reduceScatter(out, in, op); }

    public static void barrier() { group().barrier(); }

    public static void send(Tensor t, int dst) { group().send(t, dst); }

    public static void recv(Tensor t, int src) { group().recv(t, src); }

    // async forms (PyTorch's async_op=True): see Work

    public static Work allReduceAsync(Tensor t, ReduceOp op) { return group().allReduceAsync(t, op); }

    public static Work broadcastAsync(Tensor t, int src) { return group().broadcastAsync(t, src); }

    public static Work allGatherAsync(List<Tensor> out, Tensor t) { return group().allGatherAsync(out, t); }

    public static Work reduceScatterAsync(Tensor out, List<Tensor> in, ReduceOp op) {
        return group().reduceScatterAsync(out, in, op);
    }

    public static Work barrierAsync() { return group().barrierAsync(); }

    public static Work isend(Tensor t, int dst) { return group().isend(t, dst); }

    public static Work irecv(Tensor t, int src) { return group().irecv(t, src); }

    /** Leaves the default group (peers see a goodbye) and forgets it. Does nothing when there is none. */
    public static synchronized void destroyProcessGroup() {
        ProcessGroup g = group;
        group = null;
        if (g != null) g.close();
    }
}
