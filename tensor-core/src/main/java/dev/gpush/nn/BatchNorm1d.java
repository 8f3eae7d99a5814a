package dev.gpush.nn;

import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * Batch normalisation of [N, C] or [N, C, L] inputs over N (and L), as PyTorch's {@code nn.BatchNorm1d}. See
 * {@link BatchNorm} for the rules; the parameters are {@code weight} and {@code bias}, the buffers
 * {@code running_mean}, {@code running_var} and {@code num_batches_tracked}.
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** {@code momentum} null: a cumulative average of the batch statistics. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3)
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input (got " + input.dim()
                    + "D input of shape " + Shapes.str(input.shapeRef()) + ")");
    }
}
