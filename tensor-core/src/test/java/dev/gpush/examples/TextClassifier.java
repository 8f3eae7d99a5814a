package dev.gpush.examples;

import dev.gpush.autograd.Checkpoint;
import dev.gpush.nn.Embedding;
import dev.gpush.nn.Linear;
import dev.gpush.nn.Module;
import dev.gpush.nn.TransformerEncoder;
import dev.gpush.nn.TransformerEncoderLayer;
import dev.gpush.tensor.Tensor;

/**
 * The model of {@code examples/transformer_classification.jsh}: token and learned position embeddings, a
 * batch-first {@link TransformerEncoder} whose layers are each checkpointed (their activations recomputed in backward
 * instead of kept), a mean over the sequence and a linear classifier.
 */
final class TextClassifier extends Module {
    final Embedding tokens, positions;
    final TransformerEncoder encoder;
    final Linear classifier;

    TextClassifier(int vocabSize, int seqLen, int dModel, int nhead, int numLayers, int dimFeedforward, double dropout,
                   int numClasses) {
        tokens = registerModule("tokens", new Embedding(vocabSize, dModel));
        positions = registerModule("positions", new Embedding(seqLen, dModel));
        var layer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, "relu", 1e-5, true, false, true);
        encoder = registerModule("encoder", new TransformerEncoder(layer, numLayers));
        classifier = registerModule("classifier", new Linear(dModel, numClasses));
    }

    /** {@code x}: [batch, seq] token ids; the result: [batch, numClasses] logits. */
    @Override public Tensor forward(Tensor x) {
        Tensor h = tokens.forward(x).add(positions.forward(Tensor.arange(x.size(1)).to(x.device())));
        for (Module layer : encoder.layers) h = Checkpoint.apply(xs -> layer.forward(xs.get(0)), h);
        return classifier.forward(h.mean(1));
    }
}
