package dev.gpush.bench;

import java.util.List;

/**
 * The sizes and timing of one {@code gpush bench} run. torch_bench.py and numpy_bench.py get the sizes inside each
 * workload's id and the timing as arguments, so every column of a run measures the same thing.
 *
 * <p>Times are in seconds. {@link #FULL} is the table docs/benchmarks.md keeps; {@link #QUICK} is a few minutes on
 * two cores; {@link #SMOKE} checks the harness and measures nothing worth reading.
 */
public enum Profile {
    FULL(List.of(256, 1024, 2048, 4096), 26, 24, 1024, new Conv(8, 64, 56), Transformer.EXAMPLE,
            new Loader(8192, 3072, 64), 1.0, 10, 0.2),
    QUICK(List.of(256, 1024), 22, 22, 1024, new Conv(2, 64, 56), Transformer.EXAMPLE.withBatch(8),
            new Loader(2048, 3072, 64), 0.3, 5, 0.05),
    SMOKE(List.of(16, 32), 12, 12, 64, new Conv(1, 8, 8), new Transformer(2, 8, 50, 16, 2, 32, 1),
            new Loader(64, 16, 8), 0.01, 3, 0.002);

    /** Matrix sizes n of the n x n @ n x n products; CUDA adds 8192 to the full profile. */
    public final List<Integer> matmulSizes;
    /** log2 of the elements of the memory-bound ops; {@link #elementsLog2} falls back to the second when the heap is small. */
    final int elementsLog2, fallbackLog2;
    /** softmax and layer norm work on rows of this many elements. */
    public final int rowLength;
    public final Conv conv;
    public final Transformer transformer;
    public final Loader loader;
    public final double warmupSeconds; // at least this long, and until steady (see Harness)
    public final int runs;             // measured samples per workload
    public final double sampleSeconds; // the length of one sample

    /** A ResNet basic block: two 3x3 convolutions of {@code channels}, BatchNorm, ReLU, residual; input batch x C x size x size. */
    public record Conv(int batch, int channels, int size) {}

    /** The model and batch of examples/transformer_classification.jsh: tokens, encoder (post-norm, ReLU), mean over the sequence, head. */
    public record Transformer(int batch, int seq, int vocab, int dModel, int heads, int feedForward, int layers) {
        static final Transformer EXAMPLE = new Transformer(32, 64, 1000, 256, 8, 2048, 6);
        static final int CLASSES = 4;
        static final double DROPOUT = 0.1, LR = 1e-4;

        Transformer withBatch(int b) { return new Transformer(b, seq, vocab, dModel, heads, feedForward, layers); }
    }

    /** A TensorDataset of {@code samples} float32 rows of {@code features} with int64 labels, read in batches. */
    public record Loader(int samples, int features, int batch) {
        static final List<Integer> WORKERS = List.of(0, 2, 4);
    }

    Profile(List<Integer> matmulSizes, int elementsLog2, int fallbackLog2, int rowLength, Conv conv,
            Transformer transformer, Loader loader, double warmupSeconds, int runs, double sampleSeconds) {
        this.matmulSizes = matmulSizes;
        this.elementsLog2 = elementsLog2;
        this.fallbackLog2 = fallbackLog2;
        this.rowLength = rowLength;
        this.conv = conv;
        this.transformer = transformer;
        this.loader = loader;
        this.warmupSeconds = warmupSeconds;
        this.runs = runs;
        this.sampleSeconds = sampleSeconds;
    }

    /**
     * log2 of the elements of the memory-bound ops: the profile's size when the heap holds 16 float32 tensors of it
     * (inputs, outputs, the previous output still in the sink, softmax's temporaries), else the fallback.
     */
    public int elementsLog2(long maxHeapBytes) {
        return maxHeapBytes >= 16L * Float.BYTES << elementsLog2 ? elementsLog2 : fallbackLog2;
    }

    public String lowerName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
