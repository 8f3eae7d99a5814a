package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Tensor;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Self-attention and a feed-forward block, each with a residual connection and layer norm, as PyTorch's
 * {@code nn.TransformerEncoderLayer}, with its submodule names ({@code self_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}), so state
 * dict keys read {@code self_attn.in_proj_weight}, {@code linear1.weight}, {@code norm1.bias}. Rules:
 * <ul>
 *   <li>Post-norm (the default): {@code x = norm1(x + sa(x)); x = norm2(x + ff(x))}. Pre-norm
 *       ({@code normFirst}): {@code x = x + sa(norm1(x)); x = x + ff(norm2(x))}. Here {@code sa} is self-attention
 *       followed by dropout1 and {@code ff} is {@code dropout2(linear2(dropout(activation(linear1(x)))))}, PyTorch's
 *       {@code _sa_block} and {@code _ff_block}.</li>
 *   <li>The activation is "relu", "gelu" or any tensor function; like PyTorch's function-valued activation it is
 *       not a submodule.</li>
 *   <li>Masks follow {@link MultiheadAttention}: {@code srcKeyPaddingMask} [N, S] and bool {@code srcMask} are
 *       true where attention is not allowed; {@code isCausal} is a hint that {@code srcMask} is causal.</li>
 *   <li>{@link #copy()} is PyTorch's deep copy: a new layer with its own parameters holding the same values.</li>
 * </ul>
 */
public class TransformerEncoderLayer extends Module {
    public final int dModel, nhead, dimFeedforward;
    public final double dropoutP, layerNormEps;
    public final boolean batchFirst, normFirst, bias;
    private final String activationName;
    private final UnaryOperator<Tensor> activation;

    public final MultiheadAttention selfAttn;
    public final Linear linear1, linear2;
    public final Dropout dropout, dropout1, dropout2;
    public final LayerNorm norm1, norm2;

    public TransformerEncoderLayer(int dModel, int nhead) { this(dModel, nhead, 2048, 0.1); }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout) {
        this(dModel, nhead, dimFeedforward, dropout, "relu", 1e-5, false, false, true);
    }

    /** {@code activation} is "relu" or "gelu". */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst, boolean bias) {
        this(dModel, nhead, dimFeedforward, dropout, activation, namedActivation(activation), layerNormEps,
                batchFirst, normFirst, bias);
    }

    /** With any activation function (a module's {@code forward}, for one). */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout,
                                   UnaryOperator<Tensor> activation, double layerNormEps, boolean batchFirst,
                                   boolean normFirst, boolean bias) {
        this(dModel, nhead, dimFeedforward, dropout, null, activation, layerNormEps, batchFirst, normFirst, bias);
    }

    private TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activationName,
                                    UnaryOperator<Tensor> activation, double layerNormEps, boolean batchFirst,
                                    boolean normFirst, boolean bias) {
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
        this.bias = bias;
        this.activationName = activationName;
        this.activation = activation;
        // registered in PyTorch's order, which is the state dict's
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, bias));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, bias));
        norm1 = registerModule("norm1", new LayerNorm(new int[]{dModel}, layerNormEps, true, bias));
        norm2 = registerModule("norm2", new LayerNorm(new int[]{dModel}, layerNormEps, true, bias));
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
    }

    private static UnaryOperator<Tensor> namedActivation(String name) {
        return switch (name) {
            case "relu" -> Tensor::relu;
            case "gelu" -> Tensor::gelu;
            default -> throw new IllegalArgumentException("TransformerEncoderLayer: activation should be relu/gelu, "
                    + "not " + name);
        };
    }

    // ---------------------------------------------------------------- forward

    @Override public Tensor forward(Tensor src) { return forward(src, null, null, false); }

    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        return forward(src, srcMask, srcKeyPaddingMask, false);
    }

    /** {@code src} is [S, N, E] ([N, S, E] with batchFirst, or unbatched [S, E]); the output has its shape. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(saBlock(norm1.forward(x), srcMask, srcKeyPaddingMask, isCausal));
            return x.add(ffBlock(norm2.forward(x)));
        }
        x = norm1.forward(x.add(saBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
        return norm2.forward(x.add(ffBlock(x)));
    }

    private Tensor saBlock(Tensor x, Tensor mask, Tensor padding, boolean isCausal) {
        return dropout1.forward(selfAttn.forward(x, x, x, padding, false, mask, true, isCausal).output());
    }

    private Tensor ffBlock(Tensor x) {
        return dropout2.forward(linear2.forward(dropout.forward(activation.apply(linear1.forward(x)))));
    }

    // ---------------------------------------------------------------- copies

    /** A deep copy: the same configuration and mode, its own parameters with this layer's values, dtype and device. */
    public TransformerEncoderLayer copy() {
        return copyState(this, new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropoutP, activationName,
                activation, layerNormEps, batchFirst, normFirst, bias));
    }

    /**
     * Makes {@code to} (built with the same structure as {@code from}) hold copies of {@code from}'s parameter and
     * buffer values, with their dtype, device and requiresGrad, and its training flags. Returns {@code to}.
     */
    static <M extends Module> M copyState(Module from, M to) {
        Map<String, Module> src = from.namedModules(), dst = to.namedModules();
        if (!src.keySet().equals(dst.keySet()))
            throw new IllegalStateException("copyState: module structures differ: " + src.keySet() + " and " + dst.keySet());
        dst.forEach((name, m) -> m.training = src.get(name).training);
        try (GradMode off = GradMode.disable()) {
            copyValues(from.namedParameters(), to.namedParameters());
            copyValues(from.namedBuffers(), to.namedBuffers());
        }
        return to;
    }

    private static void copyValues(Map<String, Tensor> src, Map<String, Tensor> dst) {
        if (!src.keySet().equals(dst.keySet()))
            throw new IllegalStateException("copyState: tensors differ: " + src.keySet() + " and " + dst.keySet());
        dst.forEach((name, t) -> {
            Tensor s = src.get(name);
            t.setData(s.detach().clone());
            if (t.requiresGrad() != s.requiresGrad()) t.requiresGrad(s.requiresGrad());
        });
    }
}
