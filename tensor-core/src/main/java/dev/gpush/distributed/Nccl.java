package dev.gpush.distributed;

import dev.gpush.cuda.CudaLibraries;
import dev.gpush.tensor.DType;
import org.bytedeco.cuda.nccl.ncclComm;
import org.bytedeco.cuda.nccl.ncclUniqueId;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.file.Path;

import static org.bytedeco.cuda.global.nccl.*;

/**
 * The NCCL calls gpush makes, through the JavaCPP presets. Like {@code dev.gpush.cuda.Driver}, this class names
 * {@code org.bytedeco.cuda} types, so only {@link NcclProcessGroup} and {@link NcclWork} touch it, and only once the
 * nccl backend was chosen and {@link NcclChecks} found CUDA and {@code libnccl.so.2} (shared/CUDA-NOTES.md, fact 1).
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #load()} loads {@code libnccl.so.2} by the path {@link CudaLibraries} found, so the JNI glue
 *       resolves it by soname, as {@code CudaProbe} does for the CUDA libraries (which preloads every library but
 *       NCCL and cuDNN: NCCL is loaded only when a process asks for the nccl backend). A failure to load is a
 *       {@link DistributedException} naming the library and where it was looked for.</li>
 *   <li>Every result other than {@code ncclSuccess} becomes a {@link DistributedException} with
 *       {@code ncclGetErrorString}'s text and, given a communicator, {@code ncclGetLastError}'s.</li>
 *   <li>dtypes: float32, float64, float16, bfloat16, int32 and int64 map to NCCL's; bool travels as uint8, where
 *       SUM and MAX are NCCL's max (or) and PRODUCT and MIN its min (and).</li>
 * </ul>
 */
final class Nccl {
    private Nccl() {}

    private static volatile boolean loaded;

    static synchronized void load() {
        if (loaded) return;
        CudaLibraries.Found found = CudaLibraries.find();
        Path lib = found.libraries().get(NcclChecks.LIBRARY);
        if (lib == null) throw new DistributedException(NcclChecks.libraryMissing(found.searched()), -1);
        try {
            System.load(lib.toAbsolutePath().toString());
            org.bytedeco.javacpp.Loader.load(org.bytedeco.cuda.global.nccl.class);
        } catch (LinkageError e) {
            throw new DistributedException("the nccl backend could not load NCCL's " + NcclChecks.LIBRARY + " from "
                    + lib + " (searched " + found.searched() + "): " + e.getMessage(), -1, e);
        }
        int code = versionCode();
        if (code < MIN_VERSION)
            throw new DistributedException("NCCL " + version(code) + " (" + lib + ") is too old: the nccl backend needs "
                    + version(MIN_VERSION) + " or newer", -1);
        loaded = true;
    }

    /** 2.13: ncclGetLastError; ncclAvg came in 2.10. */
    static final int MIN_VERSION = 21300;

    /** NCCL's version code: major * 10000 + minor * 100 + patch (since 2.9). */
    static int versionCode() {
        int[] v = new int[1];
        check(ncclGetVersion(v), "ncclGetVersion", null);
        return v[0];
    }

    static String version(int code) { return code / 10000 + "." + code / 100 % 100 + "." + code % 100; }

    /** A fresh unique id's bytes (rank 0 makes it and shares it through the store). */
    static byte[] uniqueId() {
        try (ncclUniqueId id = new ncclUniqueId()) {
            check(ncclGetUniqueId(id), "ncclGetUniqueId", null);
            byte[] bytes = new byte[NCCL_UNIQUE_ID_BYTES];
            for (int i = 0; i < bytes.length; i++) bytes[i] = id.internal(i);
            return bytes;
        }
    }

    /** {@code ncclCommInitRank} on the calling thread's current device. */
    static ncclComm initRank(int size, byte[] uniqueId, int rank) {
        if (uniqueId.length != NCCL_UNIQUE_ID_BYTES)
            throw new DistributedException("the NCCL unique id from rank 0 has " + uniqueId.length + " bytes, not "
                    + NCCL_UNIQUE_ID_BYTES + ": do all ranks run the same gpush?", 0);
        try (ncclUniqueId id = new ncclUniqueId()) {
            for (int i = 0; i < uniqueId.length; i++) id.internal(i, uniqueId[i]);
            ncclComm comm = new ncclComm();
            check(ncclCommInitRank(comm, size, id, rank), "ncclCommInitRank(rank " + rank + " of " + size + ")", null);
            return comm;
        }
    }

    static int dtype(DType d) {
        return switch (d) {
            case BOOL -> ncclUint8;
            case INT32 -> ncclInt32;
            case INT64 -> ncclInt64;
            case FLOAT16 -> ncclFloat16;
            case BFLOAT16 -> ncclBfloat16;
            case FLOAT32 -> ncclFloat32;
            case FLOAT64 -> ncclFloat64;
        };
    }

    static int op(ReduceOp op, DType d) {
        if (d == DType.BOOL)
            return switch (op) {
                case SUM, MAX -> ncclMax;
                case PRODUCT, MIN -> ncclMin;
                case AVG -> throw new IllegalArgumentException("ReduceOp.AVG is not defined for bool tensors");
            };
        return switch (op) {
            case SUM -> ncclSum;
            case AVG -> ncclAvg;
            case PRODUCT -> ncclProd;
            case MAX -> ncclMax;
            case MIN -> ncclMin;
        };
    }

    /** Throws unless {@code result} is ncclSuccess; the message has NCCL's words for it. */
    static void check(int result, String call, ncclComm comm) {
        if (result == ncclSuccess) return;
        throw new DistributedException(call + " failed: " + errorText(result, comm), -1);
    }

    static String errorText(int result, ncclComm comm) {
        String text = string(ncclGetErrorString(result));
        String last = comm == null ? "" : string(ncclGetLastError(comm));
        return (text.isEmpty() ? "ncclResult " + result : text) + (last.isEmpty() ? "" : " (" + last + ")");
    }

    private static String string(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString();
    }

    /** A device address as a JavaCPP pointer for NCCL's buffer arguments; it owns nothing. */
    static Pointer at(long address) { return new DevicePointer(address); }

    private static final class DevicePointer extends Pointer {
        DevicePointer(long address) { this.address = address; }
    }
}
