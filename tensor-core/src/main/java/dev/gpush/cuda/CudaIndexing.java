package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * Gather, scatter, index select/add and nonzero on a CUDA device, through indexing.cu. The semantics are the CPU
 * backend's (CpuIndexing), with these rules:
 * <ul>
 *   <li>indexSelect is a gather and indexAdd a scatter-add whose 1-d index is viewed over the whole iteration shape
 *       with stride 0 on every dim but {@code dim}, so all four coalesce dims like elementwise ops (Layout).</li>
 *   <li>An index outside {@code [0, size)} is never followed: the kernel records it in a two-word error slot and
 *       the host, after the launch, throws the CPU's IndexOutOfBoundsException ("index 7 is out of bounds for
 *       dimension 0 with size 5"). Reading the slot waits for the kernel, so each of these ops synchronises the
 *       device once. Elements already written stay written, as on the CPU.</li>
 *   <li>scatter (and scatter-add) gives each thread whole lines along {@code dim}, so duplicate indices give the
 *       CPU's answer exactly: the last in index order wins, and sums add in index order.</li>
 *   <li>indexAdd runs one thread per source element with atomics (float16, bfloat16 and bool through a
 *       compare-and-swap loop), so with duplicate indices a floating sum may differ from the CPU's in rounding,
 *       as on PyTorch's GPU. Integer sums are exact.</li>
 *   <li>nonzero counts the non-zeros of up to {@link #NONZERO_CHUNKS} chunks, sums the counts on the host, then
 *       lets each chunk write its coordinates from its first row: row-major order, like the CPU.</li>
 * </ul>
 */
final class CudaIndexing {
    private CudaIndexing() {}

    static final int NONZERO_CHUNKS = 1 << 16;

    private static long[] operand(Layout l, int i, Tensor t) {
        return l.operandStruct(i, CudaElementwise.address(t), t.dtype().ordinal());
    }

    /** {@code t}'s strides with 0 along {@code dim}: the indexed dim is reached through the index values. */
    private static int[] along(Tensor t, int dim) {
        int[] s = t.stride();
        s[dim] = 0;
        return s;
    }

    /** A 1-d index's strides over a tensor of {@code rank} dims: its own stride at {@code dim}, 0 elsewhere. */
    private static int[] spread(Tensor index, int rank, int dim) {
        int[] s = new int[rank];
        s[dim] = index.dim() == 0 ? 0 : index.strideRef()[0];
        return s;
    }

    static void gather(CudaDevice dev, Tensor out, Tensor a, int dim, Tensor index) {
        Layout l = Layout.of(index.shapeRef(), out.strideRef(), index.strideRef(), along(a, dim));
        launchGather(dev, "gather", l, out, index, a, dim);
    }

    static void indexSelect(CudaDevice dev, Tensor out, Tensor a, int dim, Tensor index) {
        Layout l = Layout.of(out.shapeRef(), out.strideRef(), spread(index, out.dim(), dim), along(a, dim));
        launchGather(dev, "indexSelect", l, out, index, a, dim);
    }

    private static void launchGather(CudaDevice dev, String op, Layout l, Tensor out, Tensor index, Tensor a, int dim) {
        if (l.numel() == 0) return;
        long[] shape = l.shapeStruct(op);
        int size = a.shapeRef()[dim];
        try (Tensor err = longs(dev, 2)) {
            dev.kernels().launchOver("gather", l.numel(), shape, operand(l, 0, out), operand(l, 1, index),
                    operand(l, 2, a), (long) size, (long) a.strideRef()[dim], CudaElementwise.address(err));
            check(dev, err, dim, size);
        }
    }

    static void scatter(CudaDevice dev, Tensor out, int dim, Tensor index, Tensor src, boolean add) {
        int[] lines = index.shape();
        int len = lines[dim];
        lines[dim] = 1;
        Layout l = Layout.of(lines, index.strideRef(), src.strideRef(), along(out, dim));
        if (l.numel() == 0 || len == 0) return;
        long[] shape = l.shapeStruct("scatter");
        int size = out.shapeRef()[dim];
        try (Tensor err = longs(dev, 2)) {
            dev.kernels().launchOver("scatter", l.numel(), shape, operand(l, 2, out), operand(l, 0, index),
                    operand(l, 1, src), (long) len, (long) index.strideRef()[dim], (long) src.strideRef()[dim],
                    (long) out.strideRef()[dim], (long) size, add ? 1 : 0, CudaElementwise.address(err));
            check(dev, err, dim, size);
        }
    }

    static void indexAdd(CudaDevice dev, Tensor out, int dim, Tensor index, Tensor src) {
        Layout l = Layout.of(src.shapeRef(), along(out, dim), spread(index, src.dim(), dim), src.strideRef());
        if (l.numel() == 0) return;
        long[] shape = l.shapeStruct("indexAdd");
        int size = out.shapeRef()[dim];
        try (Tensor err = longs(dev, 2)) {
            dev.kernels().launchOver("index_add", l.numel(), shape, operand(l, 0, out), operand(l, 1, index),
                    operand(l, 2, src), (long) size, (long) out.strideRef()[dim], CudaElementwise.address(err));
            check(dev, err, dim, size);
        }
    }

    static Tensor nonzero(CudaDevice dev, Tensor a) {
        int rank = a.dim();
        if (rank > Layout.MAX_DIMS)
            throw new UnsupportedOperationException("nonzero of a tensor of more than " + Layout.MAX_DIMS
                    + " dims is not yet on CUDA");
        long n = a.numel();
        long[] shape = new long[Layout.STRUCT_WORDS];
        shape[0] = rank;
        shape[1] = n;
        for (int d = 0; d < Layout.MAX_DIMS; d++) shape[2 + d] = d < rank ? a.shapeRef()[d] : 1;
        long[] in = Layout.operand(CudaElementwise.address(a), a.dtype().ordinal(), a.strideRef());
        long chunk = Math.max(1, (n + NONZERO_CHUNKS - 1) / NONZERO_CHUNKS), chunks = (n + chunk - 1) / chunk;
        long count = 0;
        long[] firsts = new long[(int) chunks];
        if (chunks > 0) {
            try (Tensor counts = longs(dev, (int) chunks)) {
                dev.kernels().launchOver("nonzero_count", chunks, shape, in, chunk, chunks, CudaElementwise.address(counts));
                long[] c = read(dev, counts);
                for (int t = 0; t < chunks; t++) {
                    firsts[t] = count;
                    count += c[t];
                }
            }
        }
        int[] rs = {Math.toIntExact(count), rank};
        Tensor out = new Tensor(new CudaStorage(dev, DType.INT64, Math.multiplyExact(rs[0], rank)), rs, Shapes.contiguousStrides(rs), 0, false);
        if (count == 0 || rank == 0) return out;
        try (Tensor f = longs(dev, firsts.length)) {
            write(dev, f, firsts);
            dev.kernels().launchOver("nonzero_fill", chunks, shape, in, chunk, chunks, CudaElementwise.address(f),
                    CudaElementwise.address(out));
            read(dev, f);   // waits for the fill before f goes back to the allocator
        }
        return out;
    }

    // ---------------------------------------------------------------- small device buffers

    /** A zeroed int64 buffer of {@code n} elements. */
    private static Tensor longs(CudaDevice dev, int n) {
        CudaStorage s = new CudaStorage(dev, DType.INT64, n);
        Driver.zero(dev.index(), s.address(), 8L * n);
        return new Tensor(s, new int[]{n}, new int[]{1}, 0, false);
    }

    private static long[] read(CudaDevice dev, Tensor t) {
        long[] r = new long[t.numel()];
        if (r.length > 0) dev.staging().toHost(r, CudaElementwise.address(t), r.length);
        return r;
    }

    private static void write(CudaDevice dev, Tensor t, long[] values) {
        if (values.length > 0) dev.staging().toDevice(CudaElementwise.address(t), values, values.length);
    }

    /** Throws the CPU's error when the kernel met an index outside {@code [0, size)}. */
    private static void check(CudaDevice dev, Tensor err, int dim, int size) {
        long[] e = read(dev, err);
        if (e[0] != 0)
            throw new IndexOutOfBoundsException("index " + e[1] + " is out of bounds for dimension " + dim + " with size " + size);
    }
}
