package dev.gpush.cpu;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;
import dev.gpush.cpu.Walk.Operand;
import dev.gpush.cpu.Walk.Run;

/**
 * Gather, scatter and index selection on the CPU. Rules:
 * <ul>
 *   <li>Every kernel walks an iteration shape as {@code [outer, line, inner]}, where the line is the indexed dim
 *       ({@link Walk}). Each operand is read with its own strides, so views, transposes and broadcasts need no
 *       copy.</li>
 *   <li>Same-dtype operands move elements array to array; mixed dtypes go through long (integers and bool) or
 *       double (Note [compute in double] in {@link Typed}).</li>
 *   <li>A row of an index select whose source and destination rows are both contiguous and of one dtype is
 *       one {@link System#arraycopy} (the embedding lookup).</li>
 *   <li>An index outside {@code [0, size)} stops the kernel with an IndexOutOfBoundsException naming the index,
 *       the dim and its size, thrown on the calling thread. Elements already written stay written; the ops
 *       only ever hand these kernels fresh outputs.</li>
 * </ul>
 *
 * <p>Note [lines]: scatter and indexAdd may send several source elements to one destination element (duplicate
 * indices). Two source positions can only collide when they agree on every coordinate but the indexed dim, so
 * those kernels give each task whole lines: all positions along the dim for some (outer, inner) positions, run
 * in index order. Duplicates then accumulate on one thread, and for scatter the last one in index order wins,
 * as on PyTorch's CPU. Gather and index select never collide, so their runs may cut lines anywhere.
 */
final class CpuIndexing {
    private CpuIndexing() {}

    static final int BLOCK = Elementwise.BLOCK;  // inner positions per run: the scratch arrays fit L1
    static final int GRAIN = Elementwise.GRAIN;  // elements per parallel task
    static final int MIN_RUN = 64;               // inner positions per run when splitting lines for more tasks

    // ---------------------------------------------------------------- kernels

    /** {@code out[p] = a[p with p[dim] = index[p]]} over index's positions; out has index's shape. */
    static void gather(Tensor out, Tensor a, int dim, Tensor index) {
        int size = a.shapeRef()[dim], step = a.strideRef()[dim];
        int[] along = a.stride();
        along[dim] = 0;   // the indexed dim is reached through the index values
        Operand o = Operand.of(out), ix = Operand.of(index), src = new Operand(data(a), a.dtype(), along, a.storageOffset());
        new Walk(index.shapeRef(), -1, false, o, ix, src).run(r -> {
            int n = r.len;
            int[] from = r.from;
            long[] iv = r.index;
            readIndex(ix.array, r.offsets(1), 0, n, iv);
            int[] so = r.offsets(2);
            for (int j = 0; j < n; j++) from[j] = so[j] + checked(iv[j], dim, size) * step;
            move(o.array, o.dtype, r.offsets(0), src.array, src.dtype, from, n);
        });
    }

    /** {@code out[p with p[dim] = index[p]] = src[p]} (or {@code +=}) over index's positions, in place. */
    static void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean add) {
        int size = out.shapeRef()[dim], step = out.strideRef()[dim];
        int[] along = out.stride();
        along[dim] = 0;
        Operand ix = Operand.of(index), s = Operand.of(src), o = new Operand(data(out), out.dtype(), along, out.storageOffset());
        // with one position along dim nothing can collide, and the walk may cut anywhere
        int line = index.shapeRef()[dim] > 1 ? dim : -1;
        Walk w = new Walk(index.shapeRef(), line, true, ix, s, o);
        int iStep = w.lineStride(0), sStep = w.lineStride(1);
        w.run(r -> {
            int n = r.len;
            int[] io = r.offsets(0), so = r.offsets(1), oo = r.offsets(2), to = r.to, from = r.from;
            long[] iv = r.index;
            for (int k = r.kFrom; k < r.kTo; k++) {
                readIndex(ix.array, io, k * iStep, n, iv);
                for (int j = 0; j < n; j++) {
                    to[j] = oo[j] + checked(iv[j], dim, size) * step;
                    from[j] = so[j] + k * sStep;
                }
                if (add) accumulate(o.array, o.dtype, to, s.array, s.dtype, from, n);
                else move(o.array, o.dtype, to, s.array, s.dtype, from, n);
            }
        });
    }

    /** {@code out.select(dim, k) = a.select(dim, index[k])}. */
    static void indexSelect(Tensor out, Tensor a, int dim, Tensor index) {
        int[] idx = indices(index, dim, a.shapeRef()[dim]);
        int step = a.strideRef()[dim];
        Operand o = Operand.of(out), src = Operand.of(a);
        Walk w = new Walk(out.shapeRef(), dim, false, o, src);
        int oStep = w.lineStride(0);
        boolean same = out.dtype() == a.dtype();
        w.run(r -> {
            int n = r.len;
            if (same && r.unit[0] && r.unit[1]) {
                for (int k = r.kFrom; k < r.kTo; k++)
                    System.arraycopy(src.array, r.first[1] + idx[k] * step, o.array, r.first[0] + k * oStep, n);
                return;
            }
            int[] oo = r.offsets(0), so = r.offsets(1), to = r.to, from = r.from;
            for (int k = r.kFrom; k < r.kTo; k++) {
                int at = idx[k] * step, put = k * oStep;
                for (int j = 0; j < n; j++) {
                    to[j] = oo[j] + put;
                    from[j] = so[j] + at;
                }
                move(o.array, o.dtype, to, src.array, src.dtype, from, n);
            }
        });
    }

    /** {@code out.select(dim, index[k]) += src.select(dim, k)}, in place; duplicates accumulate (Note [lines]). */
    static void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        int[] idx = indices(index, dim, out.shapeRef()[dim]);
        int step = out.strideRef()[dim];
        Operand s = Operand.of(src), o = Operand.of(out);
        Walk w = new Walk(src.shapeRef(), dim, true, s, o);
        int sStep = w.lineStride(0);
        boolean same = out.dtype() == src.dtype();
        w.run(r -> {
            int n = r.len;
            if (same && r.unit[0] && r.unit[1] && addRows(o, s, r, idx, step, sStep)) return;
            int[] so = r.offsets(0), oo = r.offsets(1), to = r.to, from = r.from;
            for (int k = r.kFrom; k < r.kTo; k++) {
                int at = idx[k] * step, get = k * sStep;
                for (int j = 0; j < n; j++) {
                    to[j] = oo[j] + at;
                    from[j] = so[j] + get;
                }
                accumulate(o.array, o.dtype, to, s.array, s.dtype, from, n);
            }
        });
    }

    /** The contiguous-rows case of indexAdd in float32/float64 (an embedding's backward); false for others. */
    private static boolean addRows(Operand o, Operand s, Run r, int[] idx, int step, int sStep) {
        int n = r.len, ob = r.first[1], sb = r.first[0];
        if (o.array instanceof float[] d && s.array instanceof float[] v) {
            for (int k = r.kFrom; k < r.kTo; k++) {
                int at = ob + idx[k] * step, get = sb + k * sStep;
                for (int j = 0; j < n; j++) d[at + j] += v[get + j];
            }
            return true;
        }
        if (o.array instanceof double[] d && s.array instanceof double[] v) {
            for (int k = r.kFrom; k < r.kTo; k++) {
                int at = ob + idx[k] * step, get = sb + k * sStep;
                for (int j = 0; j < n; j++) d[at + j] += v[get + j];
            }
            return true;
        }
        return false;
    }

    /** Positions of the non-zero elements, int64 [count, a.dim()], in row-major order. */
    static Tensor nonzero(Tensor a) {
        int n = a.numel(), rank = a.dim();
        int[] shape = a.shape();
        Strided s = new Strided(a);
        boolean dbl = a.dtype().isFloatingPoint();
        int chunks = Math.max(1, ceilDiv(n, GRAIN));
        int[] before = new int[chunks + 1];   // non-zeros in the chunks before chunk c, once summed
        Parallel.range(chunks, 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                int from = c * GRAIN, to = Math.min(n, from + GRAIN);
                before[c + 1] = scanNonzero(s, from, to, dbl, null, 0, shape);
            }
        });
        for (int c = 0; c < chunks; c++) before[c + 1] += before[c];
        int count = before[chunks];
        long[] result = new long[Math.multiplyExact(count, rank)];
        if (rank > 0 && count > 0) Parallel.range(chunks, 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                int from = c * GRAIN, to = Math.min(n, from + GRAIN);
                scanNonzero(s, from, to, dbl, result, before[c] * rank, shape);
            }
        });
        int[] rs = {count, rank};
        return new Tensor(new CpuStorage(DType.INT64, result, result.length), rs, Shapes.contiguousStrides(rs), 0, false);
    }

    /** Counts the non-zeros among elements [from, to); with {@code out}, also writes their coordinates from {@code at}. */
    private static int scanNonzero(Strided s, int from, int to, boolean dbl, long[] out, int at, int[] shape) {
        if (from >= to) return 0;
        int rank = shape.length, count = 0;
        int[] coord = new int[rank];
        for (int d = rank - 1, rem = from; d >= 0; d--) {
            coord[d] = rem % shape[d];
            rem /= shape[d];
        }
        int cap = Math.min(BLOCK, to - from);
        int[] offs = new int[cap];
        double[] db = dbl ? new double[cap] : null;
        long[] lb = dbl ? null : new long[cap];
        for (int b = from; b < to; b += BLOCK) {
            int len = Math.min(BLOCK, to - b);
            if (dbl) Typed.load(s, b, len, db, offs);
            else Typed.load(s, b, len, lb, offs);
            for (int i = 0; i < len; i++) {
                if (dbl ? db[i] != 0 : lb[i] != 0) {
                    count++;
                    if (out != null) for (int d = 0; d < rank; d++) out[at++] = coord[d];
                }
                for (int d = rank - 1; d >= 0 && ++coord[d] == shape[d]; d--) coord[d] = 0;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- indices and element moves

    private static Object data(Tensor t) { return ((CpuStorage) t.storage()).data(); }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    static IndexOutOfBoundsException outOfBounds(long index, int dim, int size) {
        return new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + dim + " with size " + size);
    }

    private static int checked(long index, int dim, int size) {
        if (index < 0 || index >= size) throw outOfBounds(index, dim, size);
        return (int) index;
    }

    /** The values of a 0-d or 1-d int64/int32 index, each checked against {@code size}. */
    private static int[] indices(Tensor index, int dim, int size) {
        int n = index.numel(), off = index.storageOffset(), st = index.dim() == 0 ? 0 : index.strideRef()[0];
        int[] r = new int[n];
        Object array = data(index);
        if (array instanceof long[] l) for (int i = 0; i < n; i++) r[i] = checked(l[off + i * st], dim, size);
        else {
            int[] a = (int[]) array;
            for (int i = 0; i < n; i++) r[i] = checked(a[off + i * st], dim, size);
        }
        return r;
    }

    /** {@code buf[j] = index[offs[j] + add]} for an int64 or int32 index array. */
    private static void readIndex(Object array, int[] offs, int add, int len, long[] buf) {
        if (array instanceof long[] l) for (int j = 0; j < len; j++) buf[j] = l[offs[j] + add];
        else {
            int[] a = (int[]) array;
            for (int j = 0; j < len; j++) buf[j] = a[offs[j] + add];
        }
    }

    /** {@code dst[to[j]] = src[from[j]]} for j < len, converting dtype. */
    private static void move(Object dst, DType dt, int[] to, Object src, DType st, int[] from, int len) {
        if (dt == st) {
            switch (dst) {
                case float[] d -> { float[] s = (float[]) src; for (int j = 0; j < len; j++) d[to[j]] = s[from[j]]; }
                case double[] d -> { double[] s = (double[]) src; for (int j = 0; j < len; j++) d[to[j]] = s[from[j]]; }
                case short[] d -> { short[] s = (short[]) src; for (int j = 0; j < len; j++) d[to[j]] = s[from[j]]; }
                case long[] d -> { long[] s = (long[]) src; for (int j = 0; j < len; j++) d[to[j]] = s[from[j]]; }
                case int[] d -> { int[] s = (int[]) src; for (int j = 0; j < len; j++) d[to[j]] = s[from[j]]; }
                case byte[] d -> { byte[] s = (byte[]) src; for (int j = 0; j < len; j++) d[to[j]] = s[from[j]]; }
                default -> throw new IllegalStateException("unknown storage " + dst.getClass());
            }
        } else if (!dt.isFloatingPoint() && !st.isFloatingPoint()) {
            for (int j = 0; j < len; j++) Typed.setLong(dst, dt, to[j], Typed.getLong(src, st, from[j]));
        } else {
            for (int j = 0; j < len; j++) Typed.set(dst, dt, to[j], Typed.get(src, st, from[j]));
        }
    }

    /** {@code dst[to[j]] += src[from[j]]} for j < len, in order (so repeated targets add up); bool adds as or. */
    private static void accumulate(Object dst, DType dt, int[] to, Object src, DType st, int[] from, int len) {
        if (dt == st) {
            switch (dt) {
                case FLOAT32 -> { float[] d = (float[]) dst, s = (float[]) src; for (int j = 0; j < len; j++) d[to[j]] += s[from[j]]; }
                case FLOAT64 -> { double[] d = (double[]) dst, s = (double[]) src; for (int j = 0; j < len; j++) d[to[j]] += s[from[j]]; }
                case FLOAT16 -> { short[] d = (short[]) dst, s = (short[]) src;
                    for (int j = 0; j < len; j++) d[to[j]] = Typed.toHalf(Typed.half(d[to[j]]) + Typed.half(s[from[j]])); }
                case BFLOAT16 -> { short[] d = (short[]) dst, s = (short[]) src;
                    for (int j = 0; j < len; j++) d[to[j]] = Typed.toBf16(Typed.bf16(d[to[j]]) + Typed.bf16(s[from[j]])); }
                case INT64 -> { long[] d = (long[]) dst, s = (long[]) src; for (int j = 0; j < len; j++) d[to[j]] += s[from[j]]; }
                case INT32 -> { int[] d = (int[]) dst, s = (int[]) src; for (int j = 0; j < len; j++) d[to[j]] += s[from[j]]; }
                case BOOL -> { byte[] d = (byte[]) dst, s = (byte[]) src; for (int j = 0; j < len; j++) d[to[j]] |= s[from[j]]; }
            }
        } else if (!dt.isFloatingPoint()) {
            for (int j = 0; j < len; j++)
                Typed.setLong(dst, dt, to[j], Typed.getLong(dst, dt, to[j]) + Typed.getLong(src, st, from[j]));
        } else {
            for (int j = 0; j < len; j++) Typed.set(dst, dt, to[j], Typed.get(dst, dt, to[j]) + Typed.get(src, st, from[j]));
        }
    }
}
