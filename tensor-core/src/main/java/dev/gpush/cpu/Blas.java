package dev.gpush.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Row-major GEMM through OpenBLAS, reading the Java arrays in place. Falls back to {@link Gemm}'s Java loops
 * where OpenBLAS cannot be loaded. Public only for what it reports (availability, build, threads), which
 * {@code gpush bench} prints; the product itself stays package-private, behind {@link CpuBackend}.
 *
 * <p>Rules:
 * <ul>
 *   <li>OpenBLAS is loaded once, when this class initialises: JavaCPP's {@code openblas_nolapack} preset extracts
 *       and loads the library it ships, and FFM looks {@code cblas_sgemm}/{@code cblas_dgemm} up in that same file,
 *       so there is one copy of OpenBLAS in the process.</li>
 *   <li>Any Throwable while loading (a missing platform jar, a LinkageError, native access denied) leaves
 *       {@link #available()} false and {@link #unavailableReason()} saying why; nothing is thrown to the user.</li>
 *   <li>Calls are critical downcalls on heap segments: no copy, whatever the size (Note [critical downcalls]).</li>
 *   <li>OpenBLAS runs on {@link Parallel#threads()} threads. The count is applied on load and compared before
 *       each call (one volatile read), so {@link Parallel#setThreads} needs no hook, cannot race with loading,
 *       and never loads OpenBLAS by itself.</li>
 *   <li>Every call is bounds-checked against the arrays before it reaches native code: a wrong stride or offset
 *       throws IndexOutOfBoundsException instead of reading or writing past the array.</li>
 * </ul>
 *
 * <p>Note [critical downcalls]: {@code Linker.Option.critical(true)} lets the downcall take heap segments, so
 * OpenBLAS reads the float[] or double[] where it lies. The calling thread stays in the Java state for the call,
 * so the GC cannot move the arrays, and cannot start a pause either until the call returns: a 2048^3 float32
 * product holds other threads' GC off for its ~0.07 s on 2 cores. The alternatives copy: JavaCPP's own
 * {@code float[]} overloads copy each array through JNI, and native buffers need a copy in and out. A copy is
 * O(mk + kn + mn) against the product's O(mnk), small for big squares but not for the thin products of a
 * training step (a [B*T, C] @ [C, C] linear layer), and it doubles the memory; holding off the GC for one call
 * is the cheaper price.
 */
public final class Blas {
    private Blas() {}

    /**
     * Below this m*n*k OpenBLAS runs a product on the calling thread alone. It gives a product about
     * m*n*k / 2^18 threads at most (2^18 = SMP_THRESHOLD_MIN 65536 times GEMM_MULTITHREAD_THRESHOLD 4, from this
     * build's openblas_config.h), and measured with 2 threads: 80^3 (512000) runs as fast on 1 thread as on 2,
     * 81^3 (531441) 30% faster on 2. See Note [batches and OpenBLAS threads] in {@link Gemm}.
     */
    static final long THREADED_MNK = 2L << 18;

    // CBLAS enums (cblas.h)
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private static final MethodHandle SGEMM, DGEMM, SET_THREADS, GET_THREADS, GET_CONFIG;
    private static final String LIBRARY, UNAVAILABLE;
    /** The thread count last handed to OpenBLAS; 0 before the first. */
    private static volatile int appliedThreads;

    static {
        MethodHandle s = null, d = null, st = null, gt = null, gc = null;
        String lib = null, why = null;
        try {
            SymbolLookup lookup = null;
            for (Path p : candidates()) {
                SymbolLookup l = SymbolLookup.libraryLookup(p, Arena.global());
                if (l.find("cblas_sgemm").isPresent()) {
                    lookup = l;
                    lib = p.toString();
                    break;
                }
            }
            if (lookup == null) throw new IllegalStateException("no library loaded by JavaCPP exports cblas_sgemm");
            Linker linker = Linker.nativeLinker();
            Linker.Option inPlace = Linker.Option.critical(true);
            s = linker.downcallHandle(lookup.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                    JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                    ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), inPlace);
            d = linker.downcallHandle(lookup.find("cblas_dgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                    JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_DOUBLE,
                    ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT), inPlace);
            // the thread controls are OpenBLAS's own; another BLAS behind the preset (MKL) runs without them
            st = lookup.find("openblas_set_num_threads")
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
            gt = lookup.find("openblas_get_num_threads")
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(JAVA_INT))).orElse(null);
            gc = lookup.find("openblas_get_config")
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ADDRESS))).orElse(null);
            int n = Parallel.threads();
            if (st != null) st.invokeExact(n);
            appliedThreads = n;
        } catch (Throwable t) {
            s = d = st = gt = gc = null;
            lib = null;
            why = t.getClass().getName() + ": " + t.getMessage();
        }
        SGEMM = s;
        DGEMM = d;
        SET_THREADS = st;
        GET_THREADS = gt;
        GET_CONFIG = gc;
        LIBRARY = lib;
        UNAVAILABLE = why;
    }

    /** The OpenBLAS library JavaCPP loaded, then its JNI library (whose dependencies dlsym also searches). */
    private static List<Path> candidates() {
        String jni = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        List<Path> paths = new ArrayList<>();
        for (Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet())
            if (e.getKey().startsWith("openblas") && e.getValue() != null) paths.add(Path.of(e.getValue()));
        if (jni != null) paths.add(Path.of(jni));
        return paths;
    }

    public static boolean available() { return UNAVAILABLE == null; }

    /** Why OpenBLAS could not be loaded, or null when it is available. */
    public static String unavailableReason() { return UNAVAILABLE; }

    /** The path of the library the cblas symbols come from, or null when unavailable. */
    public static String library() { return LIBRARY; }

    /** OpenBLAS's build string ("OpenBLAS 0.3.31 DYNAMIC_ARCH ... Haswell MAX_THREADS=..."), or null. */
    public static String config() {
        if (GET_CONFIG == null) return null;
        try {
            return ((MemorySegment) GET_CONFIG.invokeExact()).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    /** The thread count OpenBLAS reports, after applying {@link Parallel#threads()}; 0 when unknown. */
    public static int threads() {
        if (!available() || GET_THREADS == null) return 0;
        syncThreads();
        try {
            return (int) GET_THREADS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    /** Hands {@link Parallel#threads()} to OpenBLAS when it changed since the last time. */
    static void syncThreads() {
        int n = Parallel.threads();
        if (n == appliedThreads || SET_THREADS == null) return;
        synchronized (Blas.class) {
            if (n == appliedThreads) return;
            try {
                SET_THREADS.invokeExact(n);
            } catch (Throwable t) {
                throw new IllegalStateException("openblas_set_num_threads(" + n + ") failed", t);
            }
            appliedThreads = n;
        }
    }

    /** {@code c[m x n] = op(a)[m x k] * op(b)[k x n]}, arrays are float[] or double[], row-major with leading dims. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, Object a, int aOff, int lda,
                     Object b, int bOff, int ldb, Object c, int cOff, int ldc) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false);
    }

    /** As above; with {@code accumulate} the product is added to what {@code c} holds (BLAS's beta 1). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, Object a, int aOff, int lda,
                     Object b, int bOff, int ldb, Object c, int cOff, int ldc, boolean accumulate) {
        if (!available()) throw new UnsupportedOperationException("OpenBLAS is not loaded: " + UNAVAILABLE);
        if (m == 0 || n == 0) return;
        if (a.getClass() != c.getClass() || b.getClass() != c.getClass())
            throw new IllegalArgumentException("gemm: arrays differ in type: " + a.getClass().getSimpleName() + ", "
                    + b.getClass().getSimpleName() + ", " + c.getClass().getSimpleName());
        if (Parallel.threads() != appliedThreads) syncThreads();
        // op(a) is m x k: stored as m rows of k, or k rows of m when transposed; likewise b and c
        MemorySegment sa = slice(a, aOff, transA ? k : m, transA ? m : k, lda, "a");
        MemorySegment sb = slice(b, bOff, transB ? n : k, transB ? k : n, ldb, "b");
        MemorySegment sc = slice(c, cOff, m, n, ldc, "c");
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        try {
            if (c instanceof float[]) {
                SGEMM.invokeExact(ROW_MAJOR, ta, tb, m, n, k, 1f, sa, lda, sb, ldb, accumulate ? 1f : 0f, sc, ldc);
            } else if (c instanceof double[]) {
                DGEMM.invokeExact(ROW_MAJOR, ta, tb, m, n, k, 1d, sa, lda, sb, ldb, accumulate ? 1d : 0d, sc, ldc);
            } else {
                throw new IllegalArgumentException("gemm takes float[] or double[], got " + c.getClass().getSimpleName());
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas gemm failed", t);
        }
    }

    /**
     * The segment over {@code rows} rows of {@code cols} elements, {@code ld} apart, from {@code off}; throws when
     * any of them lies outside the array, or when {@code ld} is below OpenBLAS's minimum (it would print and skip).
     */
    private static MemorySegment slice(Object array, int off, int rows, int cols, int ld, String name) {
        if (ld < Math.max(1, cols))
            throw new IllegalArgumentException("gemm: leading dim of " + name + " is " + ld + ", below its " + cols + " columns");
        MemorySegment s = switch (array) {
            case float[] f -> MemorySegment.ofArray(f);
            case double[] d -> MemorySegment.ofArray(d);
            default -> throw new IllegalArgumentException("gemm takes float[] or double[], got "
                    + array.getClass().getSimpleName());
        };
        long elem = array instanceof float[] ? Float.BYTES : Double.BYTES;
        long extent = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        return s.asSlice(off * elem, extent * elem);
    }
}
