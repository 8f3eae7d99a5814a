package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;
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
            Tensor tmp = new Tensor(CpuBackend.INSTANCE.allocate(src.dtype(), src.numel()), src.shape(),
                    dev.gpush.tensor.Shapes.contiguousStrides(src.shapeRef()), 0, false);
            copy(tmp, src);
            copy(out, tmp);
            return;
        }
        if (o.contiguous && x.contiguous && out.dtype() == src.dtype() && !x.constant) {
            System.arraycopy(x.array, x.offset, o.array, o.offset, out.numel());
            return;
        }
        blocks(out.numel(), floating(out, src), 1, (l, s, n) -> {
            l.load(x, s, n, 0);
            l.store(o, s, n, 0);
        });
    }

    static void fill(Tensor out, Number value) {
        Strided o = new Strided(out);
        blocks(out.numel(), out.dtype().isFloatingPoint(), 1, (l, s, n) -> {
            l.fill(0, value);
            l.store(o, s, n, 0);
        });
    }
}
