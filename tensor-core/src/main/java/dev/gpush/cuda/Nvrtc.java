package dev.gpush.cuda;

import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.Arrays;

import static org.bytedeco.cuda.global.nvrtc.*;

/**
 * Compiles kernel sources at run time with NVRTC, for the GPU in use. Rules:
 * <ul>
 *   <li>When this NVRTC knows the device's architecture, it compiles straight to a cubin for it ({@code sm_XY});
 *       otherwise (a GPU newer than NVRTC) to PTX for the newest architecture it knows below the device's, which
 *       the driver finishes at load time.</li>
 *   <li>Sources are self-contained (no {@code #include}); {@code nvrtcCreateProgram} takes {@link BytePointer}s in
 *       this preset (shared/CUDA-NOTES.md, facts 3 and 7).</li>
 *   <li>A failed compile throws with NVRTC's log, whose line numbers are the kernel file's (the {@code #line}
 *       directive KernelFile puts after the prelude).</li>
 * </ul>
 */
final class Nvrtc {
    private Nvrtc() {}

    /** A compiled image: its target ({@code sm_90} for a cubin, {@code compute_90} for PTX) and its bytes. */
    record Image(String target, byte[] bytes) {}

    static String version() {
        try (IntPointer major = new IntPointer(1); IntPointer minor = new IntPointer(1)) {
            check(nvrtcVersion(major, minor), "nvrtcVersion");
            return major.get() + "." + minor.get();
        }
    }

    /** The architectures this NVRTC compiles for, as numbers (90 for sm_90), ascending. */
    static int[] supportedArchs() {
        try (IntPointer n = new IntPointer(1)) {
            check(nvrtcGetNumSupportedArchs(n), "nvrtcGetNumSupportedArchs");
            try (IntPointer archs = new IntPointer(n.get())) {
                check(nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
                int[] r = new int[n.get()];
                archs.get(r);
                Arrays.sort(r);
                return r;
            }
        }
    }

    /** The target for a device of compute capability {@code arch} (e.g. 90). */
    static String target(int arch, int[] supported) {
        if (Arrays.binarySearch(supported, arch) >= 0) return "sm_" + arch;
        int best = supported[0];
        for (int a : supported) if (a <= arch) best = a;
        return "compute_" + best;
    }

    static Image compile(String source, String name, String target) {
        _nvrtcProgram program = new _nvrtcProgram();
        try (BytePointer src = new BytePointer(source); BytePointer file = new BytePointer(name)) {
            check(nvrtcCreateProgram(program, src, file, 0, (PointerPointer<?>) null, (PointerPointer<?>) null),
                    "nvrtcCreateProgram(" + name + ")");
        }
        try {
            String[] options = {"--gpu-architecture=" + target, "--std=c++17"};
            int result;
            try (PointerPointer<BytePointer> opts = new PointerPointer<>(options)) {
                result = nvrtcCompileProgram(program, options.length, opts);
            }
            if (result != NVRTC_SUCCESS)
                throw new CudaException("NVRTC could not compile " + name + " for " + target + ": "
                        + nvrtcGetErrorString(result).getString() + "\n" + log(program));
            boolean cubin = target.startsWith("sm_");
            try (SizeTPointer size = new SizeTPointer(1)) {
                check(cubin ? nvrtcGetCUBINSize(program, size) : nvrtcGetPTXSize(program, size), "nvrtcGet size");
                try (BytePointer image = new BytePointer(size.get())) {
                    check(cubin ? nvrtcGetCUBIN(program, image) : nvrtcGetPTX(program, image), "nvrtcGet image");
                    byte[] bytes = new byte[(int) size.get()];   // PTX: its size counts the terminating NUL
                    image.get(bytes);
                    return new Image(target, bytes);
                }
            }
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtcGetProgramLogSize(program, size) != NVRTC_SUCCESS || size.get() <= 1) return "(no log)";
            try (BytePointer log = new BytePointer(size.get())) {
                nvrtcGetProgramLog(program, log);
                return log.getString();
            }
        }
    }

    private static void check(int result, String call) {
        if (result != NVRTC_SUCCESS) throw new CudaException(call + " failed: " + nvrtcGetErrorString(result).getString());
    }
}
