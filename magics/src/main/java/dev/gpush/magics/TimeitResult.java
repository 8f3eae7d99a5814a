package dev.gpush.magics;

import java.util.List;
import java.util.Locale;

/**
 * What {@code %timeit -o} returns, as IPython's {@code TimeitResult}: {@code allRuns} holds the seconds of each run
 * of {@code loops} calls; {@code firstRun} the seconds of the very first call (class loading and JIT warm-up),
 * which the statistics leave out; {@code compileTime} the seconds javac took.
 */
public record TimeitResult(long loops, int repeat, List<Double> allRuns, double firstRun, double compileTime,
                           int precision) {

    public TimeitResult {
        allRuns = List.copyOf(allRuns);
    }

    /** Seconds per call, one a run. */
    public List<Double> timings() {
        return allRuns.stream().map(t -> t / loops).toList();
    }

    public double best() {
        return timings().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    public double worst() {
        return timings().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    public double average() {
        return timings().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** The population standard deviation of the timings, as IPython computes it. */
    public double stdev() {
        double mean = average();
        return Math.sqrt(timings().stream().mapToDouble(t -> (t - mean) * (t - mean)).average().orElse(0));
    }

    /** {@code 18 µs ± 2.73 µs per loop (mean ± std. dev. of 7 runs, 100,000 loops each)}. */
    public String summary() {
        return "%s ± %s per loop (mean ± std. dev. of %d run%s, %s loop%s each)".formatted(
                TimeFormat.seconds(average(), precision), TimeFormat.seconds(stdev(), precision),
                repeat, repeat == 1 ? "" : "s", String.format(Locale.ROOT, "%,d", loops), loops == 1 ? "" : "s");
    }

    /** {@code (first run: 3.1 ms, JIT warm-up)}. */
    public String firstRunNote() {
        return "(first run: " + TimeFormat.seconds(firstRun, precision) + ", JIT warm-up)";
    }

    @Override
    public String toString() {
        return "<TimeitResult : " + summary() + ">";
    }
}
