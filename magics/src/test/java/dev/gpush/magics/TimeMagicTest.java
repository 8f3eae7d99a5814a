package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** %time: IPython's two lines; an expression timed alone, other code run as a cell. */
class TimeMagicTest {

    private static final String LINES = "CPU times: user \\S+ \\S+, sys: \\S+ \\S+, total: \\S+ \\S+\nWall time: \\S+ \\S+\n";

    @Test
    void theTimesAreWrittenAsIPythonWritesThem() {
        assertEquals("CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms\nWall time: 1.5 ms\n",
                new Stopwatch.Times(1.2e-3, 0, 1.5e-3).format());
        assertEquals("CPU times: user 2 s, sys: 10 ms, total: 2.01 s\nWall time: 1min 3s\n",
                new Stopwatch.Times(2, 0.01, 63.2).format());
    }

    @Test
    void anExpressionIsCompiledFirstAndItsValueIsTheResult() throws Exception {
        var context = new RecordingContext();
        context.values = source -> (Callable<Object>) () -> 42;
        Object value = new TimeMagic().run(context, "6 * 7", null);
        assertEquals(42, value);
        assertTrue(context.evaluated.isEmpty());
        assertTrue(context.stdout().matches(LINES), context.stdout());
    }

    @Test
    void aCellRunsAsACellSoItsDeclarationsStay() throws Exception {
        var context = new RecordingContext();
        new TimeMagic().run(context, "", "var model = train();\nmodel.eval();");
        assertEquals("var model = train();\nmodel.eval();", context.evaluated.getFirst().source());
        assertTrue(context.valuesAsked.isEmpty());
        assertTrue(context.stdout().matches(LINES), context.stdout());
    }

    @Test
    void aStatementThatIsNotAnExpressionRunsAsACell() throws Exception {
        var context = new RecordingContext();
        new TimeMagic().run(context, "var y = x.mul(2);", null);
        assertEquals("var y = x.mul(2);", context.evaluated.getFirst().source());
    }

    @Test
    void failingCodeIsAnErrorAndPrintsNoTimes() {
        var context = new RecordingContext();
        context.evalResult = false;
        var error = assertThrows(MagicException.class, () -> new TimeMagic().run(context, "", "broken("));
        assertTrue(error.getMessage().contains("failed"), error.getMessage());
        assertEquals("", context.stdout());
    }

    @Test
    void argumentsOnACellOrNoCodeGiveTheUsageLine() {
        var cell = assertThrows(MagicException.class, () -> new TimeMagic().run(new RecordingContext(), "x", "y"));
        assertTrue(cell.getMessage().endsWith("usage: %time CODE, or %%time as a cell's first line"), cell.getMessage());
        assertThrows(MagicException.class, () -> new TimeMagic().run(new RecordingContext(), " ", null));
    }
}
