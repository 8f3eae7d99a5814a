package dev.gpush.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import dev.gpush.tensor.DType;

import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.cuda.global.cublas.*;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16BF;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16F;
import static org.bytedeco.cuda.global.cudart.CUDA_R_32F;
import static org.bytedeco.cuda.global.cudart.CUDA_R_64F;

/**
 * One device's cuBLAS handles. Every floating point product goes through {@code cublasGemmStridedBatchedEx}:
 * float32 and float64 compute in their own type, float16 and bfloat16 in float32 with one rounding at the end;
 * float32 computes in TF32 ({@code CUBLAS_COMPUTE_32F_FAST_TF32}) only while {@link Cuda#allowTf32()} is on (off by
 * default, as {@code torch.backends.cuda.matmul.allow_tf32}), else in full float32, as on the CPU.
 *
 * <p>Note [a cuBLAS handle per stream]: each product runs on the calling thread's current stream (Note [current
 * stream] in {@link CudaStream}). A handle is bound to its stream once ({@code cublasSetStream_v2}) and keeps cuBLAS's
 * default workspace of its own; one handle switched between streams would share one workspace between products
 * running concurrently on different streams (PyTorch keeps a workspace per handle and stream for the same reason).
 * Handles are few: the default stream's plus one per pooled stream used for products.
 *
 * <p>cuBLAS names carry {@code _v2} in this preset (shared/CUDA-NOTES.md, fact 7); the library comes from the
 * machine, never from a jar (fact 2), so a machine without it gets a clear error at the first product.
 */
final class Cublas {
    private final int device;
    private final Map<Long, cublasContext> handles = new HashMap<>();   // stream handle -> its cuBLAS handle

    Cublas(int device) {
        this.device = device;
        handle(CurrentStreams.defaultStream(device));   // fails here, clearly, when cuBLAS is missing
    }

    /** The cuBLAS handle bound to {@code stream}, made on first use. */
    private cublasContext handle(CudaStream stream) {
        cublasContext h = handles.get(stream.handle());
        if (h != null) return h;
        Driver.use(device);
        h = new cublasContext();
        try {
            check(cublasCreate_v2(h), "cublasCreate_v2");
        } catch (LinkageError e) {
            throw new CudaException("cuBLAS could not be loaded: libcublas.so.13 and libcublasLt.so.13 must be on the "
                    + "machine (a CUDA image, the nvidia-cublas Python wheel, or GPUSH_CUDA_PATH); found:\n"
                    + CudaLibraries.find().describe(), e);
        }
        check(cublasSetStream_v2(h, DriverStreams.raw(stream)), "cublasSetStream_v2");
        handles.put(stream.handle(), h);
        return h;
    }

    /**
     * Column-major {@code C = op(A) op(B)} for {@code batches} matrices at fixed strides (elements); addresses are
     * of element 0; {@code dtype} is that of A, B and C.
     */
    synchronized void gemmStridedBatched(DType dtype, boolean transA, boolean transB, int m, int n, int k,
                                         long a, int lda, long strideA, long b, int ldb, long strideB,
                                         long c, int ldc, long strideC, int batches) {
        cublasContext handle = handle(CurrentStreams.get(device));
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
                    computeType(dtype), CUBLAS_GEMM_DEFAULT), "cublasGemmStridedBatchedEx");
        }
    }

    /** float64 in float64; float32 in TF32 when allowed; float32, float16 and bfloat16 otherwise in float32. */
    static int computeType(DType dtype) {
        if (dtype == DType.FLOAT64) return CUBLAS_COMPUTE_64F;
        if (dtype == DType.FLOAT32 && Cuda.allowTf32()) return CUBLAS_COMPUTE_32F_FAST_TF32;
        return CUBLAS_COMPUTE_32F;
    }

    private static void check(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) throw new CudaException(call + " failed with cuBLAS status " + status);
    }

    /** A device address as a JavaCPP pointer, for cuBLAS arguments; it owns nothing. */
    private static final class DevicePointer extends Pointer {
        DevicePointer(long address) { this.address = address; }
    }
}
