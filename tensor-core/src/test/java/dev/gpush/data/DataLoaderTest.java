package dev.gpush.data;

import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.gpush.data.SamplerTest.range;
import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    /** Each batch as its values. */
    static List<List<Long>> epoch(Iterable<Tensor> loader) {
        List<List<Long>> out = new ArrayList<>();
        for (Tensor batch : loader) out.add(Arrays.stream(batch.toLongArray()).boxed().toList());
        return out;
    }

    static DataLoader.Builder<Integer, Tensor> numbers(int n) {
        return DataLoader.builder(range(n)).collate(Collate::toTensor);
    }

    @Test void sequentialBatchesKeepTheDatasetOrder() {
        var loader = numbers(10).batchSize(4).build();
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L)), epoch(loader));
        assertEquals(3, loader.size());
    }

    @Test void theDefaultBatchSizeIsOne() {
        var loader = numbers(3).build();
        assertEquals(List.of(List.of(0L), List.of(1L), List.of(2L)), epoch(loader));
    }

    @Test void dropLastDropsTheShortBatchAndCountsWithoutIt() {
        var loader = numbers(10).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.size());
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L)), epoch(loader));
        assertEquals(3, numbers(12).batchSize(4).dropLast(true).build().size());
        assertEquals(3, numbers(12).batchSize(4).dropLast(false).build().size());
    }

    @Test void shuffledEpochsArePermutationsThatTheGeneratorSeedReproduces() {
        var a = numbers(40).batchSize(8).shuffle(true).generator(new Generator(5)).build();
        var b = numbers(40).batchSize(8).shuffle(true).generator(new Generator(5)).build();
        List<List<Long>> a1 = epoch(a), a2 = epoch(a);
        assertEquals(a1, epoch(b));
        assertEquals(a2, epoch(b));
        assertNotEquals(a1, a2, "each epoch reshuffles");
        for (List<List<Long>> e : List.of(a1, a2)) {
            assertEquals(5, e.size());
            assertEquals(upTo(40), e.stream().flatMap(List::stream).sorted().toList());
        }
        assertNotEquals(upTo(40), a1.stream().flatMap(List::stream).toList());
    }

    @Test void multiTensorRowsCollateIntoAListOfStackedTensors() {
        Tensor x = Tensor.arange(12).reshape(6, 2).float_(), y = Tensor.arange(6);
        var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(4).build();
        List<List<Tensor>> batches = new ArrayList<>();
        for (List<Tensor> batch : loader) batches.add(batch);
        assertEquals(2, batches.size());
        assertArrayEquals(new int[]{4, 2}, batches.get(0).get(0).shape());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 6, 7}, batches.get(0).get(0).toFloatArray());
        assertArrayEquals(new long[]{0, 1, 2, 3}, batches.get(0).get(1).toLongArray());
        assertArrayEquals(new int[]{2, 2}, batches.get(1).get(0).shape());
        assertArrayEquals(new long[]{4, 5}, batches.get(1).get(1).toLongArray());
    }

    @Test void recordSamplesGiveBatchesOfTheSameRecord() {
        Dataset<CollateTest.Pair> pairs = new Dataset<>() {
            @Override public CollateTest.Pair get(int i) { return new CollateTest.Pair(Tensor.of((float) i), Tensor.of((long) i * 10)); }
            @Override public int size() { return 5; }
        };
        List<CollateTest.Pair> batches = new ArrayList<>();
        for (CollateTest.Pair p : DataLoader.builder(pairs).batchSize(2).build()) batches.add(p);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[]{20, 30}, batches.get(1).y().toLongArray());
    }

    @Test void aCustomCollateChangesTheBatchType() {
        DataLoader<Integer, String> loader = DataLoader.builder(range(5)).batchSize(2)
                .collate(samples -> samples.toString()).build();
        List<String> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(List.of("[0, 1]", "[2, 3]", "[4]"), batches);
    }

    @Test void samplersAndBatchSamplersReplaceTheDefaultOrder() {
        var reversed = new Sampler<Integer>() {
            @Override public int size() { return 5; }
            @Override public Iterator<Integer> iterator() { return IntStream.range(0, 5).map(i -> 4 - i).iterator(); }
        };
        assertEquals(List.of(List.of(4L, 3L), List.of(2L, 1L), List.of(0L)), epoch(numbers(5).batchSize(2).sampler(reversed).build()));
        var pairs = new BatchSampler(reversed, 2, true);
        var loader = numbers(5).batchSampler(pairs).build();
        assertEquals(List.of(List.of(4L, 3L), List.of(2L, 1L)), epoch(loader));
        assertEquals(2, loader.size());
    }

    @Test void conflictingOptionsAreRefusedAsPyTorchRefusesThem() {
        var sampler = new SequentialSampler(5);
        var e = assertThrows(IllegalArgumentException.class, () -> numbers(5).sampler(sampler).shuffle(true).build());
        assertTrue(e.getMessage().contains("mutually exclusive with shuffle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> numbers(5).batchSampler(new BatchSampler(sampler, 2, false)).batchSize(2).build());
        assertTrue(e.getMessage().contains("batchSampler option is mutually exclusive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> numbers(5).prefetchFactor(4).build());
        assertTrue(e.getMessage().contains("numWorkers > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> numbers(5).numWorkers(-1));
        assertTrue(e.getMessage().contains("numWorkers=-1"), e.getMessage());
        IterableDataset<Integer> stream = () -> IntStream.range(0, 3).iterator();
        e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(stream).shuffle(true).build());
        assertTrue(e.getMessage().contains("IterableDataset"), e.getMessage());
    }

    @Test void numberSamplesNeedABatchTypeForTheDefaultCollate() {
        var loader = DataLoader.builder(range(4)).batchSize(2).build();
        var e = assertThrows(DataLoaderException.class, () -> loader.iterator().next());
        assertTrue(e.getMessage().contains("Collate::toTensor"), e.getMessage());
        assertEquals(-1, e.sampleIndex());
    }

    @Test void aStreamIsBatchedInItsOwnOrder() {
        IterableDataset<Integer> stream = new IterableDataset<>() {
            @Override public Iterator<Integer> iterator() { return IntStream.range(0, 7).iterator(); }
            @Override public int size() { return 7; }
        };
        var loader = DataLoader.builder(stream).batchSize(3).collate(Collate::toTensor).build();
        assertEquals(List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L), List.of(6L)), epoch(loader));
        assertEquals(3, loader.size());
        var dropping = DataLoader.builder(stream).batchSize(3).dropLast(true).collate(Collate::toTensor).build();
        assertEquals(2, epoch(dropping).size());
        assertEquals(2, dropping.size());
        IterableDataset<Integer> unsized = () -> IntStream.range(0, 7).iterator();
        assertThrows(UnsupportedOperationException.class, () -> DataLoader.builder(unsized).build().size());
    }

    @Test void pinMemoryIsAcceptedAndChangesNothingOnTheCpu() {
        var pinned = numbers(6).batchSize(4).pinMemory(true).build();
        assertTrue(pinned.pinMemory());
        assertEquals(epoch(numbers(6).batchSize(4).build()), epoch(pinned));
    }

    /** 0, 1, ..., n-1 as a list of longs. */
    static List<Long> upTo(int n) { return LongStream.range(0, n).boxed().toList(); }
}
