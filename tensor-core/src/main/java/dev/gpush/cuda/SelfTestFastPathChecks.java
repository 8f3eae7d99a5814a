package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;

/**
 * Computations for the self-test checks of the fast paths: the contiguous elementwise kernels (Note [contiguous
 * kernels]: 16-byte vectors, the elements before the first boundary and after the last whole vector, operands whose
 * misalignments differ, scalar operands) and the reduction plans ({@link ReducePlan}: one thread, a warp or a block
 * an output element, rows cut into chunks and combined by a second pass). Sizes are odd on purpose, so every path
 * has a tail.
 */
final class SelfTestFastPathChecks {
    private SelfTestFastPathChecks() {}

    /** 2^20 + 3: whole vectors of every dtype, and a tail. */
    static final int LARGE = (1 << 20) + 3;
    /** 2^22 + 1: a full reduction cut into many chunks. */
    static final int HUGE = (1 << 22) + 1;

    private static Tensor randn(Device d, long seed, int... shape) { return Tensor.randn(new Generator(seed), shape).to(d); }

    /** Values with many ties: argmax and argmin must still pick the first position. */
    private static Tensor ties(Device d, long seed, int... shape) { return randn(d, seed, shape).mul(3).round(); }

    /**
     * In {@code dtype}: an aligned add (vectors and a tail), an add of two slices starting at element 1 into a fresh
     * tensor (misalignments differ: element by element), a product with a scalar, a unary op, and a copy between
     * two slices at element 1 (the same misalignment: a head, then vectors).
     */
    static Tensor elementwise(Device d, DType dtype) {
        Tensor a = randn(d, 1, LARGE + 1).to(dtype), b = randn(d, 2, LARGE + 1).to(dtype);
        Tensor a1 = a.slice(0, 1, LARGE + 1), b1 = b.slice(0, 1, LARGE + 1);
        Tensor copied = Tensor.zeros(new int[]{LARGE + 1}, dtype, d);
        copied.slice(0, 1, LARGE + 1).copy_(b1);
        return Tensor.cat(0, a.add(b), a1.add(b1), a1.mul(Tensor.full(new int[0], 0.5, dtype, d)), a1.neg(), copied)
                .to(DType.FLOAT64);
    }

    /** int64, int32 and bool through the same kernels: add, multiply by a scalar, logical and. */
    static Tensor integers(Device d) {
        Tensor a = Tensor.randint(new Generator(1), -50, 50, LARGE + 1).to(d), b = Tensor.randint(new Generator(2), -50, 50, LARGE).to(d);
        Tensor a1 = a.slice(0, 1, LARGE + 1);
        Tensor i32 = a1.int_().add(b.int_()).mul(Tensor.full(new int[0], 3, DType.INT32, d)).long_();
        Tensor bools = a1.gt(0).logicalAnd(b.lt(10)).long_();
        return Tensor.cat(0, a1.add(b), i32, bools, Tensor.full(new int[]{LARGE}, 7, DType.INT64, d));
    }

    /** Fills of an odd length in every floating dtype. */
    static Tensor fills(Device d) {
        return Tensor.cat(0, Tensor.full(new int[]{LARGE}, 2.5, DType.FLOAT16, d).float_(),
                Tensor.full(new int[]{LARGE}, 1 / 3.0, DType.BFLOAT16, d).float_(),
                Tensor.full(new int[]{LARGE}, 1 / 3.0, DType.FLOAT64, d).float_(),
                Tensor.full(new int[]{LARGE}, -0.75, DType.FLOAT32, d));
    }

    /** A full float32 sum and mean of {@link #HUGE} elements, and of a slice starting at element 1. */
    static Tensor fullSum(Device d) {
        Tensor x = randn(d, 3, HUGE);
        return Tensor.cat(0, x.sum().reshape(1), x.mean().reshape(1), x.slice(0, 1, HUGE).sum().reshape(1));
    }

    /** max, min, argmax and argmin of {@link #HUGE} elements with many ties, and the first NaN's position. */
    static Tensor fullExtremes(Device d) {
        Tensor x = ties(d, 4, HUGE), nans = randn(d, 5, HUGE).log();   // NaN wherever randn was negative
        return Tensor.cat(0, x.max().double_().reshape(1), x.min().double_().reshape(1), x.argmax().double_().reshape(1),
                x.argmin().double_().reshape(1), nans.argmax().double_().reshape(1), nans.argmin().double_().reshape(1));
    }

    /** Sums along each dim of [3, 100003] and [100003, 3]: few long rows, many short ones, both strides. */
    static Tensor sumsAlongEachDim(Device d) {
        Tensor wide = randn(d, 6, 3, 100003), tall = randn(d, 7, 100003, 3);
        return Tensor.cat(0, wide.sum(0), wide.sum(1), tall.sum(0), tall.sum(1));
    }

    /** max and argmax with many outputs: rows of 7 (a thread each), of 300 (a warp each), and down columns. */
    static Tensor manyOutputExtremes(Device d) {
        Tensor a = ties(d, 8, 100003, 7), b = ties(d, 9, 2000, 300), c = ties(d, 10, 5, 100003);
        return Tensor.cat(0, a.amax(1, false).double_(), a.argmax(1).double_(), b.amax(1, false).double_(),
                b.argmin(1).double_(), c.argmax(0).double_(), c.amin(0, false).double_());
    }

    /** int64 sums: full, along a long row, down columns (exact on both devices). */
    static Tensor int64Sums(Device d) {
        Tensor x = Tensor.randint(new Generator(11), -1000, 1000, 100003, 3).to(d);
        return Tensor.cat(0, x.sum().reshape(1), x.sum(0), x.sum(1), x.t().sum(1), x.amax(0, false));
    }
}
