package dev.gpush.cuda;

import dev.gpush.nn.F;
import dev.gpush.nn.Reduction;
import dev.gpush.optim.Adam;
import dev.gpush.optim.AdamW;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The computations behind SelfTestChecks' checks of the fused kernels (norms.cu, optim.cu): softmax and
 * log_softmax, layer norm, cross-entropy and the Adam/AdamW step, forward and backward. Row lengths reach both
 * sides of CudaNorms.WARP_COLS (a warp per row, a block per row) and odd sizes; one check has more rows than the
 * grid has warps, so the grid-stride loop wraps. Each returns every output it checks flattened into one tensor.
 */
final class SelfTestFusedChecks {
    private SelfTestFusedChecks() {}

    /** Row lengths: a single element, odd and short, just under a warp's limit, and a block's (> WARP_COLS). */
    private static final int[] COLS = {1, 7, 1000, 4097};

    private static Tensor randn(Device d, long seed, DType dt, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(dt).to(d);
    }

    /** softmax (or log_softmax) over the last dim of rows of each length in COLS, float32 or float64. */
    static Tensor softmax(Device d, boolean log, DType dt) {
        List<Tensor> out = new ArrayList<>();
        for (int cols : COLS) {
            Tensor x = randn(d, cols, dt, 3, cols).mul(4);
            out.add((log ? x.logSoftmax(-1) : x.softmax(-1)).flatten());
        }
        return Tensor.cat(out, 0);
    }

    /** The input's gradient through softmax (or log_softmax) of rows of each length in COLS. */
    static Tensor softmaxBackward(Device d, boolean log) {
        List<Tensor> out = new ArrayList<>();
        for (int cols : COLS) {
            Tensor x = randn(d, cols, DType.FLOAT32, 3, cols).requiresGrad(true);
            Tensor y = log ? x.logSoftmax(-1) : x.softmax(-1);
            y.mul(randn(d, cols + 1, DType.FLOAT32, 3, cols)).sum().backward();
            out.add(x.grad().flatten());
        }
        return Tensor.cat(out, 0);
    }

    /** softmax of 600000 rows of 2: more rows than the grid's 65536 blocks of 8 warps, so the grid-stride loop wraps. */
    static Tensor softmaxManyRows(Device d) { return randn(d, 3, DType.FLOAT32, 600_000, 2).softmax(-1).flatten(); }

    /**
     * Layer norm forward and backward, with weight and bias (rows of 7 and 1000, and 1000 rows of 300, so the
     * weight's and bias's gradients sum over many chunks) and without (rows of 4097, and of 1): y, then the
     * gradients of x, w and b.
     */
    static Tensor layerNorm(Device d, DType dt) {
        List<Tensor> out = new ArrayList<>();
        int[][] shapes = {{5, 7}, {2, 3, 1000}, {1000, 300}, {2, 4097}, {6, 1}};
        for (int i = 0; i < shapes.length; i++) {
            int[] s = shapes[i];
            int cols = s[s.length - 1];
            boolean affine = i < 3;
            Tensor x = randn(d, 10 + i, dt, s).mul(3).add(1).requiresGrad(true);
            Tensor w = affine ? randn(d, 20 + i, dt, cols).requiresGrad(true) : null;
            Tensor b = affine ? randn(d, 30 + i, dt, cols).requiresGrad(true) : null;
            Tensor y = F.layerNorm(x, new int[]{cols}, w, b, 1e-5);
            y.mul(randn(d, 40 + i, dt, s)).sum().backward();
            out.add(y.detach().flatten());
            out.add(x.grad().flatten());
            if (affine) {
                out.add(w.grad());
                out.add(b.grad());
            }
        }
        return Tensor.cat(out, 0);
    }

    /** Cross-entropy (mean, and with label smoothing) of 37 rows of 1000 classes: the losses, then the logits' gradient. */
    static Tensor crossEntropy(Device d) {
        Tensor logits = randn(d, 1, DType.FLOAT32, 37, 1000).mul(3).requiresGrad(true);
        Tensor target = Tensor.randint(new Generator(2), 0, 1000, 37).to(d);
        Tensor loss = F.crossEntropy(logits, target, Reduction.MEAN);
        Tensor smoothed = F.crossEntropy(logits, target, null, -100, Reduction.MEAN, 0.1);
        loss.add(smoothed).backward();
        return Tensor.cat(0, loss.detach().reshape(1), smoothed.detach().reshape(1), logits.grad().flatten());
    }

    /**
     * Three steps of Adam (L2 weight decay, amsgrad) or AdamW (maximize) on a parameter of 1031 elements with
     * seeded gradients: the parameter, then its two moments. The fused step rounds as the composite does, so the
     * device must equal the CPU to the bit.
     */
    static Tensor adam(Device d, boolean adamW, DType dt) {
        Tensor p = randn(d, 1, dt, 1031).requiresGrad(true);
        Adam opt = adamW ? new AdamW(List.of(p), AdamW.options().lr(0.01).weightDecay(0.1).maximize(true))
                : new Adam(List.of(p), Adam.options().lr(0.01).weightDecay(0.1).amsgrad(true));
        for (int step = 0; step < 3; step++) {
            p.setGrad(randn(d, 100 + step, dt, 1031));
            opt.step();
        }
        Tensor m = (Tensor) opt.state(p).get("exp_avg"), v = (Tensor) opt.state(p).get("exp_avg_sq");
        return Tensor.cat(0, p.detach(), m, v);
    }
}
