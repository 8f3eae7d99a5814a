package dev.gpush.distributed;

import java.util.Map;
import java.util.Optional;

/**
 * What a Slurm job says about this process, read from the {@code SLURM_*} variables that {@code srun} sets, so
 * gpush runs under Slurm without a wrapper script. Two ways to start a job use it:
 * <ul>
 *   <li>one {@code gpush launch} per node ({@code srun --ntasks-per-node=1 gpush launch --nproc-per-node 8 ...}):
 *       the launcher takes the node count, this node's rank and rank 0's host from Slurm when the options are
 *       not given;</li>
 *   <li>one task per GPU ({@code srun --ntasks-per-node=8 gpush run train.jsh}): {@link Rendezvous#fromEnvironment}
 *       takes the rank, world size and local rank from {@code SLURM_PROCID}, {@code SLURM_NTASKS} and
 *       {@code SLURM_LOCALID} when torchrun's {@code RANK} is not set.</li>
 * </ul>
 * Rules: rank 0's host is the first host of {@code SLURM_JOB_NODELIST} (Slurm puts the first task there);
 * {@code MASTER_ADDR} and {@code MASTER_PORT}, when set, win. Without {@code MASTER_PORT} every process of a job
 * computes the same port from the job id, {@code 10000 + SLURM_JOB_ID % 20000} (PyTorch Lightning's rule), so
 * two jobs that share a node do not meet on one port.
 */
public record Slurm(long jobId, int nnodes, int nodeId, int procId, int ntasks, int localId, String firstHost) {

    /** The job this process runs in, or empty outside Slurm (no {@code SLURM_JOB_ID}). */
    public static Optional<Slurm> of(Map<String, String> env) {
        String job = env.get("SLURM_JOB_ID");
        if (job == null || job.isBlank()) return Optional.empty();
        String nodes = env.getOrDefault("SLURM_JOB_NODELIST", env.get("SLURM_NODELIST"));
        return Optional.of(new Slurm(number(env, "SLURM_JOB_ID", null),
                (int) number(env, "SLURM_NNODES", number(env, "SLURM_JOB_NUM_NODES", 1L)),
                (int) number(env, "SLURM_NODEID", 0L), (int) number(env, "SLURM_PROCID", 0L),
                (int) number(env, "SLURM_NTASKS", 1L), (int) number(env, "SLURM_LOCALID", 0L),
                nodes == null || nodes.isBlank() ? "127.0.0.1" : firstHost(nodes)));
    }

    /** The rendezvous port of this job when {@code MASTER_PORT} is not set. */
    public int masterPort() { return (int) (10000 + jobId % 20000); }

    /**
     * The first host of a Slurm hostlist, as {@code scontrol show hostnames | head -n 1}: {@code node[07-09,12]}
     * gives {@code node07}, {@code gpu-a[1-2],gpu-b3} gives {@code gpu-a1}, {@code rack[2-3]-n[01-04]} gives
     * {@code rack2-n01} (zero padding as written).
     */
    public static String firstHost(String hostlist) {
        StringBuilder host = new StringBuilder();
        boolean inBracket = false, rangeTaken = false;
        for (char c : hostlist.trim().toCharArray()) {
            if (inBracket) {
                if (c == ']') inBracket = false;
                else if (c == ',' || c == '-') rangeTaken = true;
                else if (!rangeTaken) host.append(c);
            } else if (c == '[') {
                inBracket = true;
                rangeTaken = false;
            } else if (c == ',') {
                break;
            } else {
                host.append(c);
            }
        }
        if (host.isEmpty() || inBracket)
            throw new IllegalStateException("SLURM_JOB_NODELIST is not a Slurm hostlist: '" + hostlist + "'");
        return host.toString();
    }

    /** {@code name}'s value, or {@code fallback} where it is not set. */
    private static long number(Map<String, String> env, String name, Long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be an integer, got '" + value + "'");
        }
    }
}
