package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dims, as PyTorch's {@code nn.LayerNorm}:
 * {@code (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance. weight starts at ones and bias
 * at zeros; with {@code elementwiseAffine = false} there are neither, and with {@code bias = false} no bias.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;
    /** Null without elementwise affine. */
    public final Tensor weight;
    /** Null without elementwise affine or with {@code bias = false}. */
    public final Tensor bias;

    public LayerNorm(int... normalizedShape) { this(normalizedShape, 1e-5, true, true); }

    public LayerNorm(int[] normalizedShape, double eps) { this(normalizedShape, eps, true, true); }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this(normalizedShape, eps, elementwiseAffine, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        if (normalizedShape.length == 0)
            throw new IllegalArgumentException("LayerNorm: normalizedShape needs at least one dim");
        for (int s : normalizedShape)
            if (s < 0) throw new IllegalArgumentException("LayerNorm: negative dim in normalizedShape "
                    + Repr.pyTuple(normalizedShape));
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine && bias ? Tensor.zeros(normalizedShape) : null);
    }

    public int[] normalizedShape() { return normalizedShape.clone(); }

    /** Weight back to ones and bias to zeros. */
    public void resetParameters() {
        if (weight != null) Init.ones_(weight);
        if (bias != null) Init.zeros_(bias);
    }

    @Override public Tensor forward(Tensor input) { return Basic.layerNorm(input, normalizedShape, weight, bias, eps); }

    @Override protected String extraRepr() {
        return Repr.pyTuple(normalizedShape) + ", eps=" + Repr.pyFloat(eps) + ", elementwise_affine="
                + Repr.pyBool(elementwiseAffine);
    }
}
