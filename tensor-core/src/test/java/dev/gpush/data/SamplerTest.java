package dev.gpush.data;

import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class SamplerTest {
    /** A dataset whose sample i is i. */
    static Dataset<Integer> range(int n) {
        return new Dataset<>() {
            @Override public Integer get(int index) { return index; }
            @Override public int size() { return n; }
        };
    }

    static List<Integer> list(Iterable<Integer> it) {
        List<Integer> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    @Test void sequentialSamplerCountsUp() {
        assertEquals(List.of(0, 1, 2, 3, 4), list(new SequentialSampler(range(5))));
        assertEquals(5, new SequentialSampler(5).size());
        assertEquals(List.of(), list(new SequentialSampler(0)));
    }

    @Test void randomSamplerGivesAPermutationThatTheSeedDetermines() {
        List<Integer> a = list(new RandomSampler(range(50), new Generator(7)));
        List<Integer> b = list(new RandomSampler(range(50), new Generator(7)));
        List<Integer> c = list(new RandomSampler(range(50), new Generator(8)));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(IntStream.range(0, 50).boxed().toList(), a.stream().sorted().toList());
        assertNotEquals(IntStream.range(0, 50).boxed().toList(), a);
    }

    @Test void randomSamplerDrawsANewOrderEachEpoch() {
        var sampler = new RandomSampler(range(30), new Generator(1));
        List<Integer> first = list(sampler), second = list(sampler);
        assertNotEquals(first, second);
        var again = new RandomSampler(range(30), new Generator(1));
        assertEquals(first, list(again));
        assertEquals(second, list(again));
    }

    @Test void randomSamplerWithReplacementDrawsNumSamplesIndicesInRange() {
        var sampler = new RandomSampler(range(5), true, 200, new Generator(3));
        List<Integer> draws = list(sampler);
        assertEquals(200, sampler.size());
        assertEquals(200, draws.size());
        assertTrue(draws.stream().allMatch(i -> i >= 0 && i < 5), draws.toString());
        assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(draws)); // 200 draws of 5 values repeat them all
        assertEquals(draws, list(new RandomSampler(range(5), true, 200, new Generator(3))));
    }

    @Test void randomSamplerWithoutReplacementRepeatsWholePermutationsForMoreSamples() {
        List<Integer> draws = list(new RandomSampler(range(4), false, 10, new Generator(0)));
        assertEquals(10, draws.size());
        assertEquals(List.of(0, 1, 2, 3), draws.subList(0, 4).stream().sorted().toList());
        assertEquals(List.of(0, 1, 2, 3), draws.subList(4, 8).stream().sorted().toList());
        assertEquals(2, new HashSet<>(draws.subList(8, 10)).size());
    }

    @Test void randomSamplerRejectsAnEmptyDatasetAndNonPositiveNumSamples() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomSampler(range(0)));
        assertTrue(e.getMessage().contains("numSamples=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomSampler(range(3), true, -5, null));
        assertTrue(e.getMessage().contains("numSamples=-5"), e.getMessage());
    }

    @Test void batchSamplerGroupsIndicesAndDropsTheShortLastBatchOnRequest() {
        var keep = new BatchSampler(new SequentialSampler(10), 4, false);
        var drop = new BatchSampler(new SequentialSampler(10), 4, true);
        List<List<Integer>> kept = new ArrayList<>(), dropped = new ArrayList<>();
        keep.forEach(kept::add);
        drop.forEach(dropped::add);
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9)), kept);
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7)), dropped);
        assertEquals(3, keep.size());
        assertEquals(2, drop.size());
        var exact = new BatchSampler(new SequentialSampler(8), 4, true);
        assertEquals(2, exact.size());
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchSampler(new SequentialSampler(3), 0, false));
        assertTrue(e.getMessage().contains("batchSize=0"), e.getMessage());
    }

    @Test void randomSplitMakesDisjointSubsetsOfTheGivenLengthsCoveringTheDataset() {
        List<Subset<Integer>> parts = Dataset.randomSplit(range(20), new int[]{12, 5, 3}, new Generator(0));
        assertEquals(List.of(12, 5, 3), parts.stream().map(Subset::size).toList());
        Set<Integer> seen = new HashSet<>();
        for (Subset<Integer> p : parts)
            for (int i = 0; i < p.size(); i++) assertTrue(seen.add(p.get(i)), "sample " + p.get(i) + " in two parts");
        assertEquals(20, seen.size());
        List<Subset<Integer>> again = Dataset.randomSplit(range(20), new int[]{12, 5, 3}, new Generator(0));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices());
    }

    @Test void randomSplitByFractionsDealsTheRemainderRoundRobin() {
        // floor(10 * 0.5) = 5, floor(10 * 0.25) = 2, floor(10 * 0.25) = 2: one left, to the first part
        var parts = Dataset.randomSplit(range(10), new double[]{0.5, 0.25, 0.25}, new Generator(0));
        assertEquals(List.of(6, 2, 2), parts.stream().map(Subset::size).toList());
        // floor(7 / 3) = 2 each: one left, to the first
        parts = Dataset.randomSplit(range(7), new double[]{1 / 3.0, 1 / 3.0, 1 / 3.0}, new Generator(0));
        assertEquals(List.of(3, 2, 2), parts.stream().map(Subset::size).toList());
        parts = Dataset.randomSplit(range(100), new double[]{0.1, 0.2, 0.7}, new Generator(0));
        assertEquals(List.of(10, 20, 70), parts.stream().map(Subset::size).toList());
    }

    @Test void randomSplitRejectsLengthsOrFractionsThatDoNotCoverTheDataset() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(range(10), new int[]{3, 3}));
        assertTrue(e.getMessage().contains("add up to 6") && e.getMessage().contains("(10)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(range(10), new double[]{0.5, 0.4}));
        assertTrue(e.getMessage().contains("not to 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(range(10), new double[]{1.5, -0.5}));
        assertTrue(e.getMessage().contains("index 0"), e.getMessage());
    }

    @Test void subsetAndConcatDatasetIndexThroughToTheirDatasets() {
        var sub = new Subset<>(range(10), 7, 2, 5);
        assertEquals(List.of(7, 2, 5), List.of(sub.get(0), sub.get(1), sub.get(2)));
        var cat = new ConcatDataset<Integer>(range(3), range(0), range(2));
        assertEquals(5, cat.size());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < cat.size(); i++) all.add(cat.get(i));
        assertEquals(List.of(0, 1, 2, 0, 1), all);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> cat.get(5));
        assertTrue(e.getMessage().contains("size 5"), e.getMessage());
    }

    @Test void tensorDatasetGivesRowsOfEachTensorAndChecksTheirFirstDims() {
        var ds = new TensorDataset(Tensor.arange(6).reshape(3, 2), Tensor.of(10L, 11L, 12L));
        assertEquals(3, ds.size());
        List<Tensor> row = ds.get(1);
        assertArrayEquals(new long[]{2, 3}, row.get(0).toLongArray());
        assertEquals(11, row.get(1).item());
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[4]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
    }
}
