package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** %timeit's numbers and IPython's line for them. */
class TimeitResultTest {

    /** Runs of {@code loops} loops whose time per loop has the given mean and population standard deviation. */
    private static List<Double> runs(double mean, double stdev, long loops) {
        double c = Math.sqrt(7.0 / 6.0); // z = -c, -c, -c, 0, c, c, c has mean 0 and population std. dev. 1
        var runs = new ArrayList<Double>();
        for (double z : new double[] {-c, -c, -c, 0, c, c, c}) {
            runs.add((mean + stdev * z) * loops);
        }
        return runs;
    }

    @Test
    void theLineIsIPythonsWithUnitsAndThousandsSeparators() {
        var result = new TimeitResult(100_000, 7, runs(18e-6, 2.73e-6, 100_000), 3.1e-3, 0.04, 3);
        assertEquals(18e-6, result.average(), 1e-12);
        assertEquals(2.73e-6, result.stdev(), 1e-12);
        assertEquals("18 µs ± 2.73 µs per loop (mean ± std. dev. of 7 runs, 100,000 loops each)", result.summary());
        assertEquals("(first run: 3.1 ms, JIT warm-up)", result.firstRunNote());
        assertEquals("<TimeitResult : " + result.summary() + ">", result.toString());
    }

    @Test
    void oneRunOfOneLoopIsSingular() {
        var result = new TimeitResult(1, 1, List.of(0.25), 0.3, 0, 3);
        assertEquals("250 ms ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)", result.summary());
    }

    @Test
    void bestAndWorstArePerLoop() {
        var result = new TimeitResult(10, 3, List.of(1.0, 2.0, 4.0), 0, 0, 3);
        assertEquals(0.1, result.best(), 1e-12);
        assertEquals(0.4, result.worst(), 1e-12);
        assertEquals(List.of(0.1, 0.2, 0.4), result.timings());
        assertEquals("""
                The slowest run took 4.00 times longer than the fastest. This could mean that an intermediate \
                result is being cached.
                233 ms ± 125 ms per loop (mean ± std. dev. of 3 runs, 10 loops each)
                (first run: 0 ns, JIT warm-up)
                """, TimeitMagic.report(
                new TimeitResult(10, 3, List.of(1.0, 2.0, 4.000001), 0, 0, 3)));
    }
}
