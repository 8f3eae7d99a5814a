package dev.gpush.cuda;

import dev.gpush.backend.ReduceOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * Reductions and prefix sums on a CUDA device, through reduce.cu. The input's dims split into outer (kept) and
 * inner (reduced) ones, the CPU's Reduce split, and each side is coalesced (Note [coalescing dims]), so a reduction
 * over the last dims of a contiguous tensor walks one inner dim without divisions. {@link ReducePlan} decides how
 * many threads fold one output element and whether long rows are cut into chunks combined by a second pass.
 * Floating inputs accumulate in double, integers in long long (Note [compute in double]). The kernels hold the
 * outer and inner strides in one GpOperand, so an input of more than 8 dims that do not coalesce is refused.
 */
final class CudaReduce {
    private CudaReduce() {}

    static final int THREADS = ReducePlan.THREADS;   // GP_REDUCE_THREADS in reduce.cu
    private static final int PART_WORDS = 3;          // a GpPart: double v, long long lv, long long index

    static void reduce(CudaDevice dev, ReduceOp op, Tensor out, Tensor a, int[] dims) {
        int n = a.dim();
        int[] shape = a.shapeRef(), st = a.strideRef();
        int no = n - dims.length;
        int[] oShape = new int[no], oStrides = new int[no], iShape = new int[dims.length], iStrides = new int[dims.length];
        for (int d = 0, jo = 0, ji = 0; d < n; d++) {
            if (Arrays.binarySearch(dims, d) >= 0) {
                iShape[ji] = shape[d];
                iStrides[ji++] = st[d];
            } else {
                oShape[jo] = shape[d];
                oStrides[jo++] = st[d];
            }
        }
        Layout outer = Layout.of(oShape, oStrides), inner = Layout.of(iShape, iStrides);
        if (outer.dims() + inner.dims() > Layout.MAX_DIMS)
            throw new UnsupportedOperationException(op + " of a view of more than " + Layout.MAX_DIMS
                    + " non-mergeable dims is not yet on CUDA");
        long outputs = outer.numel(), positions = inner.numel();
        if (outputs == 0) return;
        int[] strides = new int[outer.dims() + inner.dims()];
        System.arraycopy(outer.strides[0], 0, strides, 0, outer.dims());
        System.arraycopy(inner.strides[0], 0, strides, outer.dims(), inner.dims());
        boolean alongOutputs = outer.dims() > 0 && outer.strides[0][outer.dims() - 1] == 1
                && !(inner.dims() > 0 && inner.strides[0][inner.dims() - 1] == 1);
        ReducePlan plan = ReducePlan.of(outputs, positions, alongOutputs, dev.properties().multiProcessorCount());

        long[] r = new long[2 * Layout.STRUCT_WORDS];
        System.arraycopy(outer.shapeStruct(op.toString()), 0, r, 0, Layout.STRUCT_WORDS);
        System.arraycopy(inner.shapeStruct(op.toString()), 0, r, Layout.STRUCT_WORDS, Layout.STRUCT_WORDS);
        long[] in = Layout.operand(CudaElementwise.address(a), a.dtype().ordinal(), strides);
        long[] o = Layout.operand(CudaElementwise.address(out), out.dtype().ordinal(), new int[0]);
        String type = a.dtype().isFloatingPoint() ? "f64" : "i64";
        if (plan.chunks() == 1) {
            dev.kernels().launchGrid("reduce_" + type, plan.blocks(outputs), THREADS, op.ordinal(), r, o, in,
                    new long[]{plan.lanes(), 1, 0});
            return;
        }
        // The partials live until reduce_parts has read them: both kernels and the buffer's return to the
        // allocator are ordered on the current stream, so the memory is reused only after the second pass.
        try (Tensor parts = partials(dev, plan.groups(outputs))) {
            long[] p = {plan.lanes(), plan.chunks(), CudaElementwise.address(parts)};
            dev.kernels().launchGrid("reduce_" + type, plan.blocks(outputs), THREADS, op.ordinal(), r, o, in, p);
            dev.kernels().launchGrid("reduce_parts_" + type, ReducePlan.partsBlocks(outputs), THREADS, op.ordinal(),
                    outputs, p, o);
        }
    }

    /** Room for {@code count} GpParts, uninitialised: the first pass writes every one. */
    private static Tensor partials(CudaDevice dev, long count) {
        int words = Math.toIntExact(count * PART_WORDS);
        return new Tensor(new CudaStorage(dev, DType.INT64, words), new int[]{words}, new int[]{1}, 0, false);
    }

    private static long[] shapeWords(int[] shape, long numel) {
        long[] w = new long[Layout.STRUCT_WORDS];
        w[0] = shape.length;
        w[1] = numel;
        for (int d = 0; d < Layout.MAX_DIMS; d++) w[2 + d] = d < shape.length ? shape[d] : 1;
        return w;
    }

    static void cumsum(CudaDevice dev, Tensor out, Tensor a, int dim) {
        int n = a.dim();
        if (n - 1 > Layout.MAX_DIMS)
            throw new UnsupportedOperationException("cumsum of a tensor of more than " + (Layout.MAX_DIMS + 1) + " dims is not yet on CUDA");
        int[] lShape = new int[n - 1], lA = new int[n - 1], lO = new int[n - 1];
        for (int d = 0, j = 0; d < n; d++)
            if (d != dim) {
                lShape[j] = a.shapeRef()[d];
                lA[j] = a.strideRef()[d];
                lO[j++] = out.strideRef()[d];
            }
        long lines = 1;
        for (int s : lShape) lines *= s;
        long[] o = Layout.operand(CudaElementwise.address(out), out.dtype().ordinal(), lO);
        long[] in = Layout.operand(CudaElementwise.address(a), a.dtype().ordinal(), lA);
        String kernel = out.dtype().isFloatingPoint() ? "cumsum_f64" : "cumsum_i64";
        dev.kernels().launchOver(kernel, lines, shapeWords(lShape, lines), o, in, (long) a.shapeRef()[dim],
                (long) a.strideRef()[dim], (long) out.strideRef()[dim]);
    }
}
