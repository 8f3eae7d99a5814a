package dev.gpush.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import dev.gpush.tensor.DType;

import static org.bytedeco.cuda.global.cublas.*;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16BF;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16F;
import static org.bytedeco.cuda.global.cudart.CUDA_R_32F;
import static org.bytedeco.cuda.global.cudart.CUDA_R_64F;

/**
 * One device's cuBLAS handle, on the default stream, in cuBLAS's default math mode (no TF32: float32 products are
 * full float32, as on the CPU). Every floating point product goes through {@code cublasGemmStridedBatchedEx}:
 * float32 and float64 compute in their own type, float16 and bfloat16 in float32 with one rounding at the end.
 * cuBLAS names carry {@code _v2} in this preset (shared/CUDA-NOTES.md, fact 7); the library comes from the machine,
 * never from a jar (fact 2), so a machine without it gets a clear error at the first product.
 */
final class Cublas {
    private final int device;
    private final cublasContext handle = new cublasContext();

    Cublas(int device) {
        this.device = device;
        Driver.use(device);
        try {
            check(cublasCreate_v2(handle), "cublasCreate_v2");
        } catch (LinkageError e) {
            throw new CudaException("cuBLAS could not be loaded: libcublas.so.13 and libcublasLt.so.13 must be on the "
                    + "machine (a CUDA image, the nvidia-cublas Python wheel, or GPUSH_CUDA_PATH); found:\n"
                    + CudaLibraries.find().describe(), e);
        }
    }

    /**
     * Column-major {@code C = op(A) op(B)} for {@code batches} matrices at fixed strides (elements); addresses are
     * of element 0; {@code dtype} is that of A, B and C.
     */
    void gemmStridedBatched(DType dtype, boolean transA, boolean transB, int m, int n, int k,
                            long a, int lda, long strideA, long b, int ldb, long strideB,
                            long c, int ldc, long strideC, int batches) {
        Driver.use(device);
        int type = switch (dtype) {
            case FLOAT32 -> CUDA_R_32F;
            case FLOAT64 -> CUDA_R_64F;
            case FLOAT16 -> CUDA_R_16F;
            case BFLOAT16 -> CUDA_R_16BF;
            default -> throw new IllegalArgumentException("cuBLAS has no " + dtype + " product");
        };
        boolean dbl = dtype == DType.FLOAT64;
        try (Pointer alpha = dbl ? new DoublePointer(1).put(1.0) : new FloatPointer(1).put(1f);
             Pointer beta = dbl ? new DoublePointer(1).put(0.0) : new FloatPointer(1).put(0f)) {
            check(cublasGemmStridedBatchedEx(handle, transA ? CUBLAS_OP_T : CUBLAS_OP_N, transB ? CUBLAS_OP_T : CUBLAS_OP_N,
                    m, n, k, alpha, new DevicePointer(a), type, lda, strideA, new DevicePointer(b), type, ldb, strideB,
                    beta, new DevicePointer(c), type, ldc, strideC, batches,
                    dbl ? CUBLAS_COMPUTE_64F : CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT), "cublasGemmStridedBatchedEx");
        }
    }

    private static void check(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) throw new CudaException(call + " failed with cuBLAS status " + status);
    }

    /** A device address as a JavaCPP pointer, for cuBLAS arguments; it owns nothing. */
    private static final class DevicePointer extends Pointer {
        DevicePointer(long address) { this.address = address; }
    }
}
