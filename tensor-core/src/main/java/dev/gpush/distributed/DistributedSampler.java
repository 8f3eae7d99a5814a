package dev.gpush.distributed;

import dev.gpush.data.Dataset;
import dev.gpush.data.Sampler;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;
import java.util.Iterator;

/**
 * This rank's share of a dataset's indices (PyTorch's {@code DistributedSampler}), for
 * {@code DataLoader.builder(ds).sampler(sampler)}.
 *
 * <p>Rules (PyTorch's):
 * <ul>
 *   <li>Every rank yields {@link #size()} indices: {@code ceil(len / replicas)}, or with {@code dropLast}
 *       {@code floor(len / replicas)}. Without {@code dropLast} the index list is padded by repeating its start, so
 *       some samples are seen twice per epoch; with it the tail is dropped.</li>
 *   <li>Rank r takes every {@code replicas}-th index from position r, so the ranks' shares are disjoint (up to the
 *       padding) and together cover the dataset.</li>
 *   <li>With {@code shuffle} the order is a permutation drawn from a generator seeded with {@code seed + epoch}:
 *       the same on every rank, different each epoch once {@link #setEpoch} is called before each epoch (without
 *       it every epoch repeats the first order, as in PyTorch).</li>
 * </ul>
 */
public final class DistributedSampler implements Sampler<Integer> {
    private final Dataset<?> dataset;
    private final int replicas, rank;
    private final boolean shuffle, dropLast;
    private final long seed;
    private volatile int epoch;

    /** Over the default group's ranks, shuffled with seed 0, padded. */
    public DistributedSampler(Dataset<?> dataset) {
        this(dataset, Dist.getWorldSize(), Dist.getRank(), true, 0, false);
    }

    public DistributedSampler(Dataset<?> dataset, boolean shuffle) {
        this(dataset, Dist.getWorldSize(), Dist.getRank(), shuffle, 0, false);
    }

    public DistributedSampler(Dataset<?> dataset, int numReplicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (numReplicas < 1) throw new IllegalArgumentException("DistributedSampler: numReplicas must be >= 1, got " + numReplicas);
        if (rank < 0 || rank >= numReplicas)
            throw new IllegalArgumentException("DistributedSampler: invalid rank " + rank + ", rank should be in the "
                    + "interval [0, " + (numReplicas - 1) + "]");
        this.dataset = dataset;
        this.replicas = numReplicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** Sets the epoch whose order the next iterator gives (call it before each epoch when shuffling). */
    public void setEpoch(int epoch) { this.epoch = epoch; }

    public int epoch() { return epoch; }

    @Override public int size() {
        int n = dataset.size();
        return dropLast && n % replicas != 0 ? n / replicas : (n + replicas - 1) / replicas;
    }

    @Override public Iterator<Integer> iterator() {
        int n = dataset.size(), perRank = size(), total = perRank * replicas;
        int[] order = new int[n];
        if (shuffle) {
            try (Scope s = Scope.open()) {
                long[] perm = Tensor.randperm(new Generator(seed + epoch), n).toLongArray();
                for (int i = 0; i < n; i++) order[i] = (int) perm[i];
            }
        } else {
            for (int i = 0; i < n; i++) order[i] = i;
        }
        int[] all = new int[total];
        for (int i = 0; i < total; i++) all[i] = order[i % Math.max(n, 1)]; // padding repeats from the start
        int[] mine = new int[perRank];
        for (int i = 0; i < perRank; i++) mine[i] = all[rank + i * replicas];
        return Arrays.stream(mine).iterator();
    }
}
