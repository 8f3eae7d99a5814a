package dev.gpush.data;

import dev.gpush.tensor.InterruptedOpException;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One batch's work: fetch its samples, collate them, and hand the batch's tensors over. It runs on a worker
 * thread, or on the consuming thread when the loader has none. It returns null at the end of a stream, and a
 * failure as a value (the consumer throws it when it reaches this batch); only an interrupt escapes.
 *
 * <p>Note [batch scope]: a batch belongs to the {@link Scope} open on the consuming thread when the iterator
 * produced it, whatever the number of workers, just as if it had been collated there; everything else made
 * while loading it (row views, decoded samples, intermediate tensors) is closed once the batch is collated.
 * <ul>
 *   <li>The job runs in a scope of its own. Afterwards it keeps the tensors of the batch that this scope would
 *       close (the ones the job made) and the scope closes the rest. Tensors the job did not make, such as a
 *       dataset's own tensors passed through by a collate function, keep whatever scope they had.</li>
 *   <li>On the consuming thread the job's scope is nested in the consumer's, so keeping moves the batch there.
 *       On a worker thread (no scope open) keeping leaves the tensors scope-less; the consumer then
 *       {@link Tensor#adopt() adopts} them into its own scope. Scopes are per thread, so a worker never touches
 *       the consumer's scope.</li>
 *   <li>The batch's tensors are found in the batch itself, a {@code Tensor}, or inside collections, maps,
 *       arrays, {@code Optional}s and records, at any depth. A collate function that hides tensors in another
 *       kind of object keeps them itself ({@link Scope#escape}).</li>
 * </ul>
 */
final class BatchJob<T, B> implements Callable<BatchJob.Batch<B>> {
    /** A collated batch and the tensors the job made for it; or the failure that happened instead. */
    record Batch<B>(B value, List<Tensor> made, Failure failure) {}

    /** Where loading failed: becomes a {@link DataLoaderException} on the consuming thread. */
    record Failure(String message, Throwable cause, int batch, long sample) {
        DataLoaderException toException() { return new DataLoaderException(message, cause, batch, sample); }
    }

    /** The samples of one batch, and which they are (for messages). */
    record Samples<T>(List<T> values, String which) {}

    /** A sample could not be read: carries its index to the failure. */
    static final class SampleFailed extends RuntimeException {
        final long sample;

        SampleFailed(String what, long sample, Throwable cause) {
            super(what, cause);
            this.sample = sample;
        }
    }

    @FunctionalInterface
    interface Fetch<T> {
        /** The batch's samples, or null past the end of a stream. */
        Samples<T> fetch() throws InterruptedException;
    }

    private final int batch;
    private final Fetch<T> fetch;
    private final Function<? super List<T>, ? extends B> collate;

    private BatchJob(int batch, Fetch<T> fetch, Function<? super List<T>, ? extends B> collate) {
        this.batch = batch;
        this.fetch = fetch;
        this.collate = collate;
    }

    /** Batch {@code batch} of a map-style dataset: the samples at {@code indices}. */
    static <T, B> BatchJob<T, B> indexed(int batch, Dataset<T> dataset, List<Integer> indices,
                                         Function<? super List<T>, ? extends B> collate) {
        return new BatchJob<>(batch, () -> {
            List<T> values = new ArrayList<>(indices.size());
            for (int i : indices) {
                try {
                    values.add(dataset.get(i));
                } catch (InterruptedOpException e) {
                    throw e;
                } catch (RuntimeException | Error e) {
                    throw new SampleFailed("dataset.get(" + i + ") failed", i, e);
                }
            }
            return new Samples<>(values, "samples " + indices);
        }, collate);
    }

    /** Batch {@code batch} of a stream, read in turn from {@code reader}. */
    static <T, B> BatchJob<T, B> streamed(int batch, StreamReader<T> reader, Function<? super List<T>, ? extends B> collate) {
        return new BatchJob<>(batch, () -> reader.read(batch), collate);
    }

    @Override public Batch<B> call() throws InterruptedException {
        String thread = Thread.currentThread().getName();
        try (Scope scope = Scope.open()) {
            Samples<T> samples;
            try {
                samples = fetch.fetch();
            } catch (SampleFailed e) {
                return failed(e.getMessage() + " while loading batch " + batch + " on thread " + thread, e.getCause(), e.sample);
            }
            if (samples == null) return null;
            B value;
            try {
                value = collate.apply(samples.values());
            } catch (InterruptedOpException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                return failed("collate failed for batch " + batch + " (" + samples.which() + ") on thread " + thread, e, -1);
            }
            return new Batch<>(value, keepMade(scope, value), null);
        }
    }

    private Batch<B> failed(String message, Throwable cause, long sample) {
        return new Batch<>(null, List.of(), new Failure("DataLoader: " + message + ": " + cause, cause, batch, sample));
    }

    /** Keeps the batch's tensors that {@code scope} would close, and returns them (Note [batch scope]). */
    private static List<Tensor> keepMade(Scope scope, Object batch) {
        List<Tensor> made = new ArrayList<>();
        forEachTensor(batch, t -> {
            int before = scope.size(); // Scope has no membership test: a keep that lowers its count moved t out
            scope.keep(t);
            if (scope.size() < before) made.add(t);
        });
        return made;
    }

    /** Visits the tensors in {@code o}: itself, or inside collections, maps, arrays, optionals and records. */
    static void forEachTensor(Object o, Consumer<Tensor> visit) {
        switch (o) {
            case null -> { }
            case Tensor t -> visit.accept(t);
            case Collection<?> c -> c.forEach(e -> forEachTensor(e, visit));
            case Map<?, ?> m -> m.forEach((k, v) -> { forEachTensor(k, visit); forEachTensor(v, visit); });
            case Optional<?> opt -> opt.ifPresent(v -> forEachTensor(v, visit));
            case Object[] a -> { for (Object e : a) forEachTensor(e, visit); }
            case Record r -> {
                for (var c : r.getClass().getRecordComponents()) {
                    try {
                        var accessor = c.getAccessor();
                        accessor.setAccessible(true);
                        forEachTensor(accessor.invoke(r), visit);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read component '" + c.getName() + "' of record "
                                + r.getClass().getName() + ": " + e, e);
                    }
                }
            }
            default -> { }
        }
    }
}
