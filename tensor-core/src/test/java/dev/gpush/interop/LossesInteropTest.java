package dev.gpush.interop;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The losses give PyTorch's values and gradients (with respect to the input, and to float targets) for each
 * reduction, class weights, ignore_index, label smoothing, probability targets and pos_weight; a loss's weight
 * tensors are buffers under PyTorch's names.
 */
class LossesInteropTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cross_entropy_indices", "cross_entropy_weight_ignore_smoothing_kdim",
            "cross_entropy_weight_sum", "cross_entropy_none_smoothing",
            "cross_entropy_probabilities_weight_smoothing", "cross_entropy_probabilities_none"})
    void crossEntropyMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nll_weight_ignore", "nll_sum"})
    void nllLossMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mse_mean", "mse_sum", "mse_none", "l1_mean", "l1_sum", "l1_none"})
    void regressionLossesMatchPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bce_with_logits_pos_weight", "bce_with_logits_weight_pos_weight_sum",
            "bce_with_logits_none"})
    void bceWithLogitsMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }
}
