package dev.gpush.bench;

/**
 * Times one workload. The rules (numpy_bench.py follows the same ones, so both columns mean the same thing):
 * <ul>
 *   <li>A sample runs the op {@code iterations} times in one loop and is timed once with {@code nanoTime}, so a
 *       100 ns op is not lost in the clock's own cost; the result is seconds per op.</li>
 *   <li>Warm-up runs samples for at least {@code warmupSeconds} and until three in a row agree within 10%, or
 *       stops at three times {@code warmupSeconds} when they never do; either way it runs at least
 *       {@value #MIN_WARMUP_SAMPLES} samples, so an op of seconds (a training step) is warmed up by more than one
 *       call before it is measured. It also sizes the samples: after each, {@code iterations} is set so that the
 *       next lasts about {@code sampleSeconds}, and never less than one.</li>
 *   <li>Then {@code runs} samples are measured with the last size; the report gives their median and range.</li>
 *   <li>On CUDA the op waits for the device at the end of each sample (see {@link Workload#timed}), so a sample
 *       times the work, not its launch.</li>
 *   <li>No System.gc() between workloads: G1 may shrink the heap after a full GC, and a growing heap is slow to
 *       touch (see {@link Machine}); each workload's warm-up brings the heap to its own steady state instead.</li>
 * </ul>
 */
final class Harness {
    private Harness() {}

    static final int MIN_WARMUP_SAMPLES = 3;

    /** Runs an op {@code iterations} times; the op must keep its results where the JIT cannot drop them. */
    @FunctionalInterface
    interface Op {
        void run(long iterations);
    }

    /** Seconds per op of each measured sample. */
    static double[] measure(Op op, double warmupSeconds, int runs, double sampleSeconds) {
        long iterations = 1;
        double spent = 0;
        double[] last = {Double.NaN, Double.NaN, Double.NaN};
        for (int n = 0; ; n++) {
            double seconds = time(op, iterations);
            spent += seconds;
            last[n % 3] = seconds / iterations;
            iterations = Math.max(1, Math.min(1L << 30, (long) (sampleSeconds / Math.max(last[n % 3], 1e-12))));
            if (n + 1 >= MIN_WARMUP_SAMPLES && (spent >= 3 * warmupSeconds || spent >= warmupSeconds && steady(last))) break;
        }
        double[] perOp = new double[runs];
        for (int r = 0; r < runs; r++) perOp[r] = time(op, iterations) / iterations;
        return perOp;
    }

    private static double time(Op op, long iterations) {
        long t0 = System.nanoTime();
        op.run(iterations);
        return (System.nanoTime() - t0) * 1e-9;
    }

    private static boolean steady(double[] last) {
        double lo = Math.min(last[0], Math.min(last[1], last[2])), hi = Math.max(last[0], Math.max(last[1], last[2]));
        return hi <= 1.1 * lo; // false while any is NaN
    }
}
