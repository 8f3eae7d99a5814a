package dev.gpush.nn;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

/**
 * A stack of encoder layers, as PyTorch's {@code nn.TransformerEncoder}: {@code numLayers} deep copies of the given
 * layer under {@code layers.0}, {@code layers.1}, ... (PyTorch's {@code _get_clones}: each has its own parameters,
 * starting from the prototype's values; the prototype itself is not part of the stack), then an optional final
 * {@code norm}. Rules:
 * <ul>
 *   <li>{@code mask} and {@code srcKeyPaddingMask} go to every layer, in {@link MultiheadAttention}'s convention
 *       (bool true = not allowed).</li>
 *   <li>With {@code isCausal} null, a mask equal to {@link #generateSquareSubsequentMask} is detected as causal, as
 *       PyTorch's {@code _detect_is_causal_mask} does; the layers may then skip the mask.</li>
 *   <li>PyTorch's inference fast path (nested tensors, which zero the outputs at padded positions) is not
 *       reproduced: padded positions get computed outputs, as in PyTorch's training path.</li>
 * </ul>
 */
public class TransformerEncoder extends Module {
    public final ModuleList layers;
    public final int numLayers;
    /** The final normalisation, or null. */
    public final Module norm;

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) { this(encoderLayer, numLayers, null); }

    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        if (numLayers < 0)
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be non-negative, got " + numLayers);
        this.layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) layers.add(encoderLayer.copy());
        this.numLayers = numLayers;
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override public Tensor forward(Tensor src) { return forward(src, null, null, null); }

    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        return forward(src, mask, srcKeyPaddingMask, null);
    }

    /** {@code isCausal} null: detect a causal {@code mask}. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, Boolean isCausal) {
        boolean causal = isCausal != null ? isCausal : isCausalMask(mask);
        Tensor out = src;
        for (Module layer : layers)
            out = ((TransformerEncoderLayer) layer).forward(out, mask, srcKeyPaddingMask, causal);
        return norm == null ? out : norm.forward(out);
    }

    /** Whether {@code mask} is the [L, L] causal mask (float -inf, or bool true, above the diagonal). */
    static boolean isCausalMask(Tensor mask) {
        if (mask == null || mask.dim() != 2 || mask.size(0) != mask.size(1)) return false;
        Tensor causal = mask.dtype() == DType.BOOL
                ? Attention.causalBlocked(mask.size(0), mask.size(1), mask)
                : generateSquareSubsequentMask(mask.size(0), mask.dtype(), mask.device());
        return mask.equal(causal);
    }

    /**
     * The causal mask of PyTorch's {@code Transformer.generate_square_subsequent_mask}: [sz, sz], -inf above the
     * diagonal (the later positions) and 0 elsewhere.
     */
    public static Tensor generateSquareSubsequentMask(int sz, DType dtype, Device device) {
        return Tensor.full(new int[]{sz, sz}, Double.NEGATIVE_INFINITY, dtype, device).triu(1);
    }

    public static Tensor generateSquareSubsequentMask(int sz, DType dtype) {
        return generateSquareSubsequentMask(sz, dtype, Device.CPU);
    }

    /** float32 on the CPU. */
    public static Tensor generateSquareSubsequentMask(int sz) { return generateSquareSubsequentMask(sz, DType.FLOAT32, Device.CPU); }
}
