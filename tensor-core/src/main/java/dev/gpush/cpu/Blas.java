package dev.gpush.cpu;

/**
 * Row-major GEMM through OpenBLAS, reading the Java arrays in place. Falls back to {@link Gemm}'s Java loops
 * where OpenBLAS cannot be loaded.
 */
final class Blas {
    private Blas() {}

    static boolean available() { return false; }

    /** {@code c[m x n] = op(a)[m x k] * op(b)[k x n]}, arrays are float[] or double[], row-major with leading dims. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, Object a, int aOff, int lda,
                     Object b, int bOff, int ldb, Object c, int cOff, int ldc) {
        throw new UnsupportedOperationException("OpenBLAS is not loaded");
    }
}
