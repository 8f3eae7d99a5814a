package dev.gpush.data;

import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static dev.gpush.data.DataLoaderTest.epoch;
import static org.junit.jupiter.api.Assertions.*;

class DataLoaderWorkersTest {
    /**
     * Sample i is the tensor [i, 2i], made on the thread that loads it (whose name is recorded). Loading some
     * samples takes a little longer, so that workers finish their batches out of order.
     */
    static final class Recording implements Dataset<Tensor> {
        final int n;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Recording(int n) { this.n = n; }

        @Override public Tensor get(int i) {
            threads.add(Thread.currentThread().getName());
            if (i % 7 == 0) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Tensor.of((long) i, 2L * i);
        }

        @Override public int size() { return n; }
    }

    static List<List<Long>> shuffledEpochs(int numWorkers, int epochs) {
        var builder = DataLoader.builder(new Recording(103)).batchSize(5).shuffle(true).generator(new Generator(11))
                .collate(Collate::toTensor).numWorkers(numWorkers);
        if (numWorkers > 0) builder.prefetchFactor(3);
        var loader = builder.build();
        List<List<Long>> all = new ArrayList<>();
        for (int e = 0; e < epochs; e++) all.addAll(epoch(loader));
        return all;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void workersDeliverTheSameBatchesInTheSameOrderAsTheConsumerThread(int numWorkers) {
        assertEquals(shuffledEpochs(0, 2), shuffledEpochs(numWorkers, 2));
    }

    @Test void samplesAreLoadedOnTheWorkerThreads() {
        var ds = new Recording(40);
        var it = DataLoader.builder(ds).batchSize(4).numWorkers(2).build().iterator();
        while (it.hasNext()) it.next();
        assertFalse(ds.threads.isEmpty());
        assertTrue(ds.threads.stream().allMatch(t -> t.startsWith(it.threadPrefix())), ds.threads.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aStreamGivesTheSameBatchesWithWorkers(int numWorkers) {
        IterableDataset<Tensor> stream = () -> IntStream.range(0, 23).mapToObj(i -> Tensor.of((long) i)).iterator();
        var serial = DataLoader.builder(stream).batchSize(4).build();
        var parallel = DataLoader.builder(stream).batchSize(4).numWorkers(numWorkers).build();
        List<List<Long>> expected = epoch(serial);
        assertEquals(6, expected.size());
        assertEquals(expected, epoch(parallel));
    }

    static final class Failing implements Dataset<Tensor> {
        @Override public Tensor get(int i) {
            if (i == 13) throw new IllegalStateException("sample 13 is corrupt");
            return Tensor.of((long) i);
        }

        @Override public int size() { return 40; }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void aFailingSampleSurfacesWithItsIndexAfterTheBatchesBeforeIt(int numWorkers) {
        var it = DataLoader.builder(new Failing()).batchSize(4).numWorkers(numWorkers).build().iterator();
        for (int b = 0; b < 3; b++) assertArrayEquals(new int[]{4}, it.next().shape());
        var e = assertThrows(DataLoaderException.class, it::next);
        assertEquals(13, e.sampleIndex());
        assertEquals(3, e.batchIndex());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getMessage().contains("dataset.get(13)") && e.getMessage().contains("sample 13 is corrupt"), e.getMessage());
        assertFalse(it.hasNext(), "the epoch ends at a failure");
        assertNoThreadsLeft(it);
    }

    @Test void aFailingStreamSampleSurfacesWithItsPosition() {
        IterableDataset<Tensor> stream = () -> IntStream.range(0, 20).mapToObj(i -> {
            if (i == 9) throw new IllegalArgumentException("bad record");
            return Tensor.of((long) i);
        }).iterator();
        var it = DataLoader.builder(stream).batchSize(4).numWorkers(2).build().iterator();
        it.next();
        it.next();
        var e = assertThrows(DataLoaderException.class, it::next);
        assertEquals(9, e.sampleIndex());
        assertEquals(2, e.batchIndex());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test void aFailingCollateNamesTheBatchAndItsSamples() {
        var it = DataLoader.builder(new Recording(8)).batchSize(4).numWorkers(2)
                .collate(samples -> { throw new IllegalStateException("no"); }).build().iterator();
        var e = assertThrows(DataLoaderException.class, it::next);
        assertEquals(-1, e.sampleIndex());
        assertEquals(0, e.batchIndex());
        assertTrue(e.getMessage().contains("collate failed for batch 0 (samples [0, 1, 2, 3])"), e.getMessage());
    }

    @Test void noWorkerThreadOutlivesAFullEpoch() {
        var it = DataLoader.builder(new Recording(50)).batchSize(3).numWorkers(4).build().iterator();
        int batches = 0;
        while (it.hasNext()) {
            it.next();
            batches++;
        }
        assertEquals(17, batches);
        assertNoThreadsLeft(it);
    }

    @Test void noWorkerThreadOutlivesAnEpochLeftEarly() {
        var ds = new Recording(200);
        var loader = DataLoader.builder(ds).batchSize(2).numWorkers(3).build();
        BatchIterator<Tensor> it = loader.iterator();
        for (Tensor batch : (Iterable<Tensor>) () -> it) {
            if (batch.toLongArray()[0] >= 4) break; // abandoned, never closed
        }
        assertFalse(ds.threads.isEmpty());
        assertNoThreadsLeft(it);
    }

    @Test void closingAnEpochStopsItsWorkers() {
        var loader = DataLoader.builder(new Recording(200)).batchSize(2).numWorkers(3).build();
        BatchIterator<Tensor> it;
        try (var epoch = loader.iterator()) {
            it = epoch;
            epoch.next();
        }
        assertFalse(it.hasNext());
        assertNoThreadsLeft(it);
    }

    /** Waits (up to a generous bound, not a timing claim) for the epoch's worker threads to end. */
    static void assertNoThreadsLeft(BatchIterator<?> it) {
        List<String> alive = List.of();
        for (int tries = 0; tries < 600; tries++) {
            alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith(it.threadPrefix())).map(Thread::getName).toList();
            if (alive.isEmpty()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        fail("worker threads still alive: " + alive);
    }

    // ---------------------------------------------------------------- scopes (Note [batch scope])

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void batchesJoinTheConsumersScopeAndLoadingTemporariesAreFreed(int numWorkers) {
        Tensor x = Tensor.arange(20).reshape(10, 2), y = Tensor.arange(10);
        var ds = new TensorDataset(x, y);
        List<Tensor> rows = Collections.synchronizedList(new ArrayList<>());
        Dataset<List<Tensor>> recording = new Dataset<>() {
            @Override public List<Tensor> get(int i) {
                List<Tensor> row = ds.get(i);
                rows.addAll(row);
                return row;
            }
            @Override public int size() { return ds.size(); }
        };
        var loader = DataLoader.builder(recording).batchSize(4).numWorkers(numWorkers).build();
        List<List<Tensor>> batches = new ArrayList<>();
        try (Scope s = Scope.open()) {
            for (List<Tensor> batch : loader) {
                batches.add(batch);
                assertEquals(2 * batches.size(), s.size(), "the batches' tensors, and nothing else, join the consumer's scope");
            }
            assertArrayEquals(new long[]{0, 1, 2, 3}, batches.getFirst().get(1).toLongArray());
        }
        assertEquals(3, batches.size());
        assertTrue(batches.stream().flatMap(List::stream).allMatch(Tensor::isClosed), "the consumer's scope closed the batches");
        assertFalse(rows.isEmpty());
        assertTrue(rows.stream().allMatch(Tensor::isClosed), "row views made while loading were freed");
        assertFalse(x.isClosed() || y.isClosed(), "the dataset's tensors are untouched");
        assertArrayEquals(new long[]{18, 19}, x.get(9).toLongArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void tensorsPassedThroughFromTheDatasetKeepTheirOwnScope(int numWorkers) {
        List<Tensor> stored = List.of(Scope.escape(Tensor.of(1f)), Scope.escape(Tensor.of(2f)));
        Dataset<Tensor> ds = new Dataset<>() {
            @Override public Tensor get(int i) { return stored.get(i); }
            @Override public int size() { return stored.size(); }
        };
        var loader = DataLoader.builder(ds).numWorkers(numWorkers).collate(List::getFirst).build();
        try (Scope s = Scope.open()) {
            Iterator<Tensor> it = loader.iterator();
            assertSame(stored.get(0), it.next());
            assertSame(stored.get(1), it.next());
            assertEquals(0, s.size());
        }
        assertFalse(stored.get(0).isClosed() || stored.get(1).isClosed());
    }
}
