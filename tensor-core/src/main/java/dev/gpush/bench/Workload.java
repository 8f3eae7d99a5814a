package dev.gpush.bench;

import dev.gpush.tensor.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;

/**
 * One thing {@code gpush bench} measures, and the units it is reported in.
 *
 * <p>Rules:
 * <ul>
 *   <li>A measurement gives samples in the workload's base quantity: seconds per op for a timed workload, bytes
 *       for a memory one. Each metric turns a sample into its unit; the report shows the median and range.</li>
 *   <li>The ids carry the sizes, so the Python scripts need no profile of their own: {@code torchId} for
 *       torch_bench.py ({@code KIND:ARG:...}), {@code numpyId} for numpy_bench.py ({@code KIND:N}); null where that
 *       side has no counterpart.</li>
 *   <li>A workload gpush cannot run on the device throws from {@link Measure#samples}; the bench notes why and
 *       shows n/a, and the other columns still run.</li>
 * </ul>
 *
 * @param name    the row's name, e.g. {@code matmul f32 1024}
 * @param numpyId the workload for numpy_bench.py, or null
 * @param torchId the workload for torch_bench.py, or null
 * @param metrics the units the samples are turned into; one row each
 * @param measure makes the inputs and measures
 */
record Workload(String name, String numpyId, String torchId, List<Metric> metrics, Measure measure) {

    /** Measures a workload; samples are in its base quantity (seconds per op, or bytes). */
    @FunctionalInterface
    interface Measure {
        double[] samples(Profile p);
    }

    /** A unit and how to get it from a sample. */
    record Metric(String unit, boolean higherIsBetter, DoubleUnaryOperator fromSample) {
        static Metric rate(String unit, double workPerOp) { return new Metric(unit, true, s -> workPerOp / s); }
        static Metric time(String unit, double unitsPerSecond) { return new Metric(unit, false, s -> s * unitsPerSecond); }
        static Metric megabytes() { return new Metric("MB", false, bytes -> bytes / 1e6); }
    }

    /** Timed with {@link Harness}; on CUDA each sample ends by waiting for the device. */
    static Measure timed(Device device, Supplier<Harness.Op> setup) {
        return p -> {
            Harness.Op op = setup.get();
            Harness.Op synced = device.isCuda() ? iterations -> {
                op.run(iterations);
                Gpu.synchronize();
            } : op;
            return Harness.measure(synced, p.warmupSeconds, p.runs, p.sampleSeconds);
        };
    }

    /** Every workload of issue 11 at the profile's sizes on {@code device}; notes get what is left out, and why. */
    static List<Workload> all(Profile p, Device device, List<String> notes) {
        List<Workload> list = new ArrayList<>(Eager.workloads(device));
        list.addAll(Kernels.matmuls(p, device, notes));
        list.addAll(Kernels.memoryBound(p, device, Runtime.getRuntime().maxMemory(), notes));
        list.add(ConvBlock.workload(p.conv, device));
        list.addAll(TrainStep.workloads(p.transformer, device));
        notes.add(TrainStep.memoryNote(device));
        list.addAll(Loading.workloads(p.loader));
        return list;
    }
}
