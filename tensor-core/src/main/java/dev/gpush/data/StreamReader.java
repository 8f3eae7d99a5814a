package dev.gpush.data;

import dev.gpush.tensor.InterruptedOpException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads an {@link IterableDataset}'s iterator for the jobs of one epoch: one job at a time and in batch order
 * (job {@code k} waits until the jobs before it have read), so batch {@code k} holds the same samples whatever
 * the number of workers. A job that finds the stream over, or broken by an earlier failure, gets null.
 */
final class StreamReader<T> {
    private final Iterator<T> samples;
    private final int batchSize;
    private final boolean dropLast;
    private int turn;          // the batch whose job reads next
    private long position;     // samples read so far
    private boolean done;

    StreamReader(IterableDataset<T> dataset, int batchSize, boolean dropLast) {
        this.samples = dataset.iterator();
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    synchronized BatchJob.Samples<T> read(int batch) throws InterruptedException {
        while (turn != batch) wait();
        try {
            if (done) return null;
            long start = position;
            List<T> values = new ArrayList<>(batchSize);
            while (values.size() < batchSize) {
                try {
                    if (!samples.hasNext()) {
                        done = true;
                        break;
                    }
                    values.add(samples.next());
                } catch (InterruptedOpException e) {
                    done = true;
                    throw e;
                } catch (RuntimeException | Error e) {
                    done = true;
                    throw new BatchJob.SampleFailed("reading sample " + position + " of the IterableDataset failed", position, e);
                }
                position++;
            }
            if (values.isEmpty() || (dropLast && values.size() < batchSize)) return null;
            return new BatchJob.Samples<>(values, "stream samples " + start + " to " + (position - 1));
        } finally {
            turn++;
            notifyAll();
        }
    }
}
