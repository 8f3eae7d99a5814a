package dev.gpush.cuda;

import java.util.Arrays;

/**
 * The iteration shape and per-operand strides an elementwise kernel walks, as the {@code long[]} structs the
 * prelude declares: {@code GpShape {ndim, numel, size[8]}} and {@code GpOperand {data, dtype, stride[8]}}.
 *
 * <p>Note [coalescing dims] (PyTorch's TensorIterator does the same): dims of size 1 are dropped, and two
 * neighbouring dims merge when every operand steps over them as over one dim ({@code stride[d] == size[d+1] *
 * stride[d+1]}). A contiguous tensor of any rank becomes one dim, so kernels index with one division, and
 * only genuinely strided views of more than {@link #MAX_DIMS} dims are refused.
 */
final class Layout {
    static final int MAX_DIMS = 8;        // GP_MAX_DIMS in the prelude
    static final int STRUCT_WORDS = 2 + MAX_DIMS;

    final int[] shape;
    final int[][] strides;                // strides[operand][dim]

    private Layout(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    /** Coalesces {@code shape} with each operand's strides over it (Note [coalescing dims]). */
    static Layout of(int[] shape, int[]... strides) {
        int n = 0;
        for (int size : shape) if (size != 1) n++;
        int[] sh = new int[n];
        int[][] st = new int[strides.length][n];
        for (int d = 0, i = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            sh[i] = shape[d];
            for (int o = 0; o < strides.length; o++) st[o][i] = strides[o][d];
            i++;
        }
        int k = n == 0 ? 0 : 1;   // dims kept so far; dim k-1 is the last kept
        for (int d = 1; d < n; d++) {
            boolean merge = true;
            for (int[] s : st) merge &= s[k - 1] == (long) sh[d] * s[d];
            if (merge) {
                sh[k - 1] *= sh[d];
                for (int[] s : st) s[k - 1] = s[d];
            } else {
                sh[k] = sh[d];
                for (int[] s : st) s[k] = s[d];
                k++;
            }
        }
        if (k == n) return new Layout(sh, st);
        int[][] outStrides = new int[strides.length][];
        for (int o = 0; o < strides.length; o++) outStrides[o] = Arrays.copyOf(st[o], k);
        return new Layout(Arrays.copyOf(sh, k), outStrides);
    }

    int dims() { return shape.length; }

    long numel() {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** The GpShape struct. */
    long[] shapeStruct(String op) {
        if (shape.length > MAX_DIMS)
            throw new UnsupportedOperationException(op + " over a view of more than " + MAX_DIMS
                    + " non-mergeable dims is not yet on CUDA");
        long[] w = new long[STRUCT_WORDS];
        w[0] = shape.length;
        w[1] = numel();
        for (int d = 0; d < MAX_DIMS; d++) w[2 + d] = d < shape.length ? shape[d] : 1;
        return w;
    }

    /** The GpOperand struct of operand {@code o}: its element 0's address, dtype and strides. */
    long[] operandStruct(int o, long address, int dtypeCode) {
        return operand(address, dtypeCode, strides[o]);
    }

    static long[] operand(long address, int dtypeCode, int[] strides) {
        long[] w = new long[STRUCT_WORDS];
        w[0] = address;
        w[1] = dtypeCode;
        for (int d = 0; d < strides.length && d < MAX_DIMS; d++) w[2 + d] = strides[d];
        return w;
    }
}
