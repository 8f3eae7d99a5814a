package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.cuda.global.cudnn.*;

/**
 * One device's cuDNN handle, made on first use; each use sets it to the calling thread's current stream. Rules:
 * <ul>
 *   <li>Note [cuDNN is optional]: cuDNN comes from the machine, never from a jar (shared/CUDA-NOTES.md, fact 2).
 *       Where it is missing, {@link #orNull} answers null and every cuDNN op (convolution, pooling, batch norm)
 *       runs its composite of the other kernels (im2col + GEMM, reductions), so a CUDA session without cuDNN
 *       still trains, only slower; {@code Cuda.report()} says that cuDNN is missing and why. Any other cuDNN
 *       failure throws a {@link CudaException} naming the call.</li>
 *   <li>cuDNN 9 is split into {@code libcudnn.so.9} and sub-libraries that the JNI glue links or cuDNN opens by
 *       soname ({@link CudaLibraries#CUDNN}). They are loaded here by full path, dependencies first, at the first
 *       cuDNN op, not by the probe: they weigh about a gigabyte, and a session that never convolves never
 *       maps them.</li>
 *   <li>Scaling factors (alpha, beta) are double for float64 data and float otherwise, as cuDNN wants.</li>
 *   <li>Workspaces come from the device's caching allocator and go back to it right after the call: the
 *       allocator reuses a block only on the same stream, so the next user runs after the cuDNN kernel.</li>
 * </ul>
 */
final class Cudnn {
    private static final Cudnn[] HANDLES = new Cudnn[64];
    private static String missing;        // why cuDNN cannot be used; null while it can or before the first try
    private static boolean tried;

    final CudaDevice dev;
    final cudnnContext handle = new cudnnContext();
    /** Chosen convolution algorithms by call shape (Cudnn*.key), as PyTorch caches them. */
    final Map<String, Integer> algorithms = new HashMap<>();

    private Cudnn(CudaDevice dev) {
        this.dev = dev;
        Driver.use(dev.index());
        check(cudnnCreate(handle), "cudnnCreate");
    }

    /** The handle of {@code dev}, or null when cuDNN is not on this machine (Note [cuDNN is optional]). */
    static Cudnn orNull(CudaDevice dev) {
        if (!load()) return null;
        synchronized (HANDLES) {
            Cudnn c = HANDLES[dev.index()];
            if (c == null) HANDLES[dev.index()] = c = new Cudnn(dev);
            // every call runs on the calling thread's current stream (Note [current stream] in CudaStream)
            check(cudnnSetStream(c.handle, DriverStreams.current(dev.index())), "cudnnSetStream");
            return c;
        }
    }

    /** The handle of {@code dev}; throws a {@link CudaException} naming the library when cuDNN is missing. */
    static Cudnn of(CudaDevice dev) {
        Cudnn c = orNull(dev);
        if (c == null) throw new CudaException(missingReason());
        return c;
    }

    /** cuDNN's version as {@code cudnnGetVersion} encodes it (91900 is 9.19.0), or 0 when it cannot be loaded. */
    static long version() { return load() ? cudnnGetVersion() : 0; }

    /** Why cuDNN cannot be used, or null when it can. */
    static synchronized String missingReason() {
        load();
        return missing;
    }

    /** Loads the cuDNN libraries once; false (with {@link #missing} set) when they are not there. */
    private static synchronized boolean load() {
        if (tried) return missing == null;
        tried = true;
        CudaLibraries.Found found = CudaLibraries.find();
        List<String> failed = new ArrayList<>();
        for (String name : CudaLibraries.CUDNN) {
            Path p = found.libraries().get(name);
            if (p == null) continue;
            try {
                System.load(p.toAbsolutePath().toString());
            } catch (LinkageError e) {
                failed.add(p + ": " + e.getMessage());
            }
        }
        try {
            cudnnGetVersion();   // the first touch of the cudnn class loads its JNI glue
        } catch (LinkageError e) {
            missing = "cuDNN could not be loaded: libcudnn.so.9 and its sub-libraries (libcudnn_graph, _ops, _cnn, "
                    + "_adv, _heuristic, _engines_*.so.9) must be on the machine (a cudnn-runtime image, the "
                    + "nvidia-cudnn Python wheel, or GPUSH_CUDA_PATH); convolution, pooling and batch norm run without "
                    + "it, slower" + (failed.isEmpty() ? "" : "; failed to load: " + String.join("; ", failed))
                    + " (" + e.getMessage() + ")";
        }
        return missing == null;
    }

    /** Throws a {@link CudaException} naming {@code call} and cuDNN's message unless {@code status} is success. */
    static void check(int status, String call) {
        if (status == CUDNN_STATUS_SUCCESS) return;
        String hint = status == CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED
                || status == CUDNN_STATUS_NOT_SUPPORTED_SUBLIBRARY_UNAVAILABLE
                ? " (a cuDNN sub-library is missing: libcudnn_graph/_ops/_cnn/_adv/_heuristic/_engines_*.so.9 must sit "
                  + "beside libcudnn.so.9)" : "";
        throw new CudaException(call + " failed: " + cudnnGetErrorString(status).getString() + " (cuDNN status "
                + status + ")" + hint);
    }

    /** cuDNN's data type for {@code dtype}, or -1 for one it does not take. */
    static int dataType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> CUDNN_DATA_FLOAT;
            case FLOAT64 -> CUDNN_DATA_DOUBLE;
            case FLOAT16 -> CUDNN_DATA_HALF;
            case BFLOAT16 -> CUDNN_DATA_BFLOAT16;
            default -> -1;
        };
    }

    /** A host scalar for alpha or beta: double for float64 data, float otherwise. */
    static Pointer scalar(DType dtype, double v) {
        return dtype == DType.FLOAT64 ? new DoublePointer(1).put(v) : new FloatPointer(1).put((float) v);
    }

    /** The device address of {@code t}'s element 0 as a pointer argument; it owns nothing. */
    static Pointer at(Tensor t) { return t == null ? null : new DevicePointer(CudaElementwise.address(t)); }

    /** {@code t} itself when contiguous and of {@code dtype}, else a contiguous copy (the caller closes it). */
    static Tensor contiguous(CudaDevice dev, Tensor t, DType dtype) {
        if (t == null || (t.isContiguous() && t.dtype() == dtype)) return t;
        Tensor c = CudaBackend.contiguousLike(dev, t, dtype);
        CudaElementwise.copy(dev, c, t);
        return c;
    }

    /** Closes {@code copy} when it is a copy made by {@link #contiguous}, not the caller's {@code original}. */
    static void release(Tensor copy, Tensor original) {
        if (copy != null && copy != original) copy.close();
    }

    /** A workspace of {@code bytes} from the caching allocator, returned to it by {@code close()}. */
    final class Workspace implements AutoCloseable {
        private final Block block;
        final long bytes;

        Workspace(long bytes) {
            this.bytes = bytes;
            this.block = bytes == 0 ? null : dev.allocator().malloc(bytes, CurrentStreams.get(dev.index()).handle());
        }

        Pointer pointer() { return block == null ? null : new DevicePointer(block.address()); }

        @Override public void close() {
            if (block != null) dev.allocator().free(block);
        }
    }

    /** A device address as a JavaCPP pointer, for cuDNN arguments; it owns nothing. */
    private static final class DevicePointer extends Pointer {
        DevicePointer(long address) { this.address = address; }
    }
}
