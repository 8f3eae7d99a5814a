package dev.gpush.cuda;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * The host side of Note [contiguous kernels] (elementwise.cu): elementwise ops whose operands are all contiguous
 * run kernels with plain pointer indexing, a grid-stride loop and 16-byte vector loads and stores.
 *
 * <p>Rules:
 * <ul>
 *   <li>An op takes this path when, after coalescing (Note [coalescing dims]), out is at most one dim of stride 1,
 *       every input is that too or a scalar (stride 0, read once), and all operands share one dtype. Anything
 *       else runs the strided kernels; the results are the same bit for bit (Note [compute types]).</li>
 *   <li>Vectors need every vector operand (out and the inputs that are not scalars) on a 16-byte boundary at the
 *       same element. The kernel does elements one by one up to the first boundary ({@code head}); when the
 *       operands' addresses differ modulo 16 (a slice starting at element 1 added to a fresh tensor) there is no
 *       such element, and all of them go one by one, still coalesced.</li>
 *   <li>The grid covers the work with one vector (or element) per thread up to {@link #BLOCKS_PER_SM} blocks per
 *       multiprocessor; the grid-stride loop does the rest. Several waves of blocks keep the tail of a wave short
 *       whatever the occupancy.</li>
 *   <li>Arguments are one {@code GpFlat} struct (and the op or value): two kernel parameters where the strided
 *       kernels need a shape and an operand struct each, so a launch fills fewer slots.</li>
 * </ul>
 */
final class CudaContiguous {
    private CudaContiguous() {}

    static final int THREADS = 256;
    static final int BLOCKS_PER_SM = 32;
    static final int VECTOR_BYTES = 16;
    static final int MAX_INPUTS = 3;
    /** Words of GpFlat: n, head, out, in[3], step[3]. */
    static final int FLAT_WORDS = 3 + 2 * MAX_INPUTS;

    private static final String[] UNARY = names("unary_contig_"), BINARY = names("binary_contig_");
    private static final String[] FILL = names("fill_contig_");

    /** Kernel names by dtype ordinal: the suffixes of GP_CONTIG_KERNELS in elementwise.cu. */
    private static String[] names(String prefix) {
        String[] n = new String[DType.values().length];
        for (DType d : DType.values()) n[d.ordinal()] = prefix + suffix(d);
        return n;
    }

    static String suffix(DType d) {
        return switch (d) {
            case BOOL -> "b8";
            case INT32 -> "i32";
            case INT64 -> "i64";
            case FLOAT16 -> "f16";
            case BFLOAT16 -> "bf16";
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
        };
    }

    static boolean unary(CudaDevice dev, UnaryOp op, Layout l, Tensor out, Tensor a) {
        long[] f = flat(l, out, a);
        if (f == null) return false;
        launch(dev, UNARY[out.dtype().ordinal()], f, out.dtype(), op.ordinal(), f);
        return true;
    }

    static boolean binary(CudaDevice dev, BinaryOp op, Layout l, Tensor out, Tensor a, Tensor b) {
        long[] f = flat(l, out, a, b);
        if (f == null) return false;
        launch(dev, BINARY[out.dtype().ordinal()], f, out.dtype(), op.ordinal(), f);
        return true;
    }

    /** Integer dtypes take the value's {@code longValue()}, floating ones its double, as the strided fill. */
    static boolean fill(CudaDevice dev, Layout l, Tensor out, Number value) {
        long[] f = flat(l, out);
        if (f == null) return false;
        Object v = out.dtype().isFloatingPoint() ? (Object) value.doubleValue() : (Object) value.longValue();
        launch(dev, FILL[out.dtype().ordinal()], f, out.dtype(), f, v);
        return true;
    }

    /** A copy within one dtype moves bytes (System.arraycopy's semantics, NaN payloads included). */
    static boolean copy(CudaDevice dev, Layout l, Tensor out, Tensor src) {
        long[] f = flat(l, out, src);
        if (f == null) return false;
        launch(dev, "copy_contig", f, out.dtype(), out.dtype().itemSize(), f);
        return true;
    }

    private static void launch(CudaDevice dev, String kernel, long[] f, DType dtype, Object... args) {
        if (f[0] == 0) return;
        dev.kernels().launchGrid(kernel, blocks(f, dtype, dev.properties().multiProcessorCount()), THREADS, args);
    }

    /**
     * The GpFlat words for {@code out = f(inputs)} over layout {@code l} (operand 0 is out, then the inputs), or
     * null when an operand is strided or the dtypes differ.
     */
    static long[] flat(Layout l, Tensor out, Tensor... inputs) {
        DType[] dtypes = new DType[inputs.length];
        for (int k = 0; k < inputs.length; k++) dtypes[k] = inputs[k].dtype();
        int[] steps = steps(l, out.dtype(), dtypes);
        if (steps == null) return null;
        long[] addresses = new long[inputs.length];
        for (int k = 0; k < inputs.length; k++) addresses[k] = CudaElementwise.address(inputs[k]);
        return flat(l.numel(), out.dtype().itemSize(), CudaElementwise.address(out), addresses, steps);
    }

    /**
     * The inputs' steps over layout {@code l} (1: read element by element, 0: a scalar read once), or null when
     * the op cannot take this path: out or an input strided, or an input of another dtype than out.
     */
    static int[] steps(Layout l, DType out, DType... inputs) {
        for (DType d : inputs) if (d != out) return null;
        if (l.dims() > 1 || l.dims() == 1 && l.strides[0][0] != 1) return null;
        int[] steps = new int[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            int s = l.dims() == 0 ? 1 : l.strides[k + 1][0];
            if (s != 0 && s != 1) return null;
            steps[k] = s;
        }
        return steps;
    }

    /** GpFlat from the addresses of element 0 and the inputs' steps (1 element by element, 0 a scalar). */
    static long[] flat(long n, int itemSize, long out, long[] inputs, int[] steps) {
        long[] w = new long[FLAT_WORDS];
        w[0] = n;
        w[1] = head(n, itemSize, out, inputs, steps);
        w[2] = out;
        for (int k = 0; k < inputs.length; k++) {
            w[3 + k] = inputs[k];
            w[3 + MAX_INPUTS + k] = steps[k];
        }
        return w;
    }

    /**
     * Elements done one by one before the first element at which out and every input read element by element sit
     * on a 16-byte boundary; {@code n} when they never do together.
     */
    static long head(long n, int itemSize, long out, long[] inputs, int[] steps) {
        long misalign = out % VECTOR_BYTES;
        for (int k = 0; k < inputs.length; k++)
            if (steps[k] != 0 && inputs[k] % VECTOR_BYTES != misalign) return n;
        return Math.min(n, (VECTOR_BYTES - misalign) % VECTOR_BYTES / itemSize);
    }

    /** Blocks for GpFlat {@code f}: enough for one vector or lone element a thread, at most BLOCKS_PER_SM per SM. */
    static int blocks(long[] f, DType dtype, int multiprocessors) {
        long n = f[0], head = f[1], perVector = VECTOR_BYTES / dtype.itemSize();
        long vectors = (n - head) / perVector, alone = n - vectors * perVector;
        long work = Math.max(vectors, alone);
        return (int) Math.max(1, Math.min((work + THREADS - 1) / THREADS, (long) BLOCKS_PER_SM * multiprocessors));
    }
}
