// Transformer text classification: the first PyTorch script people run in a fresh CUDA image, translated line
// for line into gpush. Run it from the repository root:
//
//   ./gpush run examples/transformer_classification.jsh
//
// THE DEFAULT RUN USES A SMALLER MODEL (d_model 64, 4 heads, 2 layers, feed-forward 256) so that it reaches 95%
// held-out accuracy in a few minutes on a 2-core CPU. The benchmark model (d_model 256, 8 heads, 6 layers,
// feed-forward 2048) is one variable away: set `fullSize` below to true, or run with GPUSH_EXAMPLE_FULL=true.
// Both sizes use the same data, batches of 32 sequences of 64 tokens, Adam, bfloat16 autocast, gradient
// accumulation, activation checkpointing, gradient clipping and checkpoint save/resume. Timings are in
// examples/README.md.
//
// To change a setting without editing the file, set an environment variable (GPUSH_EXAMPLE_EPOCHS=2) or, in a JVM
// that evaluates the script (the tests do), a system property (gpush.example.epochs=2).

import dev.gpush.amp.Autocast;
import dev.gpush.optim.lr.OneCycleLR;

// ---------------------------------------------------------------- settings

String setting(String name, String fallback) {
    String value = System.getProperty("gpush.example." + name);
    if (value == null) value = System.getenv("GPUSH_EXAMPLE_" + name.toUpperCase());
    return value != null ? value : fallback;
}

var device = Device.CPU; // Device.CUDA when the CUDA backend lands
boolean fullSize = Boolean.parseBoolean(setting("full", "false")); // true: the d_model 256, 6-layer model

int dModel = fullSize ? 256 : 64;
int nhead = fullSize ? 8 : 4;
int numLayers = fullSize ? 6 : 2;
int dimFeedforward = fullSize ? 2048 : 256;
double dropout = Double.parseDouble(setting("dropout", "0.1"));
int vocabSize = 1000;
int seqLen = 64;
int numClasses = 4;
int batchSize = 32;
int accumulationSteps = 2;                  // micro-batches per optimizer step
double lr = Double.parseDouble(setting("lr", fullSize ? "3e-4" : "2e-3")); // the peak of the one-cycle schedule
double maxGradNorm = 1.0;
int epochs = Integer.parseInt(setting("epochs", "2"));
int maxSteps = Integer.parseInt(setting("steps", "-1")); // optimizer steps in this run; -1: no limit
int trainSize = 8192, testSize = 1024;
var checkpointFile = Path.of(setting("checkpoint",
        Path.of(System.getProperty("java.io.tmpdir"), "gpush_transformer_classification.safetensors").toString()));
boolean resume = Boolean.parseBoolean(setting("resume", "false")); // continue from checkpointFile if it exists

manualSeed(0);

// ---------------------------------------------------------------- data
// The rule to learn: a sequence holds a few copies of each keyword token 0..numClasses-1 among random filler tokens,
// and its class is the keyword that appears most often (the winner 2 to 6 times, every other keyword fewer).

List<Tensor> keywordData(int n, long seed) {
    var random = new Random(seed);
    long[][] tokens = new long[n][seqLen];
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
        int label = random.nextInt(numClasses);
        int most = 2 + random.nextInt(5);
        var sequence = new ArrayList<Long>();
        for (int k = 0; k < numClasses; k++) {
            int count = k == label ? most : random.nextInt(most);
            for (int c = 0; c < count; c++) sequence.add((long) k);
        }
        while (sequence.size() < seqLen) sequence.add((long) (numClasses + random.nextInt(vocabSize - numClasses)));
        Collections.shuffle(sequence, random);
        for (int j = 0; j < seqLen; j++) tokens[i][j] = sequence.get(j);
        labels[i] = label;
    }
    return List.of(Tensor.of(tokens), Tensor.of(labels));
}

var train = keywordData(trainSize, 1);
var test = keywordData(testSize, 2);
var trainLoader = DataLoader.builder(new TensorDataset(train.get(0), train.get(1)))
        .batchSize(batchSize).shuffle(true).generator(new Generator(0)).dropLast(true).pinMemory(device.isCuda())
        .build();
var testLoader = DataLoader.builder(new TensorDataset(test.get(0), test.get(1))).batchSize(256).build();

// ---------------------------------------------------------------- model

class TextClassifier extends Module {
    final Embedding tokens, positions;
    final TransformerEncoder encoder;
    final Linear classifier;

    TextClassifier() {
        tokens = registerModule("tokens", new Embedding(vocabSize, dModel));
        positions = registerModule("positions", new Embedding(seqLen, dModel));   // learned positions
        var layer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, "relu", 1e-5,
                /* batchFirst */ true, /* normFirst */ false, /* bias */ true);
        encoder = registerModule("encoder", new TransformerEncoder(layer, numLayers));
        classifier = registerModule("classifier", new Linear(dModel, numClasses));
    }

    @Override public Tensor forward(Tensor x) {                          // x: [batch, seq] token ids
        Tensor h = tokens.forward(x).add(positions.forward(arange(x.size(1)).to(x.device())));
        for (Module layer : encoder.layers)                              // activation checkpointing per layer:
            h = Checkpoint.apply(xs -> layer.forward(xs.get(0)), h);     // recomputed in backward, not stored
        return classifier.forward(h.mean(1));                            // mean-pool over the sequence
    }
}

var model = new TextClassifier();
model.to(device);
var optimizer = new Adam(model.parameters(), lr);
var scheduler = new OneCycleLR(optimizer, lr, epochs * (trainLoader.size() / accumulationSteps)); // warm-up, then anneal
var lossFn = new CrossEntropyLoss();
System.out.println(model);
System.out.printf("%,d parameters on %s (%s)%n", model.numParameters(), device,
        fullSize ? "full size" : "the small model: fullSize = false");

// ---------------------------------------------------------------- evaluation

double accuracy(TextClassifier m, DataLoader<List<Tensor>, List<Tensor>> loader) {
    m.eval();
    long correct = 0, total = 0;
    try (var noGrad = GradMode.disable()) {
        for (var batch : loader) {
            Tensor x = batch.get(0).to(device), y = batch.get(1).to(device);
            correct += (long) m.forward(x).argmax(1).eq(y).sum().item();
            total += y.size(0);
        }
    }
    m.train();
    return (double) correct / total;
}

// ---------------------------------------------------------------- resuming

int startEpoch = 0;
if (resume && Files.exists(checkpointFile)) {
    var saved = Checkpoints.load(checkpointFile);
    model.loadStateDict((Map<String, Tensor>) saved.get("model"));
    optimizer.loadStateDict((Map<String, Object>) saved.get("optimizer"));
    scheduler.loadStateDict((Map<String, Object>) saved.get("scheduler"));
    startEpoch = (Integer) saved.get("epoch") + 1;
    System.out.printf("resumed from %s after epoch %d%n", checkpointFile, startEpoch - 1);
}

// ---------------------------------------------------------------- training

// No Scope around a step: on the CPU the garbage collector frees each temporary as soon as it is unreachable, while a
// Scope would hold every temporary of the step until it closes (activation checkpointing would then save nothing).
int step = 0;
long start = System.nanoTime();
for (int epoch = startEpoch; epoch < epochs && step != maxSteps; epoch++) {
    model.train();
    double lossSum = 0;
    int microBatches = 0;
    for (var batch : trainLoader) {
        Tensor x = batch.get(0).to(device), y = batch.get(1).to(device);
        Tensor loss;
        try (var autocast = Autocast.enable(device.type(), DType.BFLOAT16)) {
            loss = lossFn.forward(model.forward(x), y);
        }
        loss.div(accumulationSteps).backward();                  // gradients add up over micro-batches
        lossSum += loss.item();
        microBatches++;
        if (microBatches % accumulationSteps == 0) {
            Clip.clipGradNorm(model.parameters(), maxGradNorm);
            optimizer.step();
            optimizer.zeroGrad();
            scheduler.step();
            step++;
            if (step % 25 == 0)
                System.out.printf("  step %d: loss %.4f (%.0f s)%n", step, lossSum / microBatches,
                        (System.nanoTime() - start) / 1e9);
            if (step == maxSteps) break;
        }
    }
    System.out.printf("epoch %d: train loss %.4f, held-out accuracy %.1f%% (%.0f s)%n", epoch, lossSum / microBatches,
            100 * accuracy(model, testLoader), (System.nanoTime() - start) / 1e9);
    Checkpoints.save(checkpointFile, Map.of("model", model.stateDict(), "optimizer", optimizer.stateDict(),
            "scheduler", scheduler.stateDict(), "epoch", epoch));
}

// ---------------------------------------------------------------- the checkpoint
// A fresh model and optimizer loaded from the last checkpoint score as the trained model does.

var restored = new TextClassifier();
restored.to(device);
var restoredOptimizer = new Adam(restored.parameters(), lr);
var saved = Checkpoints.load(checkpointFile);
restored.loadStateDict((Map<String, Tensor>) saved.get("model"));
restoredOptimizer.loadStateDict((Map<String, Object>) saved.get("optimizer"));
System.out.printf("reloaded from %s (epoch %d): held-out accuracy %.1f%%%n", checkpointFile, saved.get("epoch"),
        100 * accuracy(restored, testLoader));
