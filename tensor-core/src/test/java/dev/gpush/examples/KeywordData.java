package dev.gpush.examples;

import dev.gpush.data.TensorDataset;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The learnable rule of {@code examples/transformer_classification.jsh}: each sequence holds some copies of each
 * keyword token {@code 0 .. numClasses-1} among random filler tokens {@code numClasses .. vocabSize-1}, and its class
 * is the keyword that appears most often. The winner appears 2 to {@code maxCount} times and every other keyword
 * strictly fewer, so the label is never a tie.
 */
record KeywordData(Tensor tokens, Tensor labels) {

    static KeywordData generate(int n, int seqLen, int vocabSize, int numClasses, int maxCount, long seed) {
        if (numClasses * maxCount > seqLen)
            throw new IllegalArgumentException("KeywordData: " + numClasses + " keywords appearing up to " + maxCount
                    + " times do not fit in " + seqLen + " tokens");
        var random = new Random(seed);
        long[][] tokens = new long[n][seqLen];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(numClasses);
            int most = 2 + random.nextInt(maxCount - 1);
            List<Long> sequence = new ArrayList<>(seqLen);
            for (int k = 0; k < numClasses; k++) {
                int count = k == label ? most : random.nextInt(most);
                for (int c = 0; c < count; c++) sequence.add((long) k);
            }
            while (sequence.size() < seqLen) sequence.add((long) (numClasses + random.nextInt(vocabSize - numClasses)));
            Collections.shuffle(sequence, random);
            for (int j = 0; j < seqLen; j++) tokens[i][j] = sequence.get(j);
            labels[i] = label;
        }
        return new KeywordData(Tensor.of(tokens), Tensor.of(labels));
    }

    TensorDataset dataset() { return new TensorDataset(tokens, labels); }

    int size() { return labels.size(0); }
}
