package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** PyTorch's DistributedSampler partitions, reproduced. */
class DistributedSamplerTest {

    static Dataset<Integer> ofSize(int n) {
        return new Dataset<>() {
            @Override public Integer get(int i) { return i; }
            @Override public int size() { return n; }
        };
    }

    static List<Integer> indices(DistributedSampler s) {
        List<Integer> out = new ArrayList<>();
        s.forEach(out::add);
        assertEquals(s.size(), out.size());
        return out;
    }

    @Test
    void withoutShuffleRanksTakeEveryNthIndexAndPadFromTheStart() {
        var ds = ofSize(10);
        assertEquals(List.of(0, 3, 6, 9), indices(new DistributedSampler(ds, 3, 0, false, 0, false)));
        assertEquals(List.of(1, 4, 7, 0), indices(new DistributedSampler(ds, 3, 1, false, 0, false)));
        assertEquals(List.of(2, 5, 8, 1), indices(new DistributedSampler(ds, 3, 2, false, 0, false)));
    }

    @Test
    void dropLastDropsTheTailInsteadOfPadding() {
        var ds = ofSize(10);
        assertEquals(List.of(0, 3, 6), indices(new DistributedSampler(ds, 3, 0, false, 0, true)));
        assertEquals(List.of(2, 5, 8), indices(new DistributedSampler(ds, 3, 2, false, 0, true)));
    }

    @Test
    void shuffledSharesAreDisjointCoverTheDatasetAndChangeWithTheEpoch() {
        var ds = ofSize(12);
        TreeSet<Integer> all = new TreeSet<>();
        List<List<Integer>> epoch0 = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            var s = new DistributedSampler(ds, 3, r, true, 5, false);
            epoch0.add(indices(s));
            all.addAll(epoch0.getLast());
            assertEquals(epoch0.getLast(), indices(s), "the same epoch gives the same order");
            s.setEpoch(1);
            assertNotEquals(epoch0.getLast(), indices(s), "a new epoch reshuffles");
        }
        assertEquals(12, all.size(), "disjoint and complete");
        assertTrue(all.first() == 0 && all.last() == 11);
        assertEquals(epoch0.get(1), indices(new DistributedSampler(ds, 3, 1, true, 5, false)), "seeded by seed + epoch only");
    }

    @Test
    void aRankOutsideTheReplicasIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(ofSize(4), 2, 2, true, 0, false));
        assertEquals("DistributedSampler: invalid rank 2, rank should be in the interval [0, 1]", e.getMessage());
    }
}
