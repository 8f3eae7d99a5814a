package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * Batch normalisation over the channel dim (dim 1), the shared body of {@link BatchNorm1d} and {@link BatchNorm2d}
 * (PyTorch's {@code _BatchNorm}), and its functional form {@link #batchNorm}. Rules, as in PyTorch:
 * <ul>
 *   <li>Training normalises with the batch's statistics over every dim but dim 1, dividing by the biased
 *       standard deviation {@code sqrt(var + eps)}. Running statistics, when given, move towards the batch's in
 *       place and without grad: {@code r = (1 - momentum) r + momentum s}, with the <em>unbiased</em> variance.</li>
 *   <li>Eval normalises with the running statistics, as one scale and one shift per channel.</li>
 *   <li>The module counts training batches in {@code num_batches_tracked} (int64). A null momentum makes the
 *       running statistics a cumulative average: the factor is {@code 1 / num_batches_tracked}.</li>
 *   <li>Without {@code trackRunningStats} there are no running statistics and eval uses the batch's too.</li>
 *   <li>float16 and bfloat16 inputs compute in float32 and round once (Note [half accumulation]).</li>
 *   <li>Where the device has a fused kernel (cuDNN on CUDA) it runs as one autograd node (Note [fused batch
 *       norm], {@link FusedBatchNorm}); elsewhere, the CPU included, as the composite below, whose backward comes
 *       from its tensor ops.</li>
 * </ul>
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    /** The running statistics' update factor; null for a cumulative average. */
    public final Double momentum;
    public final boolean affine, trackRunningStats;
    /** Per-channel scale and shift; null without {@code affine}. */
    public final Tensor weight, bias;
    /** Buffers; null without {@code trackRunningStats}. */
    public final Tensor runningMean, runningVar, numBatchesTracked;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures < 1)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got "
                    + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        this.bias = registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        this.runningMean = registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        this.runningVar = registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        this.numBatchesTracked = registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.scalar(0L) : null);
    }

    /** Running mean 0, running variance 1, no batches seen. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (GradMode ng = GradMode.disable()) {
            runningMean.zero_();
            runningVar.fill_(1);
            numBatchesTracked.zero_();
        }
    }

    /** Running statistics reset, weight 1 and bias 0. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    /** Throws unless {@code input} has the dims this layer takes. */
    protected abstract void checkInputDim(Tensor input);

    @Override public Tensor forward(Tensor input) {
        checkInputDim(input);
        if (input.size(1) != numFeatures)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input with " + numFeatures
                    + " channels (num_features) in dim 1, got " + input.size(1) + " channels in input of shape "
                    + Shapes.str(input.shapeRef()));
        double factor = momentum == null ? 0 : momentum;
        if (training && trackRunningStats) {
            try (GradMode ng = GradMode.disable()) {
                numBatchesTracked.add_(1);
            }
            if (momentum == null) factor = 1.0 / numBatchesTracked.item();
        }
        boolean batchStats = training || runningMean == null;
        return batchNorm(input, runningMean, runningVar, weight, bias, batchStats, factor, eps);
    }

    @Override protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }

    // ---------------------------------------------------------------- the functional form

    /**
     * Normalises {@code x} [N, C, ...] per channel; see the class rules. Any of the running statistics, weight and
     * bias may be null; eval needs the running statistics.
     */
    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        if (x.dim() < 2)
            throw new IllegalArgumentException("batchNorm: expected an input [N, C, ...] of at least 2 dims, got shape "
                    + Shapes.str(x.shapeRef()));
        if (!x.dtype().isFloatingPoint())
            throw new IllegalArgumentException("batchNorm: expected a floating point input, got " + x.dtype());
        if (x.dtype().isHalf())   // Note [half accumulation]
            return batchNorm(x.to(DType.FLOAT32), runningMean, runningVar, weight, bias, training, momentum, eps)
                    .to(x.dtype());
        int c = x.size(1);
        String[] names = {"running_mean", "running_var", "weight", "bias"};
        Tensor[] given = {runningMean, runningVar, weight, bias};
        for (int i = 0; i < 4; i++)
            if (given[i] != null && given[i].numel() != c)
                throw new IllegalArgumentException("batchNorm: " + names[i] + " should contain " + c + " elements (the "
                        + "channels of input of shape " + Shapes.str(x.shapeRef()) + "), got " + given[i].numel());
        int[] dims = new int[x.dim() - 1], perChannel = new int[x.dim()];
        for (int d = 0, k = 0; d < x.dim(); d++) {
            perChannel[d] = d == 1 ? c : 1;
            if (d != 1) dims[k++] = d;
        }
        Tensor w = weight == null ? null : weight.view(perChannel), b = bias == null ? null : bias.view(perChannel);
        if (!training) {
            if (runningMean == null || runningVar == null)
                throw new IllegalArgumentException("batchNorm: running_mean and running_var are needed when not training");
            Tensor fused = FusedBatchNorm.batchNorm(x, runningMean, runningVar, weight, bias, false, momentum, eps);
            if (fused != null) return fused;
            // y = x * scale + (b - mean * scale), two passes over x
            Tensor scale = runningVar.view(perChannel).add(eps).rsqrt();
            if (w != null) scale = scale.mul(w);
            Tensor shift = runningMean.view(perChannel).mul(scale);
            return x.mul(scale).add(b == null ? shift.neg() : b.sub(shift));
        }
        int n = x.numel() / Math.max(c, 1);
        if (n <= 1)
            throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got "
                    + "input of shape " + Shapes.str(x.shapeRef()));
        Tensor fused = FusedBatchNorm.batchNorm(x, runningMean, runningVar, weight, bias, true, momentum, eps);
        if (fused != null) return fused;
        Tensor mean = x.mean(dims, true), centred = x.sub(mean), var = centred.mul(centred).mean(dims, true);
        if (runningMean != null || runningVar != null) {
            try (GradMode ng = GradMode.disable()) {
                if (runningMean != null)
                    runningMean.mul_(1 - momentum).add_(mean.view(c).mul(momentum).to(runningMean.dtype()));
                if (runningVar != null)
                    runningVar.mul_(1 - momentum).add_(var.view(c).mul(momentum * n / (n - 1)).to(runningVar.dtype()));
            }
        }
        Tensor scale = var.add(eps).rsqrt();
        Tensor y = centred.mul(w == null ? scale : scale.mul(w));
        return b == null ? y : y.add(b);
    }
}
