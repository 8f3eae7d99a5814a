package dev.gpush.data;

/**
 * A sample or a batch failed to load: thrown by the {@link DataLoader}'s iterator when it reaches the failed
 * batch, on the consuming thread, with the original exception (and its stack in the worker) as the cause.
 * The batches before it were delivered; the iterator is closed afterwards.
 */
public final class DataLoaderException extends RuntimeException {
    private final int batchIndex;
    private final long sampleIndex;

    DataLoaderException(String message, Throwable cause, int batchIndex, long sampleIndex) {
        super(message, cause);
        this.batchIndex = batchIndex;
        this.sampleIndex = sampleIndex;
    }

    /** The position of the failed batch in the epoch, from 0. */
    public int batchIndex() { return batchIndex; }

    /**
     * The index given to {@link Dataset#get} that failed, or the position in the stream of an
     * {@link IterableDataset}; -1 when the collate function failed (the message lists the batch's samples).
     */
    public long sampleIndex() { return sampleIndex; }
}
