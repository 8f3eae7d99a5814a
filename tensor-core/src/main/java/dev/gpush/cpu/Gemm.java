package dev.gpush.cpu;

import dev.gpush.backend.MatrixLayout;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * Batched matrix products: out [B, M, N] = a [B, M, K] @ b [B, K, N]. Floating point goes to OpenBLAS: float32
 * and float64 operands in place when their matrices are row- or column-major, others copied once (Note [BLAS
 * operands]). Integers, and every type where OpenBLAS can't load, go through Java loops in double or long.
 *
 * <p>Note [batches and OpenBLAS threads]: OpenBLAS threads one product by itself once m*n*k reaches
 * {@link Blas#THREADED_MNK}, so such products run one after the other, each on all threads: handing them
 * to the pool would run pool threads x OpenBLAS threads workers on the cores, and measured no faster. Below
 * that size each call runs on its caller only, and the batches go over the pool instead. Measured on 2
 * cores, float32, square n x n, GFLOP/s sequential vs over the pool: B=256 n=32 65 vs 113; B=64 n=64 90 vs 150;
 * B=16 n=128 174 vs 168; B=8 n=256 215 vs 210; B=2 n=1024 227 vs 227. Pool batches on 1-thread OpenBLAS would
 * win ~15% at n=128, but the thread count is global to OpenBLAS, and switching it per call would slow down
 * any other thread's product running at the same time.
 */
final class Gemm {
    private Gemm() {}

    static void matmul(Tensor out, Tensor a, Tensor b) {
        int batches = out.shapeRef()[0], m = out.shapeRef()[1], n = out.shapeRef()[2], k = a.shapeRef()[2];
        if (out.numel() == 0) return;
        if (k == 0) {
            Elementwise.fill(out, 0);
            return;
        }
        DType dt = out.dtype();
        if (dt.isFloatingPoint() && Blas.available()) {
            // Note [BLAS operands]: float16/bfloat16 compute in float32 and operands in a layout BLAS can't
            // read (a broadcast gradient has a stride-0 matrix dim) are copied once; both beat the Java loops
            DType compute = dt == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
            Tensor c = dt == compute ? out : contiguous(out.shapeRef(), compute);
            blas(c, blasReady(a, compute), blasReady(b, compute), batches, m, n, k);
            if (c != out) Elementwise.copy(out, c);
            return;
        }
        javaGemm(out, a, b, batches, m, n, k);
    }

    private static Tensor contiguous(int[] shape, DType dtype) {
        return new Tensor(new CpuStorage(dtype, dev.gpush.tensor.Shapes.numel(shape)), shape.clone(),
                dev.gpush.tensor.Shapes.contiguousStrides(shape), 0, false);
    }

    /** {@code t} itself when BLAS can read it in {@code dtype}, else a contiguous copy. */
    private static Tensor blasReady(Tensor t, DType dtype) {
        if (t.dtype() == dtype && MatrixLayout.of(t) != null) return t;
        Tensor c = contiguous(t.shapeRef(), dtype);
        Elementwise.copy(c, t);
        return c;
    }

    private static void blas(Tensor out, Tensor a, Tensor b, int batches, int m, int n, int k) {
        Object aa = ((CpuStorage) a.storage()).data(), ba = ((CpuStorage) b.storage()).data(),
                ca = ((CpuStorage) out.storage()).data();
        int[] la = MatrixLayout.of(a), lb = MatrixLayout.of(b);
        Parallel.Body body = (lo, hi) -> {
            for (int i = lo; i < hi; i++)
                Blas.gemm(la[0] == 1, lb[0] == 1, m, n, k,
                        aa, a.storageOffset() + i * a.strideRef()[0], la[1],
                        ba, b.storageOffset() + i * b.strideRef()[0], lb[1],
                        ca, out.storageOffset() + i * m * n, n);
        };
        // Note [batches and OpenBLAS threads]
        if ((long) m * n * k < Blas.THREADED_MNK) Parallel.range(batches, 1, body);
        else body.run(0, batches);
    }


    /** The Java loops, in double (or long for integers); package-private so tests can hold BLAS against them. */
    static void javaGemm(Tensor out, Tensor a, Tensor b, int batches, int m, int n, int k) {
        boolean lng = !out.dtype().isFloatingPoint();
        Strided sa = new Strided(a), sb = new Strided(b), so = new Strided(out);
        // one task per (batch, block of rows); B is loaded once per task
        int rowsPerTask = Math.max(1, 64 * 1024 / Math.max(1, n * k));
        int tasksPerBatch = (m + rowsPerTask - 1) / rowsPerTask;
        Parallel.range(batches * tasksPerBatch, 1, (lo, hi) -> {
            int[] offs = new int[Math.max(k * n, m * Math.max(k, n))];
            for (int t = lo; t < hi; t++) {
                int bi = t / tasksPerBatch, r0 = (t % tasksPerBatch) * rowsPerTask, r1 = Math.min(m, r0 + rowsPerTask);
                int rows = r1 - r0;
                if (lng) {
                    long[] bm = new long[k * n], am = new long[rows * k], cm = new long[rows * n];
                    Typed.load(sb, bi * k * n, k * n, bm, offs);
                    Typed.load(sa, (bi * m + r0) * k, rows * k, am, offs);
                    for (int i = 0; i < rows; i++)
                        for (int p = 0; p < k; p++) {
                            long av = am[i * k + p];
                            for (int j = 0; j < n; j++) cm[i * n + j] += av * bm[p * n + j];
                        }
                    Typed.store(so, (bi * m + r0) * n, rows * n, cm, offs);
                } else {
                    double[] bm = new double[k * n], am = new double[rows * k], cm = new double[rows * n];
                    Typed.load(sb, bi * k * n, k * n, bm, offs);
                    Typed.load(sa, (bi * m + r0) * k, rows * k, am, offs);
                    for (int i = 0; i < rows; i++)
                        for (int p = 0; p < k; p++) {
                            double av = am[i * k + p];
                            for (int j = 0; j < n; j++) cm[i * n + j] += av * bm[p * n + j];
                        }
                    Typed.store(so, (bi * m + r0) * n, rows * n, cm, offs);
                }
            }
        });
    }
}
