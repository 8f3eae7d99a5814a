package dev.gpush.kernel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EngineTest {

    static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void evaluatesImportsClassesMethodsStatementsAndExpressionsInOrder() {
        var evaluation = engine.eval("""
                import java.util.concurrent.atomic.AtomicInteger;
                class Counter {
                    final AtomicInteger n = new AtomicInteger();
                    void inc() { n.incrementAndGet(); }
                }
                int twice(int x) { return 2 * x; }
                var counter = new Counter();
                counter.inc(); counter.inc();
                twice(counter.n.get()) + 1
                """);

        assertTrue(evaluation.ok(), () -> evaluation.toString());
        assertEquals(7, evaluation.outcomes().size());
        assertEquals("5", evaluation.outcomes().getLast().value());
        assertEquals(9, evaluation.outcomes().getLast().line());
    }

    @Test
    void aCompileErrorReportsItsLineAndColumnAndStopsTheEvaluation() {
        var evaluation = engine.eval("""
                int fine = 1;

                // a comment between snippets
                int broken = fine + missingVariable;
                int never = 3;
                """);

        var failed = evaluation.failed().orElseThrow();
        var problem = failed.problems().getFirst();
        assertEquals(4, problem.line());
        assertEquals(21, problem.column());
        assertTrue(problem.message().startsWith("cannot find symbol"), problem.message());
        assertTrue(problem.message().contains("variable missingVariable"), problem.message());
        assertFalse(problem.message().contains("location: class"), "JShell's nameless wrapper class is noise");
        assertEquals(2, evaluation.outcomes().size(), "nothing after the error is evaluated");
    }

    @Test
    void anExceptionIsReportedWithItsClassMessageCauseAndScriptLines() {
        var evaluation = engine.eval("""
                void explode() {
                    int depth = 1;
                    throw new IllegalStateException("boom", new ArithmeticException("inner"));
                }

                explode();
                """);

        var failure = evaluation.failed().orElseThrow().failure();
        assertEquals("java.lang.IllegalStateException", failure.className());
        assertEquals("boom", failure.message());
        assertEquals(List.of(new Outcome.Frame("explode", "input", 3), new Outcome.Frame("", "input", 6)),
                failure.frames());
        assertEquals("java.lang.ArithmeticException", failure.cause().className());
        assertEquals("inner", failure.cause().message());
    }

    @Test
    void framesOfAnEarlierEvaluationPointIntoItsOwnSource() {
        engine.eval("helpers.jsh", """
                int divide(int a, int b) {
                    return a / b;
                }
                """);
        var failure = engine.eval("cell", "divide(1, 0)").failed().orElseThrow().failure();

        assertEquals("java.lang.ArithmeticException", failure.className());
        assertEquals(List.of(new Outcome.Frame("divide", "helpers.jsh", 2), new Outcome.Frame("", "cell", 1)),
                failure.frames());
    }

    @Test
    void anUnresolvedReferenceIsAnErrorAtItsUse() {
        var evaluation = engine.eval("""
                class Holder {
                    Missing value;
                }
                """);

        var problem = evaluation.failed().orElseThrow().problems().getFirst();
        assertEquals(2, problem.line());
        assertEquals(5, problem.column());
        assertTrue(problem.message().contains("class Missing"), problem.message());
    }

    @Test
    void theSessionStaysUsableAfterErrors() {
        engine.eval("int kept = 41;");
        assertFalse(engine.eval("int x = ;").ok());
        assertFalse(engine.eval("throw new RuntimeException();").ok());

        var evaluation = engine.eval("kept + 1");

        assertTrue(evaluation.ok());
        assertEquals("42", evaluation.outcomes().getFirst().value());
    }

    @Test
    void snippetsSeeTheClassPathOfThisJvm() {
        var evaluation = engine.eval(
                "dev.gpush.kernel.engine.Engine.class.getClassLoader() == ClassLoader.getSystemClassLoader()");

        assertTrue(evaluation.ok(), () -> evaluation.toString());
        assertEquals("true", evaluation.outcomes().getFirst().value(), "snippets share this JVM's classes");
    }

    @Test
    void preludeImportsThatDoNotCompileAreSkipped() {
        try (var fresh = new Engine(List.of("import no.such.pkg.*;", "import java.util.concurrent.atomic.*;"))) {
            var evaluation = fresh.eval("new AtomicLong(3).get()");

            assertTrue(evaluation.ok(), () -> evaluation.toString());
            assertEquals("3", evaluation.outcomes().getFirst().value());
        }
    }

    @Test
    void anEmptySourceOrOneOfCommentsEvaluatesNothing() {
        var evaluation = engine.eval("  \n// nothing here\n/* at all */\n");

        assertTrue(evaluation.ok());
        assertTrue(evaluation.outcomes().isEmpty());
    }

    @Test
    void anUnfinishedSourceIsACompileError() {
        var evaluation = engine.eval("void open() {\n    int x = 1;\n");

        var outcome = evaluation.failed().orElseThrow();
        assertFalse(outcome.problems().isEmpty());
        assertNull(outcome.failure());
    }

    @Test
    void theLibraryIsPreImportedAndModuleMeansTheLayer() {
        var evaluation = engine.eval("""
                var x = randn(2, 3);
                Module m = new Module() {};
                m.getClass().getSuperclass().getName() + " " + x.dtype() + " " + Autograd.isGradEnabled()
                """);
        assertTrue(evaluation.ok(), () -> evaluation.toString());
        assertEquals("\"dev.gpush.nn.Module float32 true\"", evaluation.outcomes().getLast().value());
    }
}
