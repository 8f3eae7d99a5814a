package dev.gpush.bench;

import java.util.Arrays;

/**
 * One row of the report: a workload measured by one implementation, in one unit.
 *
 * @param workload       e.g. {@code matmul f32 1024}
 * @param unit           e.g. {@code GFLOP/s}, {@code ops/s}, {@code MB}
 * @param higherIsBetter true for rates, false for times and memory
 * @param impl           {@code gpush}, {@code torch} or {@code numpy}
 * @param median         the median of the runs, in {@code unit}
 * @param min            the lowest run, in {@code unit}
 * @param max            the highest run, in {@code unit}
 * @param runs           how many samples were measured
 */
public record Result(String workload, String unit, boolean higherIsBetter, String impl,
                     double median, double min, double max, int runs) {

    /** Turns samples (seconds per op, or bytes) into {@code metric}'s unit and summarises them. */
    static Result of(String workload, Workload.Metric metric, String impl, double[] samples) {
        double[] v = Arrays.stream(samples).map(metric.fromSample()).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Result(workload, metric.unit(), metric.higherIsBetter(), impl, median, v[0], v[n - 1], n);
    }
}
