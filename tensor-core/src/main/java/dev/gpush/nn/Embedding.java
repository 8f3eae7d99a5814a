package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as PyTorch's {@code nn.Embedding}:
 * integer indices of any shape give {@code indices.shape + [embeddingDim]}. The weight starts standard normal.
 * With a {@code paddingIdx} (negative counts from the end) that row starts at zeros and never receives a
 * gradient, so it stays whatever it is set to.
 */
public class Embedding extends Module {
    public final int numEmbeddings, embeddingDim;
    /** In {@code [0, numEmbeddings)}, or null. */
    public final Integer paddingIdx;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim) { this(numEmbeddings, embeddingDim, null); }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null);
        resetParameters();
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor weight) {
        if (numEmbeddings < 0 || embeddingDim < 0)
            throw new IllegalArgumentException("Embedding: sizes must be non-negative, got " + numEmbeddings + " and "
                    + embeddingDim);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : Basic.normalisePaddingIdx(paddingIdx, numEmbeddings);
        this.weight = registerParameter("weight", weight != null ? weight : Tensor.empty(numEmbeddings, embeddingDim));
    }

    /**
     * An embedding over the rows of {@code embeddings} [num, dim], sharing its memory; with {@code freeze} the
     * weight does not require grad.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2)
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be 2-D, got shape "
                    + Shapes.str(embeddings.shapeRef()));
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, embeddings.detach());
        if (freeze) e.weight.requiresGrad(false);
        return e;
    }

    public static Embedding fromPretrained(Tensor embeddings) { return fromPretrained(embeddings, true, null); }

    /** Standard normal weights from the default generator, with the padding row zeroed. */
    public void resetParameters() {
        try (GradMode ng = GradMode.disable()) {
            Init.normal_(weight);
            if (paddingIdx != null) weight.select(0, paddingIdx).zero_();
        }
    }

    @Override public Tensor forward(Tensor indices) { return Basic.embedding(indices, weight, paddingIdx); }

    @Override protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
