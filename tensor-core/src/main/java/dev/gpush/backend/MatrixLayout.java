package dev.gpush.backend;

import dev.gpush.tensor.Tensor;

/**
 * How a batch of matrices ([batch, rows, cols]) lies in memory, as BLAS wants to be told: row-major, column-major
 * (a transposed view), or neither. Shared by the CPU's OpenBLAS path and cuBLAS.
 */
public final class MatrixLayout {
    private MatrixLayout() {}

    /**
     * {transposed ? 1 : 0, leading dim} when the last two dims are row- or column-major with a usable leading
     * dimension, else null (the caller copies the matrix first). A dim of size 1 fits either way.
     */
    public static int[] of(Tensor t) {
        int r = t.shapeRef()[1], c = t.shapeRef()[2], sr = t.strideRef()[1], sc = t.strideRef()[2];
        if (sc == 1 || c == 1) {
            int ld = r == 1 ? Math.max(c, 1) : sr;
            if (ld >= Math.max(c, 1)) return new int[]{0, ld};
        }
        if (sr == 1 || r == 1) {
            int ld = c == 1 ? Math.max(r, 1) : sc;
            if (ld >= Math.max(r, 1)) return new int[]{1, ld};
        }
        return null;
    }
}
