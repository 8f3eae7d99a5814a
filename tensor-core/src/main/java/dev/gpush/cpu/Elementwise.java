package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * Elementwise loops: operands are loaded a block at a time into double (floating) or long (integer) buffers,
 * computed, and stored into the output's dtype and layout (Note [compute in double] in {@link Typed}).
 */
final class Elementwise {
    private Elementwise() {}

    static final int BLOCK = 1024;      // elements per buffer: fits L1 with three operands
    static final int GRAIN = 32 * 1024; // elements per parallel task

    private static boolean floating(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype().isFloatingPoint()) return true;
        return false;
    }

    /** One block of a loop: elements [start, start + n) of the iteration, with buffers {@code l}. */
    @FunctionalInterface
    private interface Block {
        void run(Lanes l, int start, int n);
    }

    /** Runs {@code block} over [0, numel) a block at a time, in parallel, with {@code slots} buffers each. */
    private static void blocks(int numel, boolean floating, int slots, Block block) {
        if (numel <= BLOCK) {   // one block on this thread: the common small op pays for no task
            if (numel > 0) block.run(Lanes.of(floating, slots, numel), 0, numel);
            return;
        }
        Parallel.range(numel, GRAIN, (lo, hi) -> {
            Lanes l = Lanes.of(floating, slots, Math.min(BLOCK, hi - lo));
            for (int s = lo; s < hi; s += BLOCK) block.run(l, s, Math.min(BLOCK, hi - s));
        });
    }

    static void unary(UnaryOp op, Tensor out, Tensor a) {
        Strided o = new Strided(out), x = new Strided(a);
        if (Float32Unary.unary(op, o, x, out.numel())) return;
        blocks(out.numel(), floating(out, a), 2, (l, s, n) -> {
            l.load(x, s, n, 0);
            l.unary(op, 0, 1, n);
            l.store(o, s, n, 1);
        });
    }

    static void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        Strided o = new Strided(out), x = new Strided(a), y = new Strided(b);
        if (Float32Arith.binary(op, o, x, y, out.numel())) return;
        // comparisons compute in their operands' type; arithmetic in the output's
        blocks(out.numel(), op.returnsBool() ? floating(a, b) : floating(out, a, b), 3, (l, s, n) -> {
            l.load(x, s, n, 0);
            l.load(y, s, n, 1);
            l.binary(op, 0, 1, 2, n);
            l.store(o, s, n, 2);
        });
    }

    static void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        Strided o = new Strided(out), c = new Strided(cond), x = new Strided(a), y = new Strided(b);
        blocks(out.numel(), floating(out, a, b), 2, (l, s, n) -> {
            l.loadCond(c, s, n);
            l.load(x, s, n, 0);
            l.load(y, s, n, 1);
            l.choose(0, 1, n);
            l.store(o, s, n, 0);
        });
    }

    static void copy(Tensor out, Tensor src) {
        Strided o = new Strided(out), x = new Strided(src);
        if (x.array == o.array && (x.offset != o.offset || !java.util.Arrays.equals(x.strides, o.strides))) {
            // src reads out's memory in another layout (x.copy_(x.t())): a block-wise copy would read elements it
            // has already overwritten, so read all of src first
            Tensor tmp = new Tensor(CpuBackend.INSTANCE.allocate(src.dtype(), src.numel(), false), src.shape(),
                    dev.gpush.tensor.Shapes.contiguousStrides(src.shapeRef()), 0, false);
            copy(tmp, src);
            copy(out, tmp);
            return;
        }
        if (o.contiguous && x.contiguous && out.dtype() == src.dtype() && !x.constant) {
            System.arraycopy(x.array, x.offset, o.array, o.offset, out.numel());
            return;
        }
        if (copyToFloat32(o, x, out.numel())) return;
        blocks(out.numel(), floating(out, src), 1, (l, s, n) -> {
            l.load(x, s, n, 0);
            l.store(o, s, n, 0);
        });
    }

    /**
     * The copies a training step makes most, into a contiguous float32 tensor without the double buffers: a
     * strided float32 view made contiguous (a permute, a transpose) and a bool mask cast to float32 (1 or 0).
     */
    private static boolean copyToFloat32(Strided o, Strided x, int numel) {
        if (o.dtype != DType.FLOAT32 || !o.contiguous || x.constant) return false;
        float[] out = (float[]) o.array;
        int oo = o.offset;
        if (x.dtype == DType.BOOL && x.contiguous) {
            byte[] a = (byte[]) x.array;
            int ao = x.offset;
            Parallel.range(numel, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) out[oo + i] = a[ao + i]; });
            return true;
        }
        if (x.dtype != DType.FLOAT32) return false;
        float[] a = (float[]) x.array;
        int last = x.shape.length - 1, row = last < 0 ? 1 : x.shape[last];
        if (row >= 16 && x.strides[last] == 1) {
            // x's rows (runs of its last dim) are contiguous too, as after a permute that keeps the last dim
            Parallel.range(numel / row, Math.max(1, GRAIN / row), (lo, hi) -> {
                for (int r = lo; r < hi; r++) System.arraycopy(a, rowOffset(x, r), out, oo + r * row, row);
            });
            return true;
        }
        Parallel.range(numel, GRAIN, (lo, hi) -> {
            int[] offs = new int[Math.min(BLOCK, hi - lo)];
            for (int s = lo; s < hi; s += BLOCK) {
                int n = Math.min(BLOCK, hi - s);
                x.offsets(s, n, offs);
                for (int i = 0; i < n; i++) out[oo + s + i] = a[offs[i]];
            }
        });
        return true;
    }

    /** The storage offset of the first element of row {@code r} of {@code x}, its r-th run of the last dim. */
    private static int rowOffset(Strided x, int r) {
        int off = x.offset;
        for (int d = x.shape.length - 2; d >= 0; d--) {
            int size = x.shape[d];
            off += (r % size) * x.strides[d];
            r /= size;
        }
        return off;
    }

    static void fill(Tensor out, Number value) {
        Strided o = new Strided(out);
        blocks(out.numel(), out.dtype().isFloatingPoint(), 1, (l, s, n) -> {
            l.fill(0, value);
            l.store(o, s, n, 0);
        });
    }
}
