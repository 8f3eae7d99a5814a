package dev.gpush.bench;

import dev.gpush.nn.F;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * Single ops on large inputs: matmul in GFLOP/s, and the memory-bound ops in GB/s.
 *
 * <p>GB/s counts the bytes an op must move at least: every input read once and the output written once (add and
 * mul 3 x 4 bytes an element, sum 4, softmax and layer norm 2 x 4). An implementation that makes more passes
 * shows as fewer GB/s, which is the point: the figure compares with the memory's bandwidth.
 */
final class Kernels {
    private Kernels() {}

    static final String NO_TF32 = "gpush has no TF32 mode yet: cuBLAS runs float32 products in full float32";

    /** float32 at every size, and bfloat16; on CUDA also TF32 and float16, and 8192 in the full profile. */
    static List<Workload> matmuls(Profile p, Device device, List<String> notes) {
        List<Integer> sizes = new ArrayList<>(p.matmulSizes);
        if (device.isCuda() && p == Profile.FULL) sizes.add(8192);
        List<String> kinds = device.isCuda() ? List.of("f32", "tf32", "bf16", "f16") : List.of("f32", "bf16");
        if (!device.isCuda())
            notes.add("TF32 and float16 matmul rows are CUDA-only: skipped on the CPU (bfloat16 runs: PyTorch uses "
                    + "oneDNN's bfloat16 kernels where the CPU has them, gpush rounds to float32 for OpenBLAS)");
        List<Workload> list = new ArrayList<>();
        for (String kind : kinds) for (int n : sizes) list.add(matmul(kind, n, device));
        return list;
    }

    private static Workload matmul(String kind, int n, Device device) {
        DType dtype = switch (kind) {
            case "bf16" -> DType.BFLOAT16;
            case "f16" -> DType.FLOAT16;
            default -> DType.FLOAT32;
        };
        String torchKind = switch (kind) {
            case "bf16" -> "bfloat16";
            case "f16" -> "float16";
            case "tf32" -> "tf32";
            default -> "float32";
        };
        return new Workload("matmul " + kind + " " + n, kind.equals("f32") && !device.isCuda() ? "matmul:" + n : null,
                "matmul:" + torchKind + ":" + n, List.of(Workload.Metric.rate("GFLOP/s", 2.0 * n * n * n / 1e9)),
                kind.equals("tf32") ? q -> { throw new UnsupportedOperationException(NO_TF32); }
                        : Workload.timed(device, () -> {
                            Tensor a = Tensor.randn(new int[]{n, n}, dtype, device);
                            Tensor b = Tensor.randn(new int[]{n, n}, dtype, device);
                            return iterations -> {
                                for (long i = 0; i < iterations; i++) Sink.keepLast(a.matmul(b));
                            };
                        }));
    }

    /**
     * add, mul, sum, softmax and layer norm on 2^k float32 elements (softmax and layer norm over rows). On CUDA the
     * tensors live in device memory, so the heap does not limit k there.
     */
    static List<Workload> memoryBound(Profile p, Device device, long maxHeap, List<String> notes) {
        int log2 = device.isCuda() ? p.elementsLog2 : p.elementsLog2(maxHeap);
        if (log2 != p.elementsLog2)
            notes.add(String.format(Locale.ROOT, "memory-bound ops on 2^%d elements, not 2^%d: the heap's %d MB "
                    + "holds fewer than 16 float32 tensors of 2^%d (raise it with -Xmx)",
                    log2, p.elementsLog2, maxHeap >> 20, p.elementsLog2));
        int n = 1 << log2, cols = Math.min(p.rowLength, n), rows = n / cols;
        String size = "2^" + log2;
        return List.of(
                binary("add", size, n, device, Tensor::add),
                binary("mul", size, n, device, Tensor::mul),
                new Workload("sum f32 " + size, device.isCuda() ? null : "sum:" + n, "sum:" + n, gbs(4.0 * n),
                        Workload.timed(device, () -> {
                            Tensor a = randn(device, n);
                            return iterations -> {
                                for (long i = 0; i < iterations; i++) Sink.keep(i, a.sum());
                            };
                        })),
                rowwise("softmax", size, rows, cols, device, (x, unused) -> x.softmax(-1)),
                rowwise("layer norm", size, rows, cols, device,
                        (x, wb) -> F.layerNorm(x, new int[]{cols}, wb.select(0, 0), wb.select(0, 1))));
    }

    private static Workload binary(String op, String size, int n, Device device, BinaryOperator<Tensor> f) {
        String numpy = op.equals("add") && !device.isCuda() ? "add:" + n : null;
        return new Workload(op + " f32 " + size, numpy, op + ":" + n, gbs(12.0 * n),
                Workload.timed(device, () -> {
                    Tensor a = randn(device, n), b = randn(device, n);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) Sink.keepLast(f.apply(a, b));
                    };
                }));
    }

    /** {@code f(x, wb)} over x [rows, cols]; wb [2, cols] holds a weight and a bias row for layer norm. */
    private static Workload rowwise(String op, String size, int rows, int cols, Device device, BinaryOperator<Tensor> f) {
        String id = op.replace(' ', '_') + ":" + rows + ":" + cols;
        return new Workload(op + " f32 " + size + " (rows of " + cols + ")", null, id, gbs(8.0 * rows * cols),
                Workload.timed(device, () -> {
                    Tensor x = randn(device, rows, cols), wb = randn(device, 2, cols);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) Sink.keepLast(f.apply(x, wb));
                    };
                }));
    }

    private static List<Workload.Metric> gbs(double bytes) { return List.of(Workload.Metric.rate("GB/s", bytes / 1e9)); }

    private static Tensor randn(Device device, int... shape) { return Tensor.randn(shape, DType.FLOAT32, device); }
}
