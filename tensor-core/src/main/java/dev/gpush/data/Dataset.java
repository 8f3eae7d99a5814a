package dev.gpush.data;

import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A map-style dataset (PyTorch's {@code torch.utils.data.Dataset}): samples addressed by an index in
 * {@code [0, size())}. A {@link DataLoader} calls {@link #get} from its worker threads when it has any, so
 * {@code get} must be safe to call concurrently (reading tensors and arrays is).
 *
 * <p>{@code get} runs inside a {@link Scope} that the loader closes once the batch is collated (see
 * {@link DataLoader}): tensors it makes are temporaries unless they end up in the batch. A dataset that stores
 * tensors it makes in {@code get} (a cache) takes them out of scoping with {@link Scope#escape}, as any code
 * that keeps a tensor beyond a call does.
 */
public interface Dataset<T> {
    T get(int index);

    int size();

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, which must add up to its
     * size (PyTorch's {@code random_split}). The same generator state gives the same split.
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0)
                throw new IllegalArgumentException("randomSplit: length " + lengths[i] + " at index " + i + " is negative");
            total += lengths[i];
        }
        if (total != dataset.size())
            throw new IllegalArgumentException("randomSplit: the lengths " + Arrays.toString(lengths) + " add up to "
                    + total + ", not to the size of the dataset (" + dataset.size() + ")");
        long[] order;
        try (Scope s = Scope.open()) {
            order = Tensor.randperm(generator == null ? Generator.defaultGenerator() : generator, (int) total).toLongArray();
        }
        List<Subset<T>> parts = new ArrayList<>(lengths.length);
        int start = 0;
        for (int length : lengths) {
            int[] indices = new int[length];
            for (int j = 0; j < length; j++) indices[j] = (int) order[start + j];
            parts.add(new Subset<>(dataset, indices));
            start += length;
        }
        return parts;
    }

    /**
     * Splits by fractions of the dataset's size, which must add up to 1: each part gets
     * {@code floor(size * fraction)} samples, then the remainder is dealt one sample at a time to the parts in
     * order, round-robin (PyTorch's rule: 10 samples split {@code {0.5, 0.25, 0.25}} gives 5, 3, 2).
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        if (fractions.length == 0) throw new IllegalArgumentException("randomSplit: no fractions given");
        double total = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] >= 0 && fractions[i] <= 1))
                throw new IllegalArgumentException("randomSplit: fraction " + fractions[i] + " at index " + i
                        + " is not between 0 and 1");
            total += fractions[i];
        }
        // math.isclose(total, 1): a relative tolerance of 1e-9 absorbs rounding in sums like 0.1 + 0.2 + 0.7
        if (Math.abs(total - 1) > 1e-9)
            throw new IllegalArgumentException("randomSplit: the fractions " + Arrays.toString(fractions)
                    + " add up to " + total + ", not to 1");
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; i < n - assigned; i++) lengths[i % lengths.length]++;
        return randomSplit(dataset, lengths, generator);
    }

    /** {@link #randomSplit(Dataset, int[], Generator)} with the default generator. */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths) {
        return randomSplit(dataset, lengths, null);
    }

    /** {@link #randomSplit(Dataset, double[], Generator)} with the default generator. */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions) {
        return randomSplit(dataset, fractions, null);
    }
}
