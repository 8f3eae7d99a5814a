package dev.gpush.distributed;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.InterruptedOpException;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread of its own that runs a process group's operations one after another, in the order they were submitted,
 * with a {@link Work} handle for each: how the CPU group's async forms run while the caller goes on (gloo's work
 * queue in PyTorch).
 *
 * <p>Rules:
 * <ul>
 *   <li>FIFO: an operation starts once every operation submitted before it has ended. Every rank submits its
 *       collectives in the same order, so one queue for a group's collectives keeps them matched across ranks,
 *       and a handle that completes means every earlier one has.</li>
 *   <li>An operation runs with gradient recording off and touches only the tensors it was given; the submitter
 *       leaves those alone until {@link Work#await()} returns (the await is the happens-before edge back).</li>
 *   <li>{@code await} throws what the operation threw. A {@link DistributedException} comes back as a new one with
 *       the same message and peer, so its stack trace shows the awaiting caller, with the queue thread's as the
 *       cause.</li>
 *   <li>An interrupt of the awaiting thread interrupts the operation (a receive stops waiting for its peer) and
 *       throws {@link InterruptedOpException}; operations still queued run as usual. The group is out of step with
 *       its peers afterwards: destroy it.</li>
 *   <li>{@link #stop} ends the thread: the operation running is interrupted and fails, those still queued fail
 *       without running, both saying why, and later submissions are refused. It waits for the thread to end, at
 *       most {@link #STOP_MILLIS}.</li>
 * </ul>
 */
final class WorkQueue {
    static final long STOP_MILLIS = 10_000;   // how long stop waits for the operation in progress to give up

    private final String threadName;
    private final ExecutorService executor;
    private volatile Thread thread;           // made by the executor at the first submit
    private volatile String stopped;          // why the queue was stopped, or null

    WorkQueue(String threadName) {
        this.threadName = threadName;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Queues {@code op}; {@code what} ("allReduce #3 on rank 0") names it in failures. */
    Work submit(String what, Runnable op) {
        if (stopped != null) throw new IllegalStateException(what + ": " + stopped);
        return new Queued(what, executor.submit(() -> {
            try (GradMode off = GradMode.disable()) {
                op.run();
            } catch (InterruptedOpException e) {
                if (stopped == null) throw e;
                throw new IllegalStateException(what + ": " + stopped + " while it ran", e);
            }
            return null;
        }));
    }

    /** Stops the thread (see the rules), saying {@code why} ("the process group was destroyed"). Idempotent. */
    void stop(String why) {
        if (stopped != null) return;
        stopped = why;
        List<Runnable> queued = executor.shutdownNow();   // interrupts the operation in progress
        for (Runnable r : queued) ((Future<?>) r).cancel(false);
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The queue's thread while it runs (for tests), else null. */
    Thread liveThread() {
        Thread t = thread;
        return t != null && t.isAlive() ? t : null;
    }

    @Override public String toString() { return "WorkQueue(" + threadName + ")"; }

    /** The handle of one queued operation. */
    private final class Queued implements Work {
        private final String what;
        private final Future<?> future;

        Queued(String what, Future<?> future) {
            this.what = what;
            this.future = future;
        }

        @Override public void await() {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw rethrown(e.getCause());
            } catch (CancellationException e) {   // stopped before it ran, or cancelled by an interrupted await
                if (stopped == null) throw new InterruptedOpException(what);
                throw new IllegalStateException(what + ": " + stopped + " before it ran");
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedOpException(what);
            }
        }

        @Override public boolean isCompleted() { return future.isDone(); }

        private RuntimeException rethrown(Throwable cause) {
            if (cause instanceof DistributedException d) return new DistributedException(d.getMessage(), d.peer(), d);
            if (cause instanceof RuntimeException r) return r;
            if (cause instanceof Error e) throw e;
            return new IllegalStateException(what + " failed: " + cause, cause);
        }

        @Override public String toString() { return what + (isCompleted() ? " (completed)" : " (queued or running)"); }
    }
}
