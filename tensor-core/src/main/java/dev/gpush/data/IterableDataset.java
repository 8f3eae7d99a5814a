package dev.gpush.data;

/**
 * A stream of samples (PyTorch's {@code IterableDataset}): for data read in order, from a file or a generator,
 * where indexing makes no sense. Each {@link #iterator()} starts a new pass (an epoch).
 *
 * <p>With worker threads a {@link DataLoader} still reads the iterator on one thread at a time, in order
 * (a Java iterator is not thread-safe), and collates batches in parallel. PyTorch instead copies the dataset into
 * every worker process and leaves the sharding to the dataset; here each sample is read exactly once, whatever
 * the number of workers.
 */
@FunctionalInterface
public interface IterableDataset<T> extends Iterable<T> {
    /** The number of samples in one pass, or -1 when unknown (then {@link DataLoader#size()} is unknown too). */
    default int size() { return -1; }
}
