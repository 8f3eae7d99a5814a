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
 * into one flat tensor, averaged, and copied back, so many small parameters cost one collective.
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
     * Replaces every gradient with its average over the ranks. A parameter without a gradient here counts as zero;
     * it gets the average when some rank used it ({@code usedSomewhere}, null: all are used), and stays without
     * a gradient when no rank did.
     */
    void average(ProcessGroup group, boolean[] usedSomewhere) {
        try (GradMode off = GradMode.disable(); Scope scope = Scope.open()) {
            Tensor flat = Tensor.zeros(new int[]{Math.toIntExact(numel)}, dtype, device);
            int at = 0;
            for (Tensor p : params) {
                if (p.grad() != null) flat.narrow(0, at, p.numel()).copy_(p.grad().reshape(-1));
                at += p.numel();
            }
            group.allReduce(flat, ReduceOp.AVG);
            at = 0;
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor avg = flat.narrow(0, at, p.numel()).view(p.shapeRef());
                at += p.numel();
                if (p.grad() != null) p.grad().copy_(avg);
                else if (usedSomewhere == null || usedSomewhere[indices.get(i)]) p.setGrad(Scope.escape(avg.clone()));
            }
        }
    }
}
