package dev.gpush.cuda;

import dev.gpush.backend.RandomOp;
import dev.gpush.nn.F;
import dev.gpush.nn.Reduction;
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

    /** Indices in [0, high), int64; many repeat, so scatters and index adds meet duplicates. */
    private static Tensor index(Device d, long seed, int high, int... shape) {
        return Tensor.randint(new Generator(seed), 0, high, shape).to(d);
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
            // the contiguous kernels and the reduction plans (SelfTestFastPathChecks)
            new Check("contiguous add/mul/neg/copy 2^20+3, slices at 1, f32", F32, d -> SelfTestFastPathChecks.elementwise(d, DType.FLOAT32)),
            new Check("contiguous add/mul/neg/copy 2^20+3, slices at 1, f16", F16, d -> SelfTestFastPathChecks.elementwise(d, DType.FLOAT16)),
            new Check("contiguous add/mul/neg/copy 2^20+3, slices at 1, bf16", BF16, d -> SelfTestFastPathChecks.elementwise(d, DType.BFLOAT16)),
            new Check("contiguous add/mul/neg/copy 2^20+3, slices at 1, f64", F64, d -> SelfTestFastPathChecks.elementwise(d, DType.FLOAT64)),
            new Check("contiguous int64, int32, bool ops 2^20+3", EXACT, SelfTestFastPathChecks::integers),
            new Check("contiguous fills 2^20+3, f16, bf16, f64, f32", EXACT, SelfTestFastPathChecks::fills),
            new Check("full sum and mean of 2^22+1 float32", F32_SUMS, SelfTestFastPathChecks::fullSum),
            new Check("max, argmax, argmin of 2^22+1 (ties, NaN)", EXACT, SelfTestFastPathChecks::fullExtremes),
            new Check("sums along each dim of [3,100003], [100003,3]", F32_SUMS, SelfTestFastPathChecks::sumsAlongEachDim),
            new Check("max/argmax/argmin with many outputs (ties)", EXACT, SelfTestFastPathChecks::manyOutputExtremes),
            new Check("int64 sums full, along and across [100003,3]", EXACT, SelfTestFastPathChecks::int64Sums),
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
            new Check("gather along a dim (cross-entropy's pick)", F32_SUMS, d -> randn(d, 1, 9, 13).gather(1, index(d, 2, 13, 9, 3))
                    .add(randn(d, 3, 6, 5).t().gather(0, index(d, 4, 5, 4, 6)).sum())),
            new Check("indexSelect of a transposed table, int32 index", EXACT, d -> randn(d, 1, 11, 20).indexSelect(0,
                    index(d, 2, 11, 30)).add(randn(d, 3, 25, 20).t().indexSelect(1, index(d, 4, 25, 30).int_()).t())),
            new Check("float16 indexSelect, bool gather", EXACT, d -> randn(d, 1, 9, 8).half().indexSelect(1, index(d, 2, 8, 5))
                    .float_().add(randn(d, 3, 9, 8).gt(0).gather(1, index(d, 4, 8, 9, 5)).float_())),
            new Check("scatter with duplicates (last wins)", EXACT, d -> randn(d, 1, 8, 10).scatter(1, index(d, 2, 10, 8, 25),
                    randn(d, 3, 8, 30)).add(randn(d, 4, 8, 10).scatter(0, index(d, 5, 8, 20, 10), 7.5))),
            new Check("scatterAdd with duplicates, int64 and float32", EXACT, d -> ints(d, 1, 5, 9)
                    .scatterAdd(0, index(d, 2, 5, 40, 9), ints(d, 3, 40, 9)).float_()
                    .add(randn(d, 4, 5, 9).scatterAdd(0, index(d, 5, 5, 40, 9), randn(d, 6, 40, 9)))),
            new Check("indexAdd with duplicates, float32 and int64", F32_SUMS, d -> randn(d, 1, 7, 12)
                    .indexAdd(0, index(d, 2, 7, 50), randn(d, 3, 50, 12)).add(ints(d, 4, 12, 7).t()
                    .indexAdd(1, index(d, 5, 12, 50), ints(d, 6, 50, 7).t()).float_())),
            new Check("float16 and bfloat16 indexAdd", BF16, d -> randn(d, 1, 6, 9).half()
                    .indexAdd(1, index(d, 2, 9, 31), randn(d, 3, 6, 31).half()).float_().add(randn(d, 4, 5, 9).bfloat16()
                    .indexAdd(0, index(d, 5, 5, 17), randn(d, 6, 17, 9).bfloat16()).float_().sum(0))),
            new Check("nonzero", EXACT, d -> randn(d, 1, 9, 1, 11).gt(0.5).nonzero().add(1)
                    .sum(0).add(ints(d, 2, 300).nonzero().sum())),
            new Check("nonzero of an empty tensor, of a 0-d tensor", EXACT, d -> Tensor.zeros(new int[]{0, 4}, DType.FLOAT32, d)
                    .nonzero().add(Tensor.ones(new int[]{3, 2}, DType.INT64, d).gt(0).nonzero().sum())
                    .float_().sum().add(Tensor.full(new int[0], 2.0, DType.FLOAT32, d).nonzero().float_().sum())),
            new Check("unfold2d and fold (conv2d, stride 2, padding, dilation)", F32_SUMS, d -> F.conv2d(randn(d, 1, 2, 3, 11, 9),
                    randn(d, 2, 4, 3, 3, 2), randn(d, 3, 4), new int[]{2, 1}, new int[]{1, 2}, new int[]{2, 1}, 1)),
            new Check("fold (col2im) of overlapping windows, float64", F64, d -> F.fold(randn(d, 1, 2, 3 * 3 * 2, 7 * 4)
                    .double_(), new int[]{7, 6}, new int[]{3, 2}, new int[]{1, 2}, new int[]{1, 0}, new int[]{1, 1})),
            new Check("backward of embedding and cross-entropy", F32_SUMS, d -> {
                Tensor table = randn(d, 1, 17, 6).requiresGrad(true);
                Tensor logits = F.embedding(index(d, 2, 17, 4, 5), table).matmul(randn(d, 3, 6, 9)).reshape(20, 9);
                F.crossEntropy(logits, index(d, 4, 9, 20), Reduction.MEAN).backward();
                return table.grad();
            }),
            new Check("backward of conv2d and maxPool2d", F32_SUMS, d -> {
                Tensor w = randn(d, 1, 3, 2, 3, 3).requiresGrad(true);
                F.maxPool2d(F.conv2d(randn(d, 2, 2, 2, 10, 9), w, null, 1, 1), 2).sum().backward();
                return w.grad();
            }),
            // cuDNN (CudnnConv, CudnnPool, CudnnBatchNorm); without cuDNN these run the composites and still agree
            new Check("conv2d groups 2, stride, padding, dilation, bias", F32_SUMS, d -> F.conv2d(randn(d, 1, 2, 4, 11, 10),
                    randn(d, 2, 6, 2, 3, 3), randn(d, 3, 6), new int[]{2, 1}, new int[]{1, 2}, new int[]{2, 1}, 2)),
            new Check("conv2d of a permuted (channels-last) input", F32_SUMS, d -> F.conv2d(randn(d, 1, 3, 9, 8, 5)
                    .permute(0, 3, 1, 2), randn(d, 2, 4, 5, 2, 2), null, 1, 0)),
            new Check("conv2d float64, float16", F16, d -> F.conv2d(randn(d, 1, 2, 3, 8, 7).double_(),
                    randn(d, 2, 5, 3, 3, 3).double_(), randn(d, 3, 5).double_(), 1, 1).float_().add(F.conv2d(
                    randn(d, 4, 2, 3, 8, 7).half(), randn(d, 5, 5, 3, 3, 3).half(), null, 1, 1).float_())),
            new Check("backward of conv2d: input, weight, bias (groups 3, stride 2)", F32_SUMS, d -> {
                Tensor x = randn(d, 1, 2, 6, 9, 8).requiresGrad(true), w = randn(d, 2, 9, 2, 3, 2).requiresGrad(true);
                Tensor b = randn(d, 3, 9).requiresGrad(true);
                F.conv2d(x, w, b, new int[]{2, 2}, new int[]{1, 0}, new int[]{1, 2}, 3).mul(randn(d, 4, 2, 9, 5, 3))
                        .sum().backward();
                return Tensor.cat(0, x.grad().flatten(), w.grad().flatten(), b.grad());
            }),
            new Check("maxPool2d 3x3 stride 2 padding 1", EXACT, d -> F.maxPool2d(randn(d, 1, 2, 3, 11, 8),
                    new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false)),
            new Check("avgPool2d padding (count_include_pad both ways), ceil mode", F32, d -> {
                Tensor x = randn(d, 1, 2, 3, 10, 9);
                int[] k = {3, 2}, s = {2, 2}, p = {1, 1};
                return Tensor.cat(0, F.avgPool2d(x, k, s, p, false, true, null).flatten(),
                        F.avgPool2d(x, k, s, p, false, false, null).flatten(),
                        F.avgPool2d(x, k, s, p, true, false, null).flatten());
            }),
            new Check("backward of maxPool2d and avgPool2d (padding)", F32_SUMS, d -> {
                Tensor x = randn(d, 1, 2, 3, 9, 10).requiresGrad(true);
                F.maxPool2d(x, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false)
                        .mul(randn(d, 2, 2, 3, 5, 5)).sum()
                        .add(F.avgPool2d(x, new int[]{2, 3}, new int[]{2, 1}, new int[]{1, 1}, false, false, null)
                        .mul(randn(d, 3, 2, 3, 5, 10)).sum()).backward();
                return x.grad();
            }),
            new Check("batchNorm2d training: output, running mean and variance", F32_SUMS, d -> {
                var bn = new dev.gpush.nn.BatchNorm2d(3);
                bn.to(d);
                Tensor y = bn.forward(randn(d, 1, 4, 3, 5, 6).mul(2).add(1));
                return Tensor.cat(0, y.flatten(), bn.runningMean, bn.runningVar);
            }),
            new Check("batchNorm1d eval, float64", F64, d -> {
                var bn = new dev.gpush.nn.BatchNorm1d(5);
                bn.to(d, DType.FLOAT64);
                bn.forward(randn(d, 1, 6, 5, 4).double_());
                bn.eval();
                return bn.forward(randn(d, 2, 7, 5, 3).double_());
            }),
            new Check("backward of batchNorm2d training: input, weight, bias", F32_SUMS, d -> {
                var bn = new dev.gpush.nn.BatchNorm2d(4);
                bn.to(d);
                Tensor x = randn(d, 1, 3, 4, 5, 2).requiresGrad(true);
                bn.forward(x).mul(randn(d, 2, 3, 4, 5, 2)).sum().backward();
                return Tensor.cat(0, x.grad().flatten(), bn.weight.grad(), bn.bias.grad());
            }),
            new Check("backward of matmul, relu, sum", F32_SUMS, d -> {
                Tensor w = randn(d, 2, 19, 11).requiresGrad(true);
                randn(d, 1, 23, 19).matmul(w).relu().sum().backward();
                return w.grad();
            }),
            new Check("backward of softmax, logsumexp", F32_SUMS, d -> {
                Tensor x = randn(d, 1, 7, 13).requiresGrad(true);
                x.softmax(1).mul(randn(d, 2, 7, 13)).sum().add(x.logsumexp(0).sum()).backward();
                return x.grad();
            }),
            // the fused kernels of norms.cu and optim.cu (SelfTestFusedChecks)
            new Check("fused softmax, rows of 1, 7, 1000, 4097", F32, d -> SelfTestFusedChecks.softmax(d, false, DType.FLOAT32)),
            new Check("fused log_softmax, rows of 1, 7, 1000, 4097", F32, d -> SelfTestFusedChecks.softmax(d, true, DType.FLOAT32)),
            new Check("fused softmax, log_softmax float64", F64, d -> Tensor.cat(0,
                    SelfTestFusedChecks.softmax(d, false, DType.FLOAT64), SelfTestFusedChecks.softmax(d, true, DType.FLOAT64))),
            new Check("fused softmax of 600000 rows (grid-stride)", F32, SelfTestFusedChecks::softmaxManyRows),
            new Check("fused softmax backward", F32_SUMS, d -> SelfTestFusedChecks.softmaxBackward(d, false)),
            new Check("fused log_softmax backward", F32_SUMS, d -> SelfTestFusedChecks.softmaxBackward(d, true)),
            new Check("fused layer norm +- weight and bias, backward", F32_SUMS, d -> SelfTestFusedChecks.layerNorm(d, DType.FLOAT32)),
            new Check("fused layer norm float64, backward", F64, d -> SelfTestFusedChecks.layerNorm(d, DType.FLOAT64)),
            new Check("cross-entropy (+ label smoothing), backward", F32_SUMS, SelfTestFusedChecks::crossEntropy),
            new Check("fused Adam step (L2 decay, amsgrad)", EXACT, d -> SelfTestFusedChecks.adam(d, false, DType.FLOAT32)),
            new Check("fused AdamW step (maximize)", EXACT, d -> SelfTestFusedChecks.adam(d, true, DType.FLOAT32)),
            new Check("fused AdamW step float64", EXACT, d -> SelfTestFusedChecks.adam(d, true, DType.FLOAT64)));
    }
}
