package dev.gpush.cuda;

import dev.gpush.backend.RandomOp;
import dev.gpush.ops.Creation;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * The checks {@link SelfTest} runs: each computes one result on a device from seeded inputs made on the CPU (odd
 * sizes, broadcasting, transposed and strided views, every dtype the op takes), and is compared with the same
 * computation on the CPU within a tolerance per dtype. Backward checks run autograd on the device.
 */
final class SelfTestChecks {
    private SelfTestChecks() {}

    /** One check: its name, its tolerance (|got - want| <= tol * (1 + |want|)) and the computation. */
    record Check(String name, double tolerance, Function<Device, Tensor> compute) {}

    static final double F32 = 1e-5, F32_SUMS = 1e-4, F16 = 1e-2, BF16 = 3e-2, F64 = 1e-12, EXACT = 0;

    private static Tensor randn(Device d, long seed, int... shape) { return Tensor.randn(new Generator(seed), shape).to(d); }

    private static Tensor ints(Device d, long seed, int... shape) {
        return Tensor.randint(new Generator(seed), -50, 50, shape).to(d);
    }

    private static Tensor positive(Device d, long seed, int... shape) { return randn(d, seed, shape).abs().add(0.1); }

    static List<Check> all() {
        return List.of(
            new Check("add broadcast [33,17] + [17]", F32, d -> randn(d, 1, 33, 17).add(randn(d, 2, 17))),
            new Check("mul of a transposed view", F32, d -> randn(d, 1, 17, 33).t().mul(randn(d, 2, 33, 17))),
            new Check("sub, div with a scalar", F32, d -> randn(d, 1, 5, 7).sub(randn(d, 2, 5, 1)).div(3.5)),
            new Check("pow", F32, d -> positive(d, 1, 40).pow(randn(d, 2, 40))),
            new Check("maximum, minimum", EXACT, d -> randn(d, 1, 9, 4).maximum(randn(d, 2, 4)).minimum(randn(d, 3, 9, 1))),
            new Check("remainder", F32, d -> randn(d, 1, 50).mul(10).remainder(randn(d, 2, 50))),
            new Check("exp, log, sqrt, rsqrt", F32, d -> positive(d, 1, 31).exp().log().sqrt().rsqrt()),
            new Check("tanh, sigmoid, sin, cos", F32, d -> randn(d, 1, 64).tanh().add(randn(d, 2, 64).sigmoid())
                    .add(randn(d, 3, 64).sin()).add(randn(d, 4, 64).cos())),
            new Check("erf, gelu, gelu(tanh), silu, softplus", F32, d -> randn(d, 1, 100).erf()
                    .add(randn(d, 2, 100).gelu()).add(randn(d, 3, 100).gelu(true)).add(randn(d, 4, 100).silu())
                    .add(randn(d, 5, 100).mul(30).softplus())),
            new Check("relu, neg, abs, sign, floor, round", EXACT, d -> randn(d, 1, 77).mul(3).relu()
                    .add(randn(d, 2, 77).neg().abs()).add(randn(d, 3, 77).sign()).add(randn(d, 4, 77).mul(5).floor())
                    .add(randn(d, 5, 77).mul(5).round())),
            new Check("comparisons and logical ops", EXACT, d -> randn(d, 1, 6, 8).lt(randn(d, 2, 8))
                    .logicalXor(randn(d, 3, 6, 8).ge(0)).long_()),
            new Check("where (maskedFill)", EXACT, d -> randn(d, 1, 12, 5).maskedFill(randn(d, 2, 12, 5).gt(0), -1)),
            new Check("strided slice", F32, d -> randn(d, 1, 10, 17).slice(1, 1, 17, 3).exp()),
            new Check("int64 add, mul, remainder", EXACT, d -> ints(d, 1, 23, 3).mul(ints(d, 2, 3)).add(7)
                    .remainder(ints(d, 3, 23, 3).abs().add(1))),
            new Check("float16 add, mul", F16, d -> randn(d, 1, 45).half().add(randn(d, 2, 45).half())
                    .mul(randn(d, 3, 45).half())),
            new Check("bfloat16 mul, exp", BF16, d -> randn(d, 1, 45).bfloat16().mul(randn(d, 2, 45).bfloat16()).exp()),
            new Check("float64 exp, div", F64, d -> randn(d, 1, 30).double_().exp().div(randn(d, 2, 30).double_())),
            new Check("casts float32 -> int32, float16, bool", EXACT, d -> randn(d, 1, 20).mul(100).int_().to(DType.FLOAT32)
                    .add(randn(d, 2, 20).half().to(DType.FLOAT32)).add(randn(d, 3, 20).bool().to(DType.FLOAT32))),
            new Check("contiguous copy of a permuted view", EXACT, d -> randn(d, 1, 3, 4, 5).permute(2, 0, 1).contiguous()),
            new Check("fill", EXACT, d -> Tensor.full(new int[]{7, 3}, 2.5, DType.FLOAT32, d)
                    .add(Tensor.full(new int[]{7, 3}, 1L << 40, DType.INT64, d).double_())),
            new Check("sum over a dim, over all", F32_SUMS, d -> randn(d, 1, 37, 300).sum(1).add(randn(d, 2, 1000, 3).sum())),
            new Check("mean, amax, amin", F32_SUMS, d -> randn(d, 1, 8, 50, 6).mean(1)
                    .add(randn(d, 2, 8, 50, 6).amax(1, false)).add(randn(d, 3, 8, 50, 6).amin(1, false))),
            new Check("argmax, argmin", EXACT, d -> randn(d, 1, 13, 70).argmax(1).add(randn(d, 2, 70, 13).argmin(0))),
            new Check("prod", F32, d -> randn(d, 1, 9, 6).mul(0.5).add(1).prod(1, false)),
            new Check("int64 sum, max", EXACT, d -> ints(d, 1, 40, 9).sum(0).add(ints(d, 2, 9, 40).max())),
            new Check("sum of an empty tensor", EXACT, d -> Tensor.zeros(new int[]{0, 3}, DType.FLOAT32, d).sum(0)),
            new Check("cumsum", F32_SUMS, d -> randn(d, 1, 6, 40).cumsum(1).add(ints(d, 2, 6, 40).cumsum(0).float_())),
            new Check("matmul [37,29] @ [29,41]", F32_SUMS, d -> randn(d, 1, 37, 29).matmul(randn(d, 2, 29, 41))),
            new Check("matmul of transposed operands", F32_SUMS, d -> randn(d, 1, 29, 37).t().matmul(randn(d, 2, 41, 29).t())),
            new Check("bmm [3,5,7] @ [3,7,4]", F32_SUMS, d -> randn(d, 1, 3, 5, 7).bmm(randn(d, 2, 3, 7, 4))),
            new Check("matmul broadcast batch", F32_SUMS, d -> randn(d, 1, 4, 6, 5).matmul(randn(d, 2, 5, 3))),
            new Check("float16 matmul", F16, d -> randn(d, 1, 16, 33).half().matmul(randn(d, 2, 33, 8).half())),
            new Check("bfloat16 matmul", BF16, d -> randn(d, 1, 16, 33).bfloat16().matmul(randn(d, 2, 33, 8).bfloat16())),
            new Check("float64 matmul", F64, d -> randn(d, 1, 16, 33).double_().matmul(randn(d, 2, 33, 8).double_())),
            new Check("int64 matmul", EXACT, d -> ints(d, 1, 6, 9).matmul(ints(d, 2, 9, 4))),
            new Check("rand float32 (same stream as the CPU)", EXACT,
                    d -> Creation.random(new int[]{1001}, DType.FLOAT32, d, new Generator(5), RandomOp.UNIFORM, -2, 3)),
            new Check("randn float32", F32, d -> Creation.random(new int[]{999}, DType.FLOAT32, d, new Generator(6), RandomOp.NORMAL, 0, 1)),
            new Check("randn float64", 1e-14, d -> Creation.random(new int[]{999}, DType.FLOAT64, d, new Generator(7), RandomOp.NORMAL, 1, 2)),
            new Check("randint, bernoulli", EXACT, d -> Creation.random(new int[]{500}, DType.INT64, d, new Generator(8),
                    RandomOp.INTEGERS, -5, 9).add(Creation.random(new int[]{500}, DType.FLOAT32, d, new Generator(9),
                    RandomOp.BERNOULLI, 0.3, 0).long_())),
            new Check("backward of matmul, relu, sum", F32_SUMS, d -> {
                Tensor w = randn(d, 2, 19, 11).requiresGrad(true);
                randn(d, 1, 23, 19).matmul(w).relu().sum().backward();
                return w.grad();
            }),
            new Check("backward of softmax, logsumexp", F32_SUMS, d -> {
                Tensor x = randn(d, 1, 7, 13).requiresGrad(true);
                x.softmax(1).mul(randn(d, 2, 7, 13)).sum().add(x.logsumexp(0).sum()).backward();
                return x.grad();
            }));
    }
}
