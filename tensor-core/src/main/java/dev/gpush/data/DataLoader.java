package dev.gpush.data;

import dev.gpush.tensor.Generator;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Batches of a dataset, epoch after epoch (PyTorch's {@code torch.utils.data.DataLoader}). Made with a builder
 * and read with a for-each; every new iterator is a new epoch, reshuffled when {@code shuffle} is on:
 * <pre>{@code
 * var loader = DataLoader.builder(new TensorDataset(x, y))
 *         .batchSize(32).shuffle(true).generator(new Generator(0)).numWorkers(2)
 *         .build();
 * for (List<Tensor> batch : loader) {
 *     Tensor xb = batch.get(0), yb = batch.get(1);
 *     ...
 * }
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>The batch type is the sample type by default ({@link Collate#sameType}: tensors stack, lists, maps and
 *       records collate entry by entry). {@code collate(fn)} sets another collate function and so another batch
 *       type, e.g. {@code .collate(Collate::toTensor)} for samples that are numbers.</li>
 *   <li>Sampling: {@code shuffle} draws a {@link RandomSampler} permutation from {@code generator} (the default
 *       generator when none) at the start of each epoch, so a seeded generator makes the sequence of epochs
 *       reproducible; otherwise a {@link SequentialSampler}. A {@code sampler} or a {@code batchSampler} replaces
 *       them, as in PyTorch, and the same options are mutually exclusive.</li>
 *   <li>{@code numWorkers} threads (default 0: load on the consuming thread) prefetch up to
 *       {@code prefetchFactor} (default 2) batches each, and the batches arrive in the same order, with the same
 *       contents, as without workers. See {@link BatchIterator} for threads and failures.</li>
 *   <li>A batch belongs to the {@code Scope} open on the consuming thread when the iterator produced it; what
 *       loading it made besides is freed (Note [batch scope] in {@link BatchJob}). In a for-each that is the
 *       scope around the loop, not one opened inside its body.</li>
 *   <li>{@code pinMemory} is accepted and has no effect on the CPU: batches are heap arrays already. It is
 *       there so that a script written for CUDA runs unchanged.</li>
 * </ul>
 */
public final class DataLoader<T, B> implements Iterable<B> {
    private final Dataset<T> dataset;              // map-style, or null
    private final IterableDataset<T> stream;       // or a stream
    private final Sampler<List<Integer>> batchSampler; // map-style only
    private final int batchSize;
    private final boolean dropLast;
    private final Function<? super List<T>, ? extends B> collate;
    private final int numWorkers, prefetchFactor;
    private final boolean pinMemory;

    private DataLoader(Builder<T, B> b, Sampler<List<Integer>> batchSampler) {
        this.dataset = b.dataset;
        this.stream = b.stream;
        this.batchSampler = batchSampler;
        this.batchSize = b.batchSize == null ? 1 : b.batchSize;
        this.dropLast = b.dropLast != null && b.dropLast;
        this.collate = b.collate;
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor == null ? 2 : b.prefetchFactor;
        this.pinMemory = b.pinMemory;
    }

    /** A loader over an indexed dataset; batches of the sample type until {@code collate} says otherwise. */
    public static <T> Builder<T, T> builder(Dataset<T> dataset) { return new Builder<>(dataset, null); }

    /** A loader over a stream (no shuffle or samplers: the stream's order is the order). */
    public static <T> Builder<T, T> builder(IterableDataset<T> dataset) { return new Builder<>(null, dataset); }

    /** A new epoch. */
    @Override public BatchIterator<B> iterator() {
        if (stream != null) {
            StreamReader<T> reader = new StreamReader<>(stream, batchSize, dropLast);
            return new BatchIterator<>(k -> BatchJob.streamed(k, reader, collate), numWorkers, prefetchFactor);
        }
        Iterator<List<Integer>> batches = batchSampler.iterator();
        return new BatchIterator<>(k -> batches.hasNext() ? BatchJob.indexed(k, dataset, batches.next(), collate) : null,
                numWorkers, prefetchFactor);
    }

    /** The number of batches in an epoch (PyTorch's {@code len(loader)}). */
    public int size() {
        if (stream == null) return batchSampler.size();
        int n = stream.size();
        if (n < 0) throw new UnsupportedOperationException("DataLoader.size(): the IterableDataset does not know its size");
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The dataset: a {@link Dataset} or an {@link IterableDataset}. */
    public Object dataset() { return dataset != null ? dataset : stream; }

    /** The batch sampler of a map-style loader; null for a stream. */
    public Sampler<List<Integer>> batchSampler() { return batchSampler; }
    public int numWorkers() { return numWorkers; }
    public int prefetchFactor() { return prefetchFactor; }
    public boolean pinMemory() { return pinMemory; }

    /** Options for a {@link DataLoader}; {@code collate} changes the batch type {@code B}. */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final IterableDataset<T> stream;
        private Integer batchSize, prefetchFactor;   // null: not given (the exclusivity checks need to know)
        private Boolean shuffle, dropLast;
        private Sampler<Integer> sampler;
        private Sampler<List<Integer>> batchSampler;
        private Generator generator;
        private Function<? super List<T>, ? extends B> collate;
        private int numWorkers;
        private boolean pinMemory;

        private Builder(Dataset<T> dataset, IterableDataset<T> stream) {
            if (dataset == null && stream == null) throw new NullPointerException("DataLoader: the dataset is null");
            this.dataset = dataset;
            this.stream = stream;
            @SuppressWarnings("unchecked") Function<List<T>, B> same = s -> (B) Collate.sameType(s);
            this.collate = same;
        }

        /** Samples per batch (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0)
                throw new IllegalArgumentException("batchSize should be a positive integer value, but got batchSize=" + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** A new random order each epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) { this.shuffle = shuffle; return this; }

        /** Drops the last batch when it is smaller than {@code batchSize} (default false). */
        public Builder<T, B> dropLast(boolean dropLast) { this.dropLast = dropLast; return this; }

        /** The order of the samples; excludes {@code shuffle}. */
        public Builder<T, B> sampler(Sampler<Integer> sampler) { this.sampler = sampler; return this; }

        /** The batches' indices; excludes {@code batchSize}, {@code shuffle}, {@code sampler} and {@code dropLast}. */
        public Builder<T, B> batchSampler(Sampler<List<Integer>> batchSampler) { this.batchSampler = batchSampler; return this; }

        /** The generator {@code shuffle} draws from (default: the default generator). */
        public Builder<T, B> generator(Generator generator) { this.generator = generator; return this; }

        /** Worker threads that load batches ahead of the consumer (default 0: load on the consuming thread). */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0)
                throw new IllegalArgumentException("numWorkers option should be non-negative, but got numWorkers=" + numWorkers);
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches each worker loads ahead (default 2); only with {@code numWorkers > 0}. */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0)
                throw new IllegalArgumentException("prefetchFactor should be positive, but got prefetchFactor=" + prefetchFactor);
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        /** Accepted for CUDA scripts; no effect on the CPU (see {@link DataLoader}). */
        public Builder<T, B> pinMemory(boolean pinMemory) { this.pinMemory = pinMemory; return this; }

        /** Turns a list of samples into a batch of type {@code C}. */
        @SuppressWarnings("unchecked")
        public <C> Builder<T, C> collate(Function<? super List<T>, ? extends C> collate) {
            Builder<T, C> self = (Builder<T, C>) this; // only the collate function's type changes
            self.collate = collate;
            return self;
        }

        public DataLoader<T, B> build() {
            if (prefetchFactor != null && numWorkers == 0)
                throw new IllegalArgumentException("prefetchFactor option could only be specified with numWorkers > 0");
            if (stream != null) {
                if (Boolean.TRUE.equals(shuffle))
                    throw new IllegalArgumentException("DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=true");
                if (sampler != null)
                    throw new IllegalArgumentException("DataLoader with IterableDataset: expected unspecified sampler option, but got " + sampler);
                if (batchSampler != null)
                    throw new IllegalArgumentException("DataLoader with IterableDataset: expected unspecified batchSampler option, but got " + batchSampler);
                return new DataLoader<>(this, null);
            }
            if (batchSampler != null) {
                if (batchSize != null || Boolean.TRUE.equals(shuffle) || sampler != null || Boolean.TRUE.equals(dropLast))
                    throw new IllegalArgumentException("batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast");
                return new DataLoader<>(this, batchSampler);
            }
            if (sampler != null && Boolean.TRUE.equals(shuffle))
                throw new IllegalArgumentException("sampler option is mutually exclusive with shuffle");
            Sampler<Integer> order = sampler != null ? sampler
                    : Boolean.TRUE.equals(shuffle) ? new RandomSampler(dataset, generator) : new SequentialSampler(dataset);
            return new DataLoader<>(this, new BatchSampler(order, batchSize == null ? 1 : batchSize,
                    Boolean.TRUE.equals(dropLast)));
        }
    }
}
