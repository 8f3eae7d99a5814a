package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** %timeit: options, compiling once, counting runs, the printed line, -o, interrupts. */
class TimeitMagicTest {

    /** IPython's warning, printed first when the slowest run took over 4 times the fastest (a GC pause, say). */
    static final String MAYBE_CACHING_WARNING = "(The slowest run took [\\d.]+ times longer than the fastest\\. This "
            + "could mean that an intermediate result is being cached\\.\n)?";

    private final TimeitMagic timeit = new TimeitMagic();

    @Test
    void optionsComeFirstAndTheRestIsCodeAsWritten() {
        var options = timeit.parse("-n 10 -r3 -o x.add(1, \"a  b\")");
        assertEquals(10, options.loops());
        assertEquals(3, options.repeat());
        assertTrue(options.result());
        assertFalse(options.quiet());
        assertEquals("x.add(1, \"a  b\")", options.rest());
        var defaults = timeit.parse("Tensor.ones(8).add(1)");
        assertEquals(0, defaults.loops()); // 0: auto-range
        assertEquals(7, defaults.repeat());
        assertEquals("-x.sum()", timeit.parse("-q -x.sum()").rest()); // not an option: code
    }

    @Test
    void aBadNumberGivesTheUsageLine() {
        var error = assertThrows(MagicException.class, () -> timeit.parse("-n ten x"));
        assertEquals("%timeit: -n needs a whole number of at least 1, got 'ten'\nusage: " + timeit.usage(),
                error.getMessage());
        assertThrows(MagicException.class, () -> timeit.parse("-r 0 x"));
        var empty = assertThrows(MagicException.class, () -> timeit.run(new RecordingContext(), "-n 3", null));
        assertTrue(empty.getMessage().startsWith("%timeit: no code to time\nusage: %timeit"), empty.getMessage());
    }

    @Test
    void theCodeIsCompiledOnceAndCalledFirstAloneThenLoopsTimesRunsTimes() throws Exception {
        var calls = new AtomicInteger();
        var context = new RecordingContext();
        context.values = source -> (Callable<Object>) calls::incrementAndGet;
        var result = timeit.run(context, "-n 5 -r 3 -o Tensor.ones(8).add(1)", null);
        assertEquals(1, context.valuesAsked.size());
        assertEquals("(java.util.concurrent.Callable<Object>) () -> (\nTensor.ones(8).add(1)\n)",
                context.valuesAsked.getFirst());
        assertEquals(1 + 5 * 3, calls.get());
        var timing = assertInstanceOf(TimeitResult.class, result);
        assertEquals(5, timing.loops());
        assertEquals(3, timing.allRuns().size());
        assertTrue(context.stdout().matches(MAYBE_CACHING_WARNING
                + "\\S+ \\S+ ± \\S+ \\S+ per loop \\(mean ± std\\. dev\\. of 3 runs, 5 loops each\\)\n"
                + "\\(first run: \\S+ \\S+, JIT warm-up\\)\n"), context.stdout());
    }

    @Test
    void statementsAreCompiledAsABlockWhenTheyAreNotAnExpression() throws Exception {
        var context = new RecordingContext();
        context.values = source -> {
            if (!source.contains("return null;")) {
                throw new MagicException("not an expression");
            }
            return (Callable<Object>) () -> null;
        };
        assertNull(timeit.run(context, "-q -n 1 -r 1", "list.clear();\nlist.add(1);"));
        assertEquals("(java.util.concurrent.Callable<Object>) () -> {\nlist.clear();\nlist.add(1);\n;\nreturn null;\n}",
                context.valuesAsked.getLast());
        assertEquals("", context.stdout()); // -q
    }

    @Test
    void aCompileErrorIsTheMagicsErrorAndNothingRuns() {
        var context = new RecordingContext();
        context.values = source -> {
            throw new MagicException("cannot find symbol: notDefined");
        };
        var error = assertThrows(MagicException.class, () -> timeit.run(context, "notDefined.sum()", null));
        assertEquals("cannot find symbol: notDefined", error.getMessage());
    }

    @Test
    void theCellsFirstLineIsSetupRunOnceBeforeTiming() throws Exception {
        var context = new RecordingContext();
        context.values = source -> (Callable<Object>) () -> 1;
        timeit.run(context, "-n 2 -r 1 var x = Tensor.ones(4);", "x.add(1)");
        assertEquals("var x = Tensor.ones(4);", context.evaluated.getFirst().source());
        context.evalResult = false;
        var failed = assertThrows(MagicException.class, () -> timeit.run(context, "-n 2 broken(", "x.add(1)"));
        assertTrue(failed.getMessage().contains("setup failed"), failed.getMessage());
    }

    @Test
    void withoutDashNLoopsGrowTenfoldUntilARunTakesAFifthOfASecond() throws Exception {
        var context = new RecordingContext();
        // each call sleeps at least 30 ms: 10 loops take at least 0.3 s, so the auto-range stops at 1 or 10 loops
        context.values = source -> (Callable<Object>) () -> {
            Thread.sleep(30);
            return null;
        };
        var result = (TimeitResult) timeit.run(context, "-q -o -r 2 Thread.sleep(30)", null);
        assertTrue(result.loops() == 1 || result.loops() == 10, "loops: " + result.loops());
        assertEquals(2, result.repeat());
    }

    @Test
    void anInterruptStopsTheLoop() {
        var calls = new AtomicInteger();
        var context = new RecordingContext();
        context.values = source -> (Callable<Object>) () -> {
            if (calls.incrementAndGet() == 3) {
                Thread.currentThread().interrupt(); // as the engine's interrupt does to the session's thread
            }
            return null;
        };
        assertThrows(InterruptedException.class, () -> timeit.run(context, "-n 1000000 -r 7 work()", null));
        assertEquals(3, calls.get());
        assertFalse(Thread.interrupted(), "the exception consumed the interrupt, as InterruptedException does");
    }
}
