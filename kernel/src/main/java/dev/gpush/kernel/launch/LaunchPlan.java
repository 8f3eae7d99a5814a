package dev.gpush.kernel.launch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a launch on this node, and the environment each worker gets: the variables torchrun sets, with
 * its meanings, so scripts and schedulers written for torchrun work unchanged.
 *
 * <p>Rules: global rank = {@code nodeRank * nprocPerNode + localRank}; {@code WORLD_SIZE = nnodes *
 * nprocPerNode}; {@code GROUP_RANK} is the node's rank. Rank 0 (on node 0) serves the rendezvous store on
 * {@code MASTER_ADDR:MASTER_PORT}.
 */
public record LaunchPlan(int nprocPerNode, int nnodes, int nodeRank, String masterAddr, int masterPort, int maxRestarts) {

    public LaunchPlan {
        if (nprocPerNode < 1) throw new IllegalArgumentException("--nproc-per-node must be >= 1, got " + nprocPerNode);
        if (nnodes < 1) throw new IllegalArgumentException("--nnodes must be >= 1, got " + nnodes);
        if (nodeRank < 0 || nodeRank >= nnodes)
            throw new IllegalArgumentException("--node-rank must be in [0, " + (nnodes - 1) + "], got " + nodeRank);
        if (masterPort < 1 || masterPort > 65535)
            throw new IllegalArgumentException("--master-port must be in [1, 65535], got " + masterPort);
        if (maxRestarts < 0) throw new IllegalArgumentException("--max-restarts must be >= 0, got " + maxRestarts);
    }

    public int worldSize() { return nnodes * nprocPerNode; }

    public int rank(int localRank) { return nodeRank * nprocPerNode + localRank; }

    /** The variables for the worker with {@code localRank}, on attempt {@code restartCount} (0 first). */
    public Map<String, String> environment(int localRank, int restartCount) {
        var env = new LinkedHashMap<String, String>();
        env.put("RANK", String.valueOf(rank(localRank)));
        env.put("LOCAL_RANK", String.valueOf(localRank));
        env.put("WORLD_SIZE", String.valueOf(worldSize()));
        env.put("LOCAL_WORLD_SIZE", String.valueOf(nprocPerNode));
        env.put("GROUP_RANK", String.valueOf(nodeRank));
        env.put("GROUP_WORLD_SIZE", String.valueOf(nnodes));
        env.put("ROLE_RANK", String.valueOf(rank(localRank)));
        env.put("ROLE_WORLD_SIZE", String.valueOf(worldSize()));
        env.put("ROLE_NAME", "default");
        env.put("MASTER_ADDR", masterAddr);
        env.put("MASTER_PORT", String.valueOf(masterPort));
        env.put("TORCHELASTIC_RESTART_COUNT", String.valueOf(restartCount));
        env.put("TORCHELASTIC_MAX_RESTARTS", String.valueOf(maxRestarts));
        env.put("TORCHELASTIC_RUN_ID", "none");
        return env;
    }
}
