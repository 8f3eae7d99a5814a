package dev.gpush.cpu;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.concurrent.atomic.AtomicReference;

import static dev.gpush.cpu.CpuIndexing.BLOCK;
import static dev.gpush.cpu.CpuIndexing.GRAIN;
import static dev.gpush.cpu.CpuIndexing.MIN_RUN;
import static dev.gpush.cpu.CpuIndexing.ceilDiv;

/**
 * An iteration shape split as {@code [outer, line, inner]} around the line dim (none when -1), with the outer
 * and inner dims coalesced where every operand allows. Work is cut into runs: one outer position, positions
 * {@code [kFrom, kTo)} along the line, and up to {@link #BLOCK} consecutive inner positions. With
 * {@code wholeLines} every run holds its whole line (Note [lines]); otherwise runs are cut to about
 * {@link #BLOCK} elements.
 */
final class Walk {
    final Operand[] ops;
    final int lineN, outerN, innerN;
    final int[] lineStrides;                   // [op]; 0 without a line dim
    final int[] outerShape, innerShape;        // coalesced
    final int[][] outerStrides, innerStrides;  // [op][d]
    final boolean wholeLines;

    Walk(int[] shape, int line, boolean wholeLines, Operand... ops) {
        this.ops = ops;
        this.wholeLines = wholeLines;
        int n = shape.length;
        lineN = line < 0 ? 1 : shape[line];
        lineStrides = new int[ops.length];
        if (line >= 0) for (int p = 0; p < ops.length; p++) lineStrides[p] = ops[p].strides[line];
        int split = Math.max(line, 0);
        int[][] outer = coalesce(shape, 0, split), inner = coalesce(shape, line + 1, n);
        outerShape = outer[0];
        innerShape = inner[0];
        outerStrides = new int[ops.length][];
        innerStrides = new int[ops.length][];
        for (int p = 0; p < ops.length; p++) {
            outerStrides[p] = outer[p + 1];
            innerStrides[p] = inner[p + 1];
        }
        outerN = Shapes.numel(outerShape);
        innerN = Shapes.numel(innerShape);
    }

    int lineStride(int op) { return lineStrides[op]; }

    /** Dims [from, to) of the shape without size-1 dims, merged where every operand's strides allow. */
    private int[][] coalesce(int[] shape, int from, int to) {
        int[] s = new int[Math.max(0, to - from)];
        int[][] st = new int[ops.length][s.length];
        int r = 0;
        for (int d = from; d < to; d++) {
            if (shape[d] == 1) continue;
            boolean merge = r > 0;
            for (int p = 0; p < ops.length && merge; p++) merge = st[p][r - 1] == ops[p].strides[d] * shape[d];
            if (merge) {
                s[r - 1] *= shape[d];
                for (int p = 0; p < ops.length; p++) st[p][r - 1] = ops[p].strides[d];
            } else {
                s[r] = shape[d];
                for (int p = 0; p < ops.length; p++) st[p][r] = ops[p].strides[d];
                r++;
            }
        }
        int[][] out = new int[ops.length + 1][];
        out[0] = java.util.Arrays.copyOf(s, r);
        for (int p = 0; p < ops.length; p++) out[p + 1] = java.util.Arrays.copyOf(st[p], r);
        return out;
    }

    void run(Visit visit) {
        if (outerN == 0 || lineN == 0 || innerN == 0) return;
        int chunk = Math.min(innerN, BLOCK);
        if (wholeLines) {
            // few (outer, inner) positions: cut the inner dims finer so that every core gets lines
            int want = Parallel.threads() * 4;
            if ((long) outerN * ceilDiv(innerN, chunk) < want)
                chunk = Math.min(chunk, Math.max(MIN_RUN, ceilDiv(innerN, ceilDiv(want, outerN))));
        }
        int kGroup = wholeLines ? lineN : Math.clamp(BLOCK / chunk, 1, lineN);
        int chunks = ceilDiv(innerN, chunk), groups = ceilDiv(lineN, kGroup);
        int units = Math.multiplyExact(Math.multiplyExact(outerN, groups), chunks);
        int grain = (int) Math.max(1, GRAIN / ((long) chunk * kGroup));
        int runLen = chunk;
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Parallel.range(units, grain, (lo, hi) -> {
            Run r = new Run(this, runLen);
            try {
                for (int u = lo; u < hi && failure.get() == null; u++) {
                    int c = u % chunks, t = u / chunks, g = t % groups, o = t / groups;
                    int j0 = c * runLen;
                    r.position(o, j0, Math.min(runLen, innerN - j0), g * kGroup, Math.min(lineN, (g + 1) * kGroup));
                    visit.visit(r);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);  // rethrown below, on the calling thread, message intact
            }
        });
        if (failure.get() != null) throw failure.get();
    }

    /** The offset of coalesced position {@code pos} of {@code shape} with {@code strides}. */
    static int offsetOf(int[] shape, int[] strides, int pos) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0 && pos > 0; d--) {
            off += (pos % shape[d]) * strides[d];
            pos /= shape[d];
        }
        return off;
    }

    /** {@code out[j] = base + offset of inner position j0 + j}, for j < len. */
    void fill(int op, int base, int j0, int len, int[] out) {
        int[] s = innerShape, st = innerStrides[op];
        int r = s.length;
        if (r == 0) {
            out[0] = base;
            return;
        }
        if (r == 1) {
            for (int j = 0, step = st[0], at = base + j0 * step; j < len; j++, at += step) out[j] = at;
            return;
        }
        int[] idx = new int[r];
        int cur = base;
        for (int d = r - 1, rem = j0; d >= 0; d--) {
            idx[d] = rem % s[d];
            rem /= s[d];
            cur += idx[d] * st[d];
        }
        for (int j = 0; j < len; j++) {
            out[j] = cur;
            for (int d = r - 1; d >= 0; d--) {
                cur += st[d];
                if (++idx[d] < s[d]) break;
                cur -= idx[d] * st[d];
                idx[d] = 0;
            }
        }
    }

    /** One operand of a walk: its array and dtype, its strides over the walk's shape, and its storage offset. */
    static final class Operand {
        final Object array;
        final DType dtype;
        final int[] strides;
        final int offset;

        Operand(Object array, DType dtype, int[] strides, int offset) {
            this.array = array;
            this.dtype = dtype;
            this.strides = strides;
            this.offset = offset;
        }

        static Operand of(Tensor t) {
            return new Operand(((CpuStorage) t.storage()).data(), t.dtype(), t.strideRef(), t.storageOffset());
        }
    }

    /** What a kernel does with one run of a walk. */
    @FunctionalInterface
    interface Visit {
        void visit(Run run);
    }

    /**
     * One run of a walk, as a kernel sees it: {@code len} inner positions and the line positions
     * {@code [kFrom, kTo)}. Offsets are at line position 0; a kernel adds {@code k * lineStride} itself.
     */
    static final class Run {
        final Walk walk;
        int len, kFrom, kTo;
        final int[] first;          // [op] offset of the run's first inner position
        final boolean[] unit;       // [op] the run's inner positions are consecutive elements
        final int[] base;           // [op] offset of the outer position
        final int[][] offs;         // [op][j], filled on demand by offsets()
        final int[] to, from;       // scratch for kernels
        final long[] index;
        private int filled, outer = -1, j0 = -1;

        Run(Walk walk, int cap) {
            this.walk = walk;
            int n = walk.ops.length;
            first = new int[n];
            base = new int[n];
            unit = new boolean[n];
            offs = new int[n][cap];
            to = new int[cap];
            from = new int[cap];
            index = new long[cap];
            for (int p = 0; p < n; p++) {
                int[] st = walk.innerStrides[p];
                unit[p] = st.length == 0 || (st.length == 1 && st[0] == 1);
            }
        }

        void position(int o, int j0, int len, int kFrom, int kTo) {
            this.kFrom = kFrom;
            this.kTo = kTo;
            if (o == outer && j0 == this.j0) return;   // same positions, next part of the line: offsets hold
            this.len = len;
            this.j0 = j0;
            outer = o;
            filled = 0;
            for (int p = 0; p < first.length; p++) {
                base[p] = walk.ops[p].offset + Walk.offsetOf(walk.outerShape, walk.outerStrides[p], o);
                first[p] = base[p] + Walk.offsetOf(walk.innerShape, walk.innerStrides[p], j0);
            }
        }

        /** The offsets of the run's inner positions in operand {@code op}. */
        int[] offsets(int op) {
            if ((filled & (1 << op)) == 0) {
                walk.fill(op, base[op], j0, len, offs[op]);
                filled |= 1 << op;
            }
            return offs[op];
        }
    }
}
