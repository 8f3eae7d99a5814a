// Transformer text classification: the PyTorch script that users run first in a fresh CUDA image, translated line
// for line to gpush.
//
//   ./gpush run examples/transformer_classification.jsh
//
// THE DEFAULT RUN IS A SMALLER MODEL (d_model 64, 4 heads, 2 layers, feed-forward 256) so that it reaches 95%
// held-out accuracy in a few minutes on a 2-core CPU. The model of the benchmark, d_model 256, 8 heads, 6 layers,
// feed-forward 2048, is one variable away: set `fullSize` below to true (or GPUSH_EXAMPLE_FULL=1). Everything
// else (data, batches of 32 sequences of 64 tokens, Adam, bfloat16 autocast, gradient accumulation, activation
// checkpointing, clipping, checkpoint save/resume) is the same for both. See examples/README.md for timings.
//
// Every setting below can be overridden without editing the file, by an environment variable (GPUSH_EXAMPLE_EPOCHS=2)
// or, inside a JVM that runs the script (the tests), a system property (gpush.example.epochs).

// ---------------------------------------------------------------- settings

String setting(String name, String fallback) {
    String value = System.getProperty("gpush.example." + name);
    if (value == null) value = System.getenv("GPUSH_EXAMPLE_" + name.toUpperCase());
    return value != null ? value : fallback;
}

var device = Device.CPU; // Device.CUDA when the CUDA backend lands
boolean fullSize = setting("full", "0").equals("1");    // true: the d_model 256 / 6-layer model of the benchmark

int dModel = fullSize ? 256 : 64;
int nhead = fullSize ? 8 : 4;
int numLayers = fullSize ? 6 : 2;
int dimFeedforward = fullSize ? 2048 : 256;
int vocabSize = 1000;
int seqLen = 64;
int numClasses = 4;
int batchSize = 32;
int accumulationSteps = 2;                               // micro-batches per optimizer step
double lr = Double.parseDouble(setting("lr", "3e-4"));
double maxGradNorm = 1.0;
double dropout = Double.parseDouble(setting("dropout", "0.1"));
int epochs = Integer.parseInt(setting("epochs", "4"));
int maxSteps = Integer.parseInt(setting("steps", "-1")); // optimizer steps in all; -1: no limit (the tests set it)
int trainSize = 8192, testSize = 1024;
var checkpointFile = Path.of(setting("checkpoint", System.getProperty("java.io.tmpdir") + "/gpush_transformer_classification.safetensors"));
boolean resume = setting("resume", "0").equals("1");     // continue from checkpointFile if it exists

manualSeed(0);

// ---------------------------------------------------------------- data
// The rule to learn: each sequence holds some copies of each of the keyword tokens 0..numClasses-1 scattered among
// random filler tokens; its class is the keyword that appears most often (the others appear strictly fewer times).

List<Tensor> keywordData(int n, long seed) {
    var random = new Random(seed);
    long[][] tokens = new long[n][seqLen];
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
        int label = random.nextInt(numClasses);
        int most = 2 + random.nextInt(5);                // the winner appears 2 to 6 times
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
        .batchSize(batchSize).shuffle(true).generator(new Generator(0)).dropLast(true).build();
var testLoader = DataLoader.builder(new TensorDataset(test.get(0), test.get(1))).batchSize(256).build();

// ---------------------------------------------------------------- model

class TextClassifier extends Module {
    final Embedding tokens, positions;
    final TransformerEncoder encoder;
    final Linear classifier;

    TextClassifier() {
        tokens = registerModule("tokens", new Embedding(vocabSize, dModel));
        positions = registerModule("positions", new Embedding(seqLen, dModel));
        var layer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, "relu", 1e-5,
                /* batchFirst */ true, /* normFirst */ false, /* bias */ true);
        encoder = registerModule("encoder", new TransformerEncoder(layer, numLayers));
        classifier = registerModule("classifier", new Linear(dModel, numClasses));
    }

    @Override public Tensor forward(Tensor x) {                      // x: [batch, seq] token ids
        Tensor h = tokens.forward(x).add(positions.forward(arange(x.size(1)).to(x.device())));
        for (Module layer : encoder.layers) h = layer.forward(h);   // CHECKPOINT: Checkpoint.apply once it lands
        return classifier.forward(h.mean(1));                        // mean-pool over the sequence
    }
}

var model = new TextClassifier();
model.to(device);
var optimizer = new Adam(model.parameters(), lr);
var lossFn = new CrossEntropyLoss();
System.out.println(model.summary());

// ---------------------------------------------------------------- evaluation and checkpoints

double accuracy(TextClassifier m, DataLoader<List<Tensor>, List<Tensor>> loader) {
    m.eval();
    long correct = 0, total = 0;
    try (var noGrad = GradMode.disable()) {
        for (var batch : loader) {
            try (var scope = Scope.open()) {
                Tensor x = batch.get(0).to(device), y = batch.get(1).to(device);
                correct += (long) m.forward(x).argmax(1).eq(y).sum().item();
                total += y.size(0);
            }
        }
    }
    m.train();
    return (double) correct / total;
}

int startEpoch = 0;
if (resume && Files.exists(checkpointFile)) {
    var saved = Checkpoints.load(checkpointFile);
    model.loadStateDict((Map<String, Tensor>) saved.get("model"));
    optimizer.loadStateDict((Map<String, Object>) saved.get("optimizer"));
    startEpoch = (Integer) saved.get("epoch") + 1;
    System.out.printf("resumed from %s after epoch %d%n", checkpointFile, startEpoch);
}

// ---------------------------------------------------------------- training

int step = 0;
long start = System.nanoTime();
for (int epoch = startEpoch; epoch < epochs && step != maxSteps; epoch++) {
    model.train();
    double lossSum = 0;
    int microBatches = 0;
    for (var batch : trainLoader) {
        try (var scope = Scope.open()) {                              // frees the step's temporaries
            Tensor x = batch.get(0).to(device), y = batch.get(1).to(device);
            Tensor loss;
            // AUTOCAST: try (var autocast = Autocast.enable(...)) once dev.gpush.amp lands
            loss = lossFn.forward(model.forward(x), y);
            loss.div(accumulationSteps).backward();                  // gradients add up over the micro-batches
            lossSum += loss.item();
            microBatches++;
            if (microBatches % accumulationSteps == 0) {
                Clip.clipGradNorm(model.parameters(), maxGradNorm);
                optimizer.step();
                optimizer.zeroGrad();
                step++;
                if (step % 20 == 0)
                    System.out.printf("epoch %d step %d loss %.4f (%.0f s)%n", epoch, step, lossSum / microBatches,
                            (System.nanoTime() - start) / 1e9);
                if (step == maxSteps) break;
            }
        }
    }
    double acc = accuracy(model, testLoader);
    System.out.printf("epoch %d: train loss %.4f, held-out accuracy %.1f%% (%.0f s)%n", epoch, lossSum / microBatches,
            100 * acc, (System.nanoTime() - start) / 1e9);
    Checkpoints.save(checkpointFile, Map.of("model", model.stateDict(), "optimizer", optimizer.stateDict(),
            "epoch", epoch));
}

// ---------------------------------------------------------------- resuming
// A fresh model and optimizer loaded from the checkpoint score as the trained model does.

var restored = new TextClassifier();
restored.to(device);
var saved = Checkpoints.load(checkpointFile);
restored.loadStateDict((Map<String, Tensor>) saved.get("model"));
new Adam(restored.parameters(), lr).loadStateDict((Map<String, Object>) saved.get("optimizer"));
System.out.printf("reloaded from %s (epoch %d): held-out accuracy %.1f%%%n", checkpointFile, saved.get("epoch"),
        100 * accuracy(restored, testLoader));
