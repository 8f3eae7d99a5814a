package dev.gpush.cuda;

import dev.gpush.backend.AdamStep;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * The fused Adam/AdamW step on a CUDA device: one launch of optim.cu's {@code adam_*} per parameter, one thread per
 * element, where the composite makes about ten kernels and as many temporaries. The kernel runs
 * {@link AdamStep}'s operations in their order with round-to-nearest intrinsics (no fused multiply-add), so it
 * equals the CPU's step to the bit. float32 and float64, everything contiguous (Backend.adamStep's contract).
 */
final class CudaAdam {
    private CudaAdam() {}

    // flags of optim.cu
    static final int MAXIMIZE = 1, L2 = 2, DECOUPLED = 4, AMSGRAD = 8;

    static boolean step(CudaDevice dev, Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, AdamStep s) {
        int flags = (s.maximize() ? MAXIMIZE : 0) | (vMax != null ? AMSGRAD : 0);
        if (s.weightDecay() != 0) flags |= s.decoupled() ? DECOUPLED : L2;
        String kernel = param.dtype() == DType.FLOAT32 ? "adam_f32" : "adam_f64";
        dev.kernels().launchOver(kernel, param.numel(), address(param), address(grad), address(m), address(v),
                vMax == null ? 0L : address(vMax), (long) param.numel(), flags, s.weightDecay(), s.decay(),
                1 - s.beta1(), 1 - s.beta2(), s.epsTerm(), -s.stepSize());
        return true;
    }

    private static long address(Tensor t) { return CudaElementwise.address(t); }
}
