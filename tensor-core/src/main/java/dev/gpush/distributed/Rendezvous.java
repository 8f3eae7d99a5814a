package dev.gpush.distributed;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where and as whom a process joins a group: its rank, the world size, and rank 0's store address
 * ({@code MASTER_ADDR:MASTER_PORT}). {@code timeout} bounds the rendezvous and every later wait for a peer.
 *
 * <p>{@link #fromEnvironment} reads torchrun's variables ({@code env://}): {@code RANK}, {@code WORLD_SIZE},
 * {@code MASTER_ADDR} and {@code MASTER_PORT} are required; {@code LOCAL_RANK} defaults to {@code RANK}. Without
 * {@code RANK}, inside a Slurm job, the task's {@code SLURM_*} variables stand in ({@link Slurm}).
 */
public record Rendezvous(int rank, int worldSize, int localRank, String masterAddr, int masterPort, Duration timeout) {

    public Rendezvous {
        if (worldSize < 1) throw new IllegalArgumentException("WORLD_SIZE must be >= 1, got " + worldSize);
        if (rank < 0 || rank >= worldSize)
            throw new IllegalArgumentException("RANK must be in [0, " + (worldSize - 1) + "] for WORLD_SIZE=" + worldSize
                    + ", got " + rank);
        if (masterPort < 1 || masterPort > 65535)
            throw new IllegalArgumentException("MASTER_PORT must be in [1, 65535], got " + masterPort);
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }

    public Rendezvous(int rank, int worldSize, String masterAddr, int masterPort, Duration timeout) {
        this(rank, worldSize, rank, masterAddr, masterPort, timeout);
    }

    /** The error of a rendezvous that timed out waiting for {@code missing} (not empty), naming them. */
    DistributedException notArrived(List<Integer> missing) {
        return new DistributedException("rendezvous at " + masterAddr + ":" + masterPort + " timed out after "
                + Mesh.seconds(timeout) + ": " + (worldSize - missing.size()) + " of " + worldSize + " ranks arrived; rank"
                + (missing.size() == 1 ? " " + missing.getFirst() + " did" : "s " + missing + " did")
                + " not (not started, crashed, or given another MASTER_ADDR/MASTER_PORT?)", missing.getFirst());
    }

    /** From this process's environment, as {@code init_process_group(init_method="env://")}. */
    public static Rendezvous fromEnvironment(Duration timeout) { return fromEnvironment(System.getenv(), timeout); }

    public static Rendezvous fromEnvironment(Map<String, String> env, Duration timeout) {
        var slurm = Slurm.of(env);
        if (isBlank(env.get("RANK")) && slurm.isPresent()) return fromSlurm(slurm.get(), env, timeout);
        int rank = number(env, "RANK");
        String localRank = env.get("LOCAL_RANK");
        return new Rendezvous(rank, number(env, "WORLD_SIZE"),
                localRank == null || localRank.isBlank() ? rank : number(env, "LOCAL_RANK"),
                required(env, "MASTER_ADDR"), number(env, "MASTER_PORT"), timeout);
    }

    /** One task per GPU under {@code srun}: Slurm's task ids, rank 0's host and a port of the job (see {@link Slurm}). */
    private static Rendezvous fromSlurm(Slurm job, Map<String, String> env, Duration timeout) {
        String addr = env.get("MASTER_ADDR");
        return new Rendezvous(job.procId(), job.ntasks(), job.localId(), isBlank(addr) ? job.firstHost() : addr.trim(),
                isBlank(env.get("MASTER_PORT")) ? job.masterPort() : number(env, "MASTER_PORT"), timeout);
    }

    private static boolean isBlank(String v) { return v == null || v.isBlank(); }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank())
            throw new IllegalStateException(name + " is not set: initProcessGroup reads RANK, WORLD_SIZE, MASTER_ADDR "
                    + "and MASTER_PORT from the environment (gpush launch and torchrun set them); or pass them to "
                    + "Dist.initProcessGroup(backend, rank, worldSize, masterAddr, masterPort)");
        return v.trim();
    }

    private static int number(Map<String, String> env, String name) {
        String v = required(env, name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be an integer, got '" + v + "'");
        }
    }
}
