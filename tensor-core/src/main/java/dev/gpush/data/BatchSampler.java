package dev.gpush.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups a sampler's indices into batches of {@code batchSize} (PyTorch's {@code BatchSampler}); the last batch
 * is smaller, or dropped with {@code dropLast}.
 */
public final class BatchSampler implements Sampler<List<Integer>> {
    private final Sampler<Integer> sampler;
    private final int batchSize;
    private final boolean dropLast;

    public BatchSampler(Sampler<Integer> sampler, int batchSize, boolean dropLast) {
        if (batchSize <= 0)
            throw new IllegalArgumentException("batchSize should be a positive integer value, but got batchSize=" + batchSize);
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    @Override public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Sampler<Integer> sampler() { return sampler; }
    public int batchSize() { return batchSize; }
    public boolean dropLast() { return dropLast; }

    /** Starts the sampler's epoch at once (so a random sampler draws now, see {@link RandomSampler}). */
    @Override public Iterator<List<Integer>> iterator() {
        Iterator<Integer> indices = sampler.iterator();
        return new Iterator<>() {
            private List<Integer> next = advance();

            private List<Integer> advance() {
                List<Integer> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && indices.hasNext()) batch.add(indices.next());
                return batch.isEmpty() || (dropLast && batch.size() < batchSize) ? null : batch;
            }

            @Override public boolean hasNext() { return next != null; }

            @Override public List<Integer> next() {
                if (next == null) throw new NoSuchElementException("the BatchSampler's epoch is over");
                List<Integer> batch = next;
                next = advance();
                return batch;
            }
        };
    }
}
