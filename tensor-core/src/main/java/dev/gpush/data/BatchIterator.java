package dev.gpush.data;

import dev.gpush.tensor.InterruptedOpException;
import dev.gpush.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One epoch of a {@link DataLoader}: its batches in order. Closing it (or reaching the end, or a failure) stops
 * its workers; try-with-resources closes it early: {@code try (var it = loader.iterator()) { ... }}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Jobs are made on the consuming thread in batch order, so the sampler is read there and batch {@code k}
 *       holds the same samples whatever the number of workers.</li>
 *   <li>With workers, up to {@code numWorkers * prefetchFactor} jobs are submitted ahead of the consumer to a
 *       pool of {@code numWorkers} daemon threads named {@code gpush-data-<n>-worker-<i>}; the consumer takes
 *       their results in submission order. Without workers each job runs on the consuming thread in
 *       {@link #hasNext()}.</li>
 *   <li>A failed batch is thrown, as a {@link DataLoaderException}, by the {@link #next()} that reaches it;
 *       the batches before it are delivered.</li>
 *   <li>No thread outlives its use: the pool is shut down when the last job is submitted and closed at the end,
 *       at a failure or on {@link #close()}. An iterator abandoned without closing (a {@code break} out of a
 *       for-each) finishes the jobs already submitted, and its idle threads end after {@link #KEEP_ALIVE_MS}.</li>
 *   <li>Batches are handed to the consuming thread's scope as Note [batch scope] in {@link BatchJob} says.</li>
 * </ul>
 */
public final class BatchIterator<B> implements Iterator<B>, AutoCloseable {
    /** How long, in milliseconds, an idle worker thread waits for a job before it ends. */
    static final long KEEP_ALIVE_MS = 1000;
    private static final AtomicInteger EPOCHS = new AtomicInteger();

    private final IntFunction<Callable<BatchJob.Batch<B>>> jobs; // the job for batch k, or null past the sampler's end
    private final ThreadPoolExecutor pool;                       // null: jobs run on the consuming thread
    private final int window;                                    // jobs submitted ahead of the consumer, at most
    private final String threadPrefix;
    private final ArrayDeque<Future<BatchJob.Batch<B>>> pending = new ArrayDeque<>();
    private int jobsMade;                                        // jobs made so far (the next job's batch index)
    private boolean noMoreJobs, finished, closed;
    private BatchJob.Batch<B> ready;                             // produced by hasNext(), not yet returned

    BatchIterator(IntFunction<Callable<BatchJob.Batch<B>>> jobs, int numWorkers, int prefetchFactor) {
        this.jobs = jobs;
        this.threadPrefix = "gpush-data-" + EPOCHS.incrementAndGet() + "-worker-";
        this.window = numWorkers * prefetchFactor;
        if (numWorkers == 0) {
            pool = null;
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        pool = new ThreadPoolExecutor(numWorkers, numWorkers, KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, threadPrefix + threads.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        fill();
    }

    @Override public boolean hasNext() {
        if (ready == null && !finished) {
            ready = produce();
            if (ready == null) close();
        }
        return ready != null;
    }

    /** The next batch; throws {@link DataLoaderException} if loading it failed. */
    @Override public B next() {
        if (!hasNext()) throw new NoSuchElementException("the DataLoader's epoch is over");
        BatchJob.Batch<B> batch = ready;
        ready = null;
        if (batch.failure() != null) {
            close();
            throw batch.failure().toException();
        }
        return batch.value();
    }

    /** Stops the workers: cancels the jobs not yet taken and frees the batches they made. Idempotent. */
    @Override public void close() {
        finished = true;
        if (closed) return;
        closed = true;
        if (pool == null) return;
        pool.shutdownNow();
        for (Future<BatchJob.Batch<B>> f : pending) {
            if (f.state() == Future.State.SUCCESS && f.resultNow() != null)
                for (Tensor t : f.resultNow().made()) t.close();
            f.cancel(true);
        }
        pending.clear();
    }

    /** The prefix of this epoch's worker thread names (for tests that look for leftover threads). */
    String threadPrefix() { return threadPrefix; }

    private BatchJob.Batch<B> produce() {
        if (pool == null) {
            Callable<BatchJob.Batch<B>> job = noMoreJobs ? null : jobs.apply(jobsMade++);
            if (job == null) {
                noMoreJobs = true;
                return null;
            }
            try {
                return job.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedOpException("DataLoader iteration");
            } catch (Exception e) {
                throw new IllegalStateException("DataLoader: unexpected failure of a batch job", e); // jobs return failures
            }
        }
        Future<BatchJob.Batch<B>> next = pending.poll();
        if (next == null) return null;
        BatchJob.Batch<B> batch = await(next);
        fill();
        if (batch != null) for (Tensor t : batch.made()) t.adopt();
        return batch;
    }

    /** Submits jobs until {@link #window} are waiting, or the sampler is exhausted (then the pool may wind down). */
    private void fill() {
        while (!noMoreJobs && pending.size() < window) {
            Callable<BatchJob.Batch<B>> job = jobs.apply(jobsMade++);
            if (job == null) {
                noMoreJobs = true;
                pool.shutdown(); // the submitted jobs still run; then the threads end
            } else {
                pending.add(pool.submit(job));
            }
        }
    }

    private BatchJob.Batch<B> await(Future<BatchJob.Batch<B>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new InterruptedOpException("DataLoader iteration");
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException r) throw r; // an interrupt inside the job
            throw new IllegalStateException("DataLoader: unexpected failure of a batch job", e.getCause());
        }
    }
}
