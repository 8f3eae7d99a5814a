package dev.gpush.interop;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linear, Embedding, LayerNorm, Dropout, the activations and Flatten take PyTorch's state dicts and give PyTorch's
 * outputs and gradients (fixtures from src/test/resources/torch/make_fixtures.py; see {@link ParityCheck}).
 */
class BasicLayersInteropTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"linear", "linear_no_bias"})
    void linearMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedding_padding_idx"})
    void embeddingMatchesPyTorchWithNoGradientForThePaddingRow(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"layer_norm", "layer_norm_no_affine"})
    void layerNormMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dropout_eval"})
    void dropoutInEvalModeIsTheIdentityAsInPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relu", "gelu", "gelu_tanh", "silu", "tanh"})
    void activationsMatchPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flatten", "flatten_dims"})
    void flattenMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }
}
