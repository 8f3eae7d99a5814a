package dev.gpush.cuda;

import dev.gpush.backend.ReduceOp;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;

/**
 * Reductions and prefix sums on a CUDA device, through reduce.cu. The input's dims split into outer (kept) and
 * inner (reduced) ones, the CPU's Reduce split: one block reduces one output element, whose inner elements it reads
 * with the input's strides. Floating inputs accumulate in double, integers in long long (Note [compute in double]).
 * The kernels hold the outer and inner strides in one GpOperand, so an input of more than 8 dims is refused.
 */
final class CudaReduce {
    private CudaReduce() {}

    static final int THREADS = 256;   // GP_REDUCE_THREADS in reduce.cu

    static void reduce(CudaDevice dev, ReduceOp op, Tensor out, Tensor a, int[] dims) {
        int n = a.dim();
        if (n > Layout.MAX_DIMS)
            throw new UnsupportedOperationException(op + " of a tensor of more than " + Layout.MAX_DIMS + " dims is not yet on CUDA");
        int[] shape = a.shapeRef(), st = a.strideRef();
        int no = n - dims.length;
        int[] oShape = new int[no], iShape = new int[dims.length], strides = new int[n];
        for (int d = 0, jo = 0, ji = 0; d < n; d++) {
            if (Arrays.binarySearch(dims, d) >= 0) {
                iShape[ji] = shape[d];
                strides[no + ji++] = st[d];
            } else {
                oShape[jo] = shape[d];
                strides[jo++] = st[d];
            }
        }
        long outer = 1, inner = 1;
        for (int s : oShape) outer *= s;
        for (int s : iShape) inner *= s;
        if (outer == 0) return;
        long[] r = new long[2 * Layout.STRUCT_WORDS];
        System.arraycopy(shapeWords(oShape, outer), 0, r, 0, Layout.STRUCT_WORDS);
        System.arraycopy(shapeWords(iShape, inner), 0, r, Layout.STRUCT_WORDS, Layout.STRUCT_WORDS);
        long[] in = Layout.operand(CudaElementwise.address(a), a.dtype().ordinal(), strides);
        long[] o = Layout.operand(CudaElementwise.address(out), out.dtype().ordinal(), new int[0]);
        String kernel = a.dtype().isFloatingPoint() ? "reduce_f64" : "reduce_i64";
        dev.kernels().launchGrid(kernel, (int) Math.min(outer, Kernels.MAX_BLOCKS), THREADS, op.ordinal(), r, o, in);
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
