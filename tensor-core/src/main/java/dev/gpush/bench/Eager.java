package dev.gpush.bench;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.List;

/**
 * The eager overhead of an op: what a call costs when its arithmetic is nothing (1-element tensors), with and
 * without a graph to record, and a small forward and backward chain, in ops (or chains) per second.
 */
final class Eager {
    private Eager() {}

    /** The chain's input size: a few elements, so the chain costs its bookkeeping. */
    static final int CHAIN_ELEMENTS = 4;

    static List<Workload> workloads(Device device) {
        return List.of(add(device, false), add(device, true), chain(device));
    }

    private static Workload add(Device device, boolean requiresGrad) {
        return new Workload(requiresGrad ? "add 1 elem, requires_grad" : "add 1 elem",
                requiresGrad || device.isCuda() ? null : "add:1", "eager_add:" + (requiresGrad ? 1 : 0),
                List.of(Workload.Metric.rate("ops/s", 1)),
                Workload.timed(device, () -> {
                    Tensor a = randn(device, 1).requiresGrad(requiresGrad), b = randn(device, 1);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) Sink.keep(i, a.add(b));
                    };
                }));
    }

    /** (x * w + b).tanh().sum(), then backward: four ops forward, their four rules backward, and x's gradient accumulated. */
    private static Workload chain(Device device) {
        return new Workload("fwd+bwd chain, " + CHAIN_ELEMENTS + " elem (mul add tanh sum)", null,
                "eager_chain:" + CHAIN_ELEMENTS, List.of(Workload.Metric.rate("chains/s", 1)),
                Workload.timed(device, () -> {
                    Tensor x = randn(device, CHAIN_ELEMENTS).requiresGrad(true);
                    Tensor w = randn(device, CHAIN_ELEMENTS), b = randn(device, CHAIN_ELEMENTS);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) {
                            Tensor y = x.mul(w).add(b).tanh().sum();
                            y.backward();
                            Sink.keep(i, y);
                        }
                    };
                }));
    }

    private static Tensor randn(Device device, int... shape) { return Tensor.randn(shape, DType.FLOAT32, device); }
}
