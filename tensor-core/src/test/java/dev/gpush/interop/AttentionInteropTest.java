package dev.gpush.interop;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MultiheadAttention (batch first or not, self and cross attention, padding and attention masks, averaged and
 * per-head weights), TransformerEncoderLayer (post- and pre-norm, relu and gelu) and a two-layer TransformerEncoder
 * take PyTorch's state dicts and give PyTorch's outputs and gradients.
 */
class AttentionInteropTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mha_batch_first_self_padding", "mha_seq_first_cross_masks_per_head_weights",
            "mha_bool_causal_mask_no_weights", "mha_no_bias_3d_mask"})
    void multiheadAttentionMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"encoder_layer_post_norm_relu", "encoder_layer_pre_norm_gelu_eval"})
    void transformerEncoderLayerMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"encoder_two_layers_final_norm"})
    void transformerEncoderMatchesPyTorch(String fixture) { ParityCheck.matchesPyTorch(fixture); }
}
