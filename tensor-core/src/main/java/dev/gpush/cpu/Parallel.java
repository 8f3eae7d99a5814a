package dev.gpush.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a range of work over the CPU's cores. One pool for the whole library, sized by
 * {@code gpush.threads} (system property or {@code GPUSH_NUM_THREADS}), default all cores, so a benchmark can
 * pin gpush and PyTorch to the same thread count.
 */
public final class Parallel {
    private Parallel() {}

    @FunctionalInterface
    public interface Body {
        void run(int lo, int hi);
    }

    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool = new ForkJoinPool(threads);

    private static int initialThreads() {
        String s = System.getProperty("gpush.threads", System.getenv("GPUSH_NUM_THREADS"));
        try {
            if (s != null) return Math.max(1, Integer.parseInt(s.trim()));
        } catch (NumberFormatException ignored) { /* fall back to all cores */ }
        return Runtime.getRuntime().availableProcessors();
    }

    public static int threads() { return threads; }

    /** Sets the number of threads CPU ops use (PyTorch's {@code torch.set_num_threads}). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n == threads) return;
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(n);
        threads = n;
        old.shutdown();
    }

    /** Runs {@code body} over [0, n) in pieces of at least {@code grain}; inline when small or single-threaded. */
    public static void range(int n, int grain, Body body) {
        int t = threads;
        // inline when small, single-threaded, or already on one of the pool's threads (nested parallel ops)
        if (n <= grain || t == 1 || Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == pool) {
            if (n > 0) body.run(0, n);
            return;
        }
        int pieces = Math.min(t * 4, (n + grain - 1) / grain);
        pool.invoke(new Split(body, 0, n, Math.max(grain, (n + pieces - 1) / pieces)));
    }

    private static final class Split extends RecursiveAction {
        private final Body body;
        private final int lo, hi, grain;

        Split(Body body, int lo, int hi, int grain) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override protected void compute() {
            if (hi - lo <= grain) {
                body.run(lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, lo, mid, grain), new Split(body, mid, hi, grain));
        }
    }
}
