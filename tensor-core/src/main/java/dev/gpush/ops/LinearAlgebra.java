package dev.gpush.ops;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.Graph;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/** Matrix products with PyTorch's rules for 1-d operands and broadcast batch dims, all on one batched GEMM. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    private static void checkPair(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device()))
            throw new IllegalArgumentException("expected all tensors on one device, got " + a.device() + " and " + b.device());
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException(op + ": expected both operands to have the same dtype, got " + a.dtype()
                    + " and " + b.dtype());
        if (a.dim() == 0 || b.dim() == 0)
            throw new IllegalArgumentException(op + ": both arguments need at least 1 dimension, got " + a.dim() + "D and "
                    + b.dim() + "D tensors");
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        if (Autocast.isActive()) return Autocast.lowPrecision(t -> matmul(t[0], t[1]), a, b);
        checkPair("matmul", a, b);
        if (a.dim() == 1 && b.dim() == 1) return dot(a, b);
        if (a.dim() == 1) return batched(a.unsqueeze(0), b, "matmul", a, b).squeeze(-2);
        if (b.dim() == 1) return batched(a, b.unsqueeze(1), "matmul", a, b).squeeze(-1);
        return batched(a, b, "matmul", a, b);
    }

    public static Tensor mm(Tensor a, Tensor b) {
        if (Autocast.isActive()) return Autocast.lowPrecision(t -> mm(t[0], t[1]), a, b);
        checkPair("mm", a, b);
        if (a.dim() != 2 || b.dim() != 2)
            throw new IllegalArgumentException("mm: expected 2D tensors, got " + a.dim() + "D and " + b.dim() + "D");
        return batched(a, b, "mm", a, b);
    }

    public static Tensor bmm(Tensor a, Tensor b) {
        if (Autocast.isActive()) return Autocast.lowPrecision(t -> bmm(t[0], t[1]), a, b);
        checkPair("bmm", a, b);
        if (a.dim() != 3 || b.dim() != 3)
            throw new IllegalArgumentException("bmm: expected 3D tensors, got " + a.dim() + "D and " + b.dim() + "D");
        if (a.size(0) != b.size(0))
            throw new IllegalArgumentException("bmm: batch sizes differ: " + Shapes.str(a.shapeRef()) + " and "
                    + Shapes.str(b.shapeRef()));
        return batched(a, b, "bmm", a, b);
    }

    public static Tensor mv(Tensor a, Tensor v) {
        if (Autocast.isActive()) return Autocast.lowPrecision(t -> mv(t[0], t[1]), a, v);
        checkPair("mv", a, v);
        if (a.dim() != 2 || v.dim() != 1)
            throw new IllegalArgumentException("mv: expected a 2D matrix and a 1D vector, got " + a.dim() + "D and " + v.dim() + "D");
        return matmul(a, v);
    }

    public static Tensor dot(Tensor a, Tensor b) {
        checkPair("dot", a, b);
        if (a.dim() != 1 || b.dim() != 1)
            throw new IllegalArgumentException("dot: expected 1D tensors, got " + a.dim() + "D and " + b.dim() + "D");
        if (a.size(0) != b.size(0))
            throw new IllegalArgumentException("dot: inconsistent tensor size, expected tensors of the same size, got "
                    + a.size(0) + " and " + b.size(0));
        return batched(a.unsqueeze(0), b.unsqueeze(1), "dot", a, b).reshape();
    }

    public static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1)
            throw new IllegalArgumentException("outer: expected 1D tensors, got " + a.dim() + "D and " + b.dim() + "D");
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    /** [..., M, K] @ [..., K, N] with broadcast batch dims: one batched GEMM on the backend. */
    private static Tensor batched(Tensor a, Tensor b, String op, Tensor origA, Tensor origB) {
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2)
            throw new IllegalArgumentException(op + ": shapes " + Shapes.str(origA.shapeRef()) + " and "
                    + Shapes.str(origB.shapeRef()) + " cannot be multiplied (" + k + " != " + k2 + ")");
        int[] batch = Shapes.broadcast(java.util.Arrays.copyOf(as, as.length - 2), java.util.Arrays.copyOf(bs, bs.length - 2));
        int bcount = Shapes.numel(batch);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Creation.empty(outShape, a.dtype(), a.device());
        Creation.backend(out).matmul(Tensor.borrow(out, new int[]{bcount, m, n}, new int[]{m * n, n, 1}, 0),
                as3d(a, batch, m, k), as3d(b, batch, k, n));
        return Graph.record(op, out,
                a, g -> g.matmul(b.mT()),
                b, g -> a.mT().matmul(g), a, b);
    }

    /** {@code t} broadcast to [batch..., r, c] and read as [B, r, c], copying only when the batch dims don't merge. */
    private static Tensor as3d(Tensor t, int[] batch, int r, int c) {
        int[] full = java.util.Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = r;
        full[batch.length + 1] = c;
        int[] st = Shapes.broadcastStrides(t.shapeRef(), t.strideRef(), full);
        int bcount = Shapes.numel(batch);
        // the batch dims merge into one stride when each steps over the next (all broadcast merges too)
        int bstride = 0, prev = -1;
        boolean merges = true;
        for (int i = batch.length - 1; i >= 0; i--) {
            if (batch[i] == 1) continue;
            if (prev < 0) bstride = st[i];
            else if (st[i] != st[prev] * batch[prev]) merges = false;
            prev = i;
        }
        if (merges) return Tensor.borrow(t, new int[]{bcount, r, c},
                new int[]{bstride, st[batch.length], st[batch.length + 1]}, t.storageOffset());
        Tensor e = Tensor.borrow(t, full, st, t.storageOffset());
        Tensor copy = Creation.empty(full, t.dtype(), t.device());
        Creation.backend(copy).copy(copy, e);
        return Tensor.borrow(copy, new int[]{bcount, r, c}, new int[]{r * c, c, 1}, 0);
    }
}
