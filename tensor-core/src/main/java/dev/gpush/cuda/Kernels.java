package dev.gpush.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.javacpp.BytePointer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The kernels of one device: each {@link KernelFile} is compiled (or read from the {@link KernelCache}) and loaded
 * with {@code cuModuleLoadData} the first time one of its kernels is launched, then launched with
 * {@code cuLaunchKernel} on the calling thread's current stream of the device (Note [current stream] in
 * {@link CudaStream}), so callers never name a stream.
 *
 * <p>Note [kernel arguments]: {@code kernelParams} is an array of pointers, each to host memory holding one
 * argument's value (shared/CUDA-NOTES.md, fact 6): a device address is passed as a pointer to a slot holding the
 * address, never as the address itself. Java {@code int}, {@code long} and {@code double} arguments fill 4- and
 * 8-byte slots; a {@code long[]} is a struct of 64-bit fields passed by value (GpShape, GpOperand in the prelude).
 * {@link KernelArgs} packs them into one native buffer reused by every launch.
 */
final class Kernels {
    static final int THREADS = 256;          // threads per block of the elementwise kernels
    static final int MAX_BLOCKS = 1 << 16;   // grid-stride loops cover the rest

    private final int device;
    private final String target;
    private final String nvrtcVersion;
    private final KernelCache cache = KernelCache.standard();
    private final Map<KernelFile, CUmod_st> modules = new EnumMap<>(KernelFile.class);
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final KernelArgs args = new KernelArgs();   // guarded by this

    Kernels(int device, DeviceProperties props) {
        this.device = device;
        this.nvrtcVersion = Nvrtc.version();
        this.target = Nvrtc.target(props.major() * 10 + props.minor(), Nvrtc.supportedArchs());
    }

    /** Blocks for a grid-stride loop over {@code n} elements. */
    static int blocks(long n) { return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS)); }

    /** Launches {@code kernel} over {@code n} elements with a grid-stride loop. */
    void launchOver(String kernel, long n, Object... args) {
        if (n > 0) launchGrid(kernel, blocks(n), THREADS, args);
    }

    /** Launches {@code kernel} on {@code grid} blocks of {@code block} threads. */
    synchronized void launchGrid(String kernel, int grid, int block, Object... arguments) {
        Driver.use(device);
        CUfunc_st f = function(kernel);
        Driver.check(cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, DriverStreams.current(device), args.pack(arguments),
                null), "cuLaunchKernel(" + kernel + ")");
    }

    private CUfunc_st function(String kernel) {
        CUfunc_st f = functions.get(kernel);
        if (f != null) return f;
        CUmod_st module = module(KernelFile.defining(kernel));
        f = new CUfunc_st();
        Driver.check(cuModuleGetFunction(f, module, kernel), "cuModuleGetFunction(" + kernel + ")");
        functions.put(kernel, f);
        return f;
    }

    private CUmod_st module(KernelFile file) {
        CUmod_st m = modules.get(file);
        if (m != null) return m;
        String source = file.source();
        byte[] image = cache.get(source, target, nvrtcVersion);
        if (image == null) {
            image = Nvrtc.compile(source, file.file(), target).bytes();
            cache.put(source, target, nvrtcVersion, image);
        }
        m = new CUmod_st();
        try (BytePointer data = new BytePointer(image.length + 1)) {   // PTX must end in NUL; a cubin ignores it
            data.put(image).put(image.length, (byte) 0);
            Driver.check(cuModuleLoadData(m, data), "cuModuleLoadData(" + file.file() + ", " + target + ")");
        }
        modules.put(file, m);
        return m;
    }
}
