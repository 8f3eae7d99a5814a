package dev.gpush.interop;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conv2d, the 2-d pools and BatchNorm take PyTorch's state dicts and give PyTorch's outputs and gradients; in
 * training, BatchNorm's running statistics and batch count end where PyTorch's do.
 */
class ConvolutionInteropTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"conv2d", "conv2d_stride_padding_dilation_groups", "conv2d_same_no_bias"})
    void conv2dMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"max_pool2d", "max_pool2d_dilation_ceil", "avg_pool2d", "avg_pool2d_exclude_pad_ceil",
            "adaptive_avg_pool2d"})
    void poolingMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"batch_norm1d_train", "batch_norm1d_train_3d_cumulative", "batch_norm2d_train"})
    void batchNormTrainingStepMatchesPyTorchIncludingRunningStatistics(String fixture) {
        ParityCheck.matchesPyTorch(fixture);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"batch_norm2d_eval", "batch_norm1d_no_affine_eval"})
    void batchNormInEvalModeMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }
}
