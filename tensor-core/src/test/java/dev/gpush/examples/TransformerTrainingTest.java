package dev.gpush.examples;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.GradMode;
import dev.gpush.data.DataLoader;
import dev.gpush.io.Checkpoints;
import dev.gpush.nn.CrossEntropyLoss;
import dev.gpush.optim.Adam;
import dev.gpush.optim.Clip;
import dev.gpush.optim.lr.OneCycleLR;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small version of {@code examples/transformer_classification.jsh}, in process: the same rule, model and training
 * loop (Adam under a one-cycle schedule, cross entropy, bfloat16 autocast around forward and loss, two micro-batches
 * of gradient accumulation per step, activation checkpointing of each encoder layer, gradient clipping), shrunk to
 * d_model 32, 2 heads, 2 layers and sequences of 16 tokens so that it trains in seconds.
 */
class TransformerTrainingTest {
    static final int VOCAB = 50, SEQ_LEN = 16, CLASSES = 4, MAX_COUNT = 4;
    static final int D_MODEL = 32, HEADS = 2, LAYERS = 2, FEEDFORWARD = 64;
    static final int BATCH = 32, ACCUMULATION = 2;
    static final double LR = 3e-3, MAX_GRAD_NORM = 1.0;

    @TempDir Path dir;

    /** A model, its optimizer and schedule, for {@code totalSteps} optimizer steps. */
    record Run(TextClassifier model, Adam optimizer, OneCycleLR scheduler) {
        Run(TextClassifier model, int totalSteps) { this(model, new Adam(model.parameters(), LR), totalSteps); }

        private Run(TextClassifier model, Adam optimizer, int totalSteps) {
            this(model, optimizer, new OneCycleLR(optimizer, LR, totalSteps));
        }

        /**
         * {@code steps} optimizer steps of {@link #ACCUMULATION} micro-batches each, drawn from {@code batches}, as
         * the example's loop takes them; returns the loss of every micro-batch.
         */
        List<Double> train(Iterator<List<Tensor>> batches, int steps) {
            var lossFn = new CrossEntropyLoss();
            List<Double> losses = new ArrayList<>();
            model.train();
            for (int step = 0; step < steps; step++) {
                for (int micro = 0; micro < ACCUMULATION; micro++) {
                    List<Tensor> batch = batches.next();
                    Tensor loss;
                    try (var autocast = Autocast.enable(DType.BFLOAT16)) {
                        loss = lossFn.forward(model.forward(batch.get(0)), batch.get(1));
                    }
                    loss.div(ACCUMULATION).backward();
                    losses.add(loss.item());
                }
                Clip.clipGradNorm(model.parameters(), MAX_GRAD_NORM);
                optimizer.step();
                optimizer.zeroGrad();
                scheduler.step();
            }
            return losses;
        }

        Map<String, Object> checkpoint() {
            var entries = new LinkedHashMap<String, Object>();
            entries.put("model", model.stateDict());
            entries.put("optimizer", optimizer.stateDict());
            entries.put("scheduler", scheduler.stateDict());
            return entries;
        }

        @SuppressWarnings("unchecked")
        void resume(Map<String, Object> saved) {
            model.loadStateDict((Map<String, Tensor>) saved.get("model"));
            optimizer.loadStateDict((Map<String, Object>) saved.get("optimizer"));
            scheduler.loadStateDict((Map<String, Object>) saved.get("scheduler"));
        }
    }

    static TextClassifier model(double dropout) {
        return new TextClassifier(VOCAB, SEQ_LEN, D_MODEL, HEADS, LAYERS, FEEDFORWARD, dropout, CLASSES);
    }

    /** Batches of {@code data}, epoch after epoch, reshuffled by a seeded generator (or in order). */
    static Iterator<List<Tensor>> batches(KeywordData data, boolean shuffle) {
        var loader = DataLoader.builder(data.dataset()).batchSize(BATCH).shuffle(shuffle).generator(new Generator(7))
                .dropLast(true).build();
        return new Iterator<>() {
            Iterator<List<Tensor>> epoch = loader.iterator();
            @Override public boolean hasNext() { return true; }
            @Override public List<Tensor> next() {
                if (!epoch.hasNext()) epoch = loader.iterator();
                return epoch.next();
            }
        };
    }

    private static double accuracy(TextClassifier model, KeywordData data) {
        model.eval();
        try (var noGrad = GradMode.disable()) {
            return model.forward(data.tokens()).argmax(1).eq(data.labels()).sum().item() / data.size();
        } finally {
            model.train();
        }
    }

    private static double mean(List<Double> xs) { return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow(); }

    @Test void aSmallTransformerLearnsTheKeywordRuleWithTheExamplesTrainingLoop() {
        Tensor.manualSeed(0);
        var train = KeywordData.generate(2048, SEQ_LEN, VOCAB, CLASSES, MAX_COUNT, 1);
        var heldOut = KeywordData.generate(512, SEQ_LEN, VOCAB, CLASSES, MAX_COUNT, 2);
        int steps = 150;
        var run = new Run(model(0.1), steps);

        double accuracyBefore = accuracy(run.model(), heldOut);
        List<Double> losses = run.train(batches(train, true), steps);
        double accuracyAfter = accuracy(run.model(), heldOut);

        double first = mean(losses.subList(0, 20)), last = mean(losses.subList(losses.size() - 20, losses.size()));
        assertTrue(first > 1.0, "four balanced classes start near ln 4 = 1.39, got " + first);
        assertTrue(last < 0.25 * first, "the loss falls to under a quarter: " + first + " -> " + last);
        assertTrue(accuracyBefore < 0.5, "an untrained model is near chance (0.25): " + accuracyBefore);
        assertTrue(accuracyAfter >= 0.9, "held-out accuracy reaches 90%: " + accuracyBefore + " -> " + accuracyAfter);
    }

    @Test void trainingResumedFromACheckpointMatchesAnUninterruptedRun() throws IOException {
        var train = KeywordData.generate(512, SEQ_LEN, VOCAB, CLASSES, MAX_COUNT, 3);
        Tensor.manualSeed(1);
        var uninterrupted = new Run(model(0.0), 6);     // no dropout: the random stream is not part of a checkpoint
        var initial = new LinkedHashMap<String, Tensor>();
        uninterrupted.model().stateDict().forEach((name, t) -> initial.put(name, t.clone()));
        uninterrupted.train(batches(train, false), 6);

        var first = new Run(model(0.0), 6);
        first.model().loadStateDict(initial);
        Iterator<List<Tensor>> stream = batches(train, false);
        first.train(stream, 3);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoints.save(file, first.checkpoint());

        var resumed = new Run(model(0.0), 6);
        resumed.resume(Checkpoints.load(file));
        assertEquals(first.scheduler().getLastLr(), resumed.scheduler().getLastLr(), "the schedule resumes mid-way");
        resumed.train(stream, 3);

        var expected = uninterrupted.model().stateDict();
        resumed.model().stateDict().forEach((name, t) ->
                assertTrue(expected.get(name).equal(t), name + " differs from the uninterrupted run"));
    }
}
