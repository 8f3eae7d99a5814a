package dev.gpush.bench;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;

/**
 * One thing {@code gpush bench} times, and the units it is reported in.
 *
 * @param name    the row's name, e.g. {@code matmul f32 1024}
 * @param numpyId the same workload for numpy_bench.py ({@code KIND:N}), or null where NumPy has no counterpart
 * @param metrics the units the seconds per op are turned into; one row each
 * @param setup   makes the inputs and returns the op to time
 */
record Workload(String name, String numpyId, List<Metric> metrics, Supplier<Harness.Op> setup) {

    /** A unit and how to get it from seconds per op. */
    record Metric(String unit, boolean higherIsBetter, DoubleUnaryOperator fromSeconds) {
        static Metric rate(String unit, double workPerOp) { return new Metric(unit, true, s -> workPerOp / s); }
        static Metric time(String unit, double unitsPerSecond) { return new Metric(unit, false, s -> s * unitsPerSecond); }
    }

    /**
     * Results go here, one slot a call, so the JIT cannot prove them unused and drop the op; the slots are
     * overwritten in turn, which keeps at most 16 results alive.
     */
    private static final Object[] SINK = new Object[16];

    /** The workloads of issue 2, at the profile's sizes. */
    static List<Workload> all(Options.Profile p) {
        List<Workload> list = new ArrayList<>();
        for (int n : p.matmulSizes) list.add(matmul(n));
        list.add(addOne(false));
        list.add(addOne(true));
        int e = p.elements;
        list.add(new Workload("add f32 " + count(e), "add:" + e,
                List.of(Metric.rate("GB/s", 3.0 * Float.BYTES * e / 1e9), Metric.time("ms", 1e3)),
                () -> binaryAdd(randn(e), randn(e))));
        list.add(new Workload("sum f32 " + count(e), "sum:" + e,
                List.of(Metric.rate("GB/s", (double) Float.BYTES * e / 1e9), Metric.time("ms", 1e3)),
                () -> {
                    Tensor a = randn(e);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) SINK[(int) (i & 15)] = a.sum();
                    };
                }));
        return list;
    }

    private static Workload matmul(int n) {
        return new Workload("matmul f32 " + n, "matmul:" + n,
                List.of(Metric.rate("GFLOP/s", 2.0 * n * n * n / 1e9)),
                () -> {
                    Tensor a = randn(n, n), b = randn(n, n);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) SINK[(int) (i & 15)] = a.matmul(b);
                    };
                });
    }

    /** The eager overhead of one op: a 1-element add, whose arithmetic is nothing next to the bookkeeping. */
    private static Workload addOne(boolean requiresGrad) {
        return new Workload(requiresGrad ? "add f32 1 elem, requiresGrad" : "add f32 1 elem",
                requiresGrad ? null : "add:1",
                List.of(Metric.time("ns/op", 1e9)),
                () -> {
                    Tensor a = randn(1).requiresGrad(requiresGrad), b = randn(1);
                    return binaryAdd(a, b);
                });
    }

    private static Harness.Op binaryAdd(Tensor a, Tensor b) {
        return iterations -> {
            for (long i = 0; i < iterations; i++) SINK[(int) (i & 15)] = a.add(b);
        };
    }

    private static Tensor randn(int... shape) { return Tensor.randn(shape, DType.FLOAT32, Device.CPU); }

    private static String count(int n) {
        if (n % 1_000_000 == 0) return n / 1_000_000 + "M";
        if (n % 1000 == 0) return n / 1000 + "k";
        return Integer.toString(n);
    }
}
