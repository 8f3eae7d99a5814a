package dev.gpush.cuda;

import dev.gpush.backend.MatrixLayout;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * Batched products {@code out [B, M, N] = a [B, M, K] @ b [B, K, N]} on a CUDA device.
 *
 * <p>Note [row-major through cuBLAS]: cuBLAS is column-major, and a row-major M x N matrix read column-major is its
 * transpose. So {@code C = A B} in row-major is computed as {@code C^T = B^T A^T} in column-major: the operands
 * swap places and keep their own layouts. An operand whose matrices are row-major (column stride 1) is passed
 * untransposed with its row stride as leading dimension; one whose matrices are column-major (a transposed view,
 * row stride 1) is passed with {@code OP_T}. Anything else, an operand of another dtype than {@code out}, and an
 * {@code out} that is not contiguous, go through a contiguous copy. Batch strides may be 0 (a broadcast operand).
 * Integer products have no cuBLAS routine and run in matmul.cu.
 */
final class CudaMatmul {
    private CudaMatmul() {}

    static void matmul(CudaDevice dev, Tensor out, Tensor a, Tensor b) {
        int batches = out.shapeRef()[0], m = out.shapeRef()[1], n = out.shapeRef()[2], k = a.shapeRef()[2];
        if (out.numel() == 0) return;
        if (k == 0) {
            CudaElementwise.fill(dev, out, 0);
            return;
        }
        DType dt = out.dtype();
        if (!dt.isFloatingPoint()) {
            long[] o = Layout.operand(CudaElementwise.address(out), dt.ordinal(), out.strideRef());
            long[] x = Layout.operand(CudaElementwise.address(a), a.dtype().ordinal(), a.strideRef());
            long[] y = Layout.operand(CudaElementwise.address(b), b.dtype().ordinal(), b.strideRef());
            dev.kernels().launchOver("matmul_i64", (long) batches * m * n, (long) batches, (long) m, (long) n, (long) k, o, x, y);
            return;
        }
        Tensor c = out.isContiguous() ? out : CudaBackend.contiguousLike(dev, out, dt);
        Tensor x = blasReady(dev, a, dt), y = blasReady(dev, b, dt);
        int[] la = MatrixLayout.of(x), lb = MatrixLayout.of(y);
        // C^T (n x m) = B^T (n x k) A^T (k x m), column-major
        dev.cublas().gemmStridedBatched(dt, lb[0] == 1, la[0] == 1, n, m, k,
                CudaElementwise.address(y), lb[1], stride0(y), CudaElementwise.address(x), la[1], stride0(x),
                CudaElementwise.address(c), n, (long) m * n, batches);
        if (c != out) {
            CudaElementwise.copy(dev, out, c);
            c.close();
        }
        if (x != a) x.close();
        if (y != b) y.close();
    }

    private static long stride0(Tensor t) { return t.shapeRef()[0] == 1 ? 0 : t.strideRef()[0]; }

    private static Tensor blasReady(CudaDevice dev, Tensor t, DType dtype) {
        if (t.dtype() == dtype && MatrixLayout.of(t) != null) return t;
        Tensor c = CudaBackend.contiguousLike(dev, t, dtype);
        CudaElementwise.copy(dev, c, t);
        return c;
    }

}
