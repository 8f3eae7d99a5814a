package dev.gpush.data;

import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Random indices into a dataset (PyTorch's {@code RandomSampler}): a fresh permutation each epoch, or with
 * {@code replacement} {@code numSamples} independent uniform draws.
 *
 * <p>Rules:
 * <ul>
 *   <li>All of an epoch's draws are made when its iterator is made, from {@code generator} (the default
 *       generator when null). So the order depends only on the generator's state at that moment: not on the
 *       number of DataLoader workers, nor on other uses of the generator during the epoch.</li>
 *   <li>Without replacement, {@code numSamples} larger than the dataset gives whole permutations one after the
 *       other and then the start of one more, as in PyTorch.</li>
 * </ul>
 */
public final class RandomSampler implements Sampler<Integer> {
    private final Dataset<?> dataset;
    private final boolean replacement;
    private final int numSamples;         // -1: the dataset's size at each epoch
    private final Generator generator;    // null: the default generator

    public RandomSampler(Dataset<?> dataset) { this(dataset, false, -1, null); }

    public RandomSampler(Dataset<?> dataset, Generator generator) { this(dataset, false, -1, generator); }

    /** {@code numSamples} of -1 means the dataset's size. */
    public RandomSampler(Dataset<?> dataset, boolean replacement, int numSamples, Generator generator) {
        this.dataset = dataset;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
        int n = size();
        if (n <= 0)
            throw new IllegalArgumentException("RandomSampler: numSamples should be a positive integer value, but got numSamples="
                    + n + (numSamples == -1 ? " (the dataset is empty)" : ""));
    }

    @Override public int size() { return numSamples == -1 ? dataset.size() : numSamples; }

    public boolean replacement() { return replacement; }

    @Override public Iterator<Integer> iterator() {
        int n = dataset.size(), total = size();
        Generator g = generator == null ? Generator.defaultGenerator() : generator;
        long[] order;
        try (Scope s = Scope.open()) {
            if (replacement) {
                if (n == 0) throw new IllegalStateException("RandomSampler: cannot draw from an empty dataset");
                order = Tensor.randint(g, 0, n, total).toLongArray();
            } else {
                order = new long[total];
                for (int start = 0; start < total; start += n) {
                    long[] perm = Tensor.randperm(g, n).toLongArray();
                    System.arraycopy(perm, 0, order, start, Math.min(n, total - start));
                }
            }
        }
        return Arrays.stream(order).mapToInt(i -> (int) i).iterator();
    }
}
