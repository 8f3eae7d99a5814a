package dev.gpush.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The harness's rules that need no clock: how many samples it takes, and that every one runs the op. */
class HarnessTest {

    @Test void warmUpTakesAtLeastThreeSamplesThenMeasuresTheRuns() {
        List<Long> calls = new ArrayList<>();
        double[] perOp = Harness.measure(calls::add, 0, 4, 0);
        assertEquals(4, perOp.length);
        assertEquals(Harness.MIN_WARMUP_SAMPLES + 4, calls.size(), "a zero warm-up still runs the minimum: " + calls);
        for (double s : perOp) assertTrue(s >= 0, "seconds per op: " + s);
        assertTrue(calls.stream().allMatch(n -> n >= 1), "every sample runs the op at least once: " + calls);
    }
}
