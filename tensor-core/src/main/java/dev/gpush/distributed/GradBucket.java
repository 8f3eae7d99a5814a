package dev.gpush.distributed;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of one dtype and device whose gradients are averaged across ranks in one allReduce: they are copied
 * into one flat tensor ({@link #launch}), averaged while backward goes on, and copied back when it has ended
 * ({@link Reduction#finish}), so many small parameters cost one collective.
 */
final class GradBucket {
    final List<Tensor> params = new ArrayList<>();
    final List<Integer> indices = new ArrayList<>();   // each parameter's index in the DDP's parameter list
    final DType dtype;
    final Device device;
    long numel;

    GradBucket(DType dtype, Device device) {
        this.dtype = dtype;
        this.device = device;
    }

    boolean fits(Tensor p, long capBytes) {
        return p.dtype() == dtype && p.device().equals(device)
                && (params.isEmpty() || (numel + p.numel()) * dtype.itemSize() <= capBytes);
    }

    void add(Tensor p, int index) {
        params.add(p);
        indices.add(index);
        numel += p.numel();
    }

    /**
     * Starts averaging the gradients across the ranks: copies them into a new flat tensor (zeros for a parameter
     * without a gradient here) and hands it to {@code group.allReduceAsync(AVG)}. The flat tensor belongs to the
     * collective until {@link Reduction#finish} awaits it; the gradients are read now and written only then.
     */
    Reduction launch(ProcessGroup group) {
        try (GradMode off = GradMode.disable(); Scope scope = Scope.open()) {
            Tensor flat = Scope.escape(Tensor.zeros(new int[]{Math.toIntExact(numel)}, dtype, device));
            int at = 0;
            for (Tensor p : params) {
                if (p.grad() != null) flat.narrow(0, at, p.numel()).copy_(p.grad().reshape(-1));
                at += p.numel();
            }
            return new Reduction(flat, group.allReduceAsync(flat, ReduceOp.AVG));
        }
    }

    /** A bucket's all-reduce in flight. */
    final class Reduction {
        private final Tensor flat;
        private final Work work;

        private Reduction(Tensor flat, Work work) {
            this.flat = flat;
            this.work = work;
        }

        /**
         * Awaits the all-reduce and replaces every gradient with its average over the ranks. A parameter without a
         * gradient here gets the average when some rank used it ({@code usedSomewhere}, null: all are used), and
         * stays without a gradient when no rank did. When the collective failed, the flat tensor is left to the
         * garbage collector: the group may still hold it.
         */
        void finish(boolean[] usedSomewhere) {
            work.await();
            try (GradMode off = GradMode.disable(); Scope scope = Scope.open()) {
                int at = 0;
                for (int i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    Tensor avg = flat.narrow(0, at, p.numel()).view(p.shapeRef());
                    at += p.numel();
                    if (p.grad() != null) p.grad().copy_(avg);
                    else if (usedSomewhere == null || usedSomewhere[indices.get(i)]) p.setGrad(Scope.escape(avg.clone()));
                }
            } finally {
                flat.close();
            }
        }
    }
}
