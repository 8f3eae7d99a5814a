package dev.gpush.kernel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.magics.Magics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in magics in a real engine, as a notebook or the REPL runs them. */
public class MagicsEndToEndTest {

    /** IPython's warning, printed first when the slowest run took over 4 times the fastest (a GC pause, say). */
    static final String MAYBE_CACHING_WARNING = "(The slowest run took [\\d.]+ times longer than the fastest\\. This "
            + "could mean that an intermediate result is being cached\\.\n)?";

    static Engine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** A frontend that also keeps what a cell put into the next input. */
    static final class Notebook extends Recorder {
        volatile String nextInput;

        @Override
        public void setNextInput(String text) {
            nextInput = text;
        }
    }

    private static Evaluation eval(Recorder frontend, String source) {
        return engine.eval("cell", source, frontend);
    }

    private static String failure(Evaluation evaluation) {
        return evaluation.failed().orElseThrow().failure().message();
    }

    @Test
    void timeitTimesATensorOpWithIPythonsLineAndTheFirstRunApart() {
        var r = new Notebook();
        var evaluation = eval(r, "%timeit Tensor.ones(8).add(1)");
        assertTrue(evaluation.ok(), evaluation::toString);
        assertTrue(r.stdout().matches(MAYBE_CACHING_WARNING
                + "\\S+ \\S+ ± \\S+ \\S+ per loop \\(mean ± std\\. dev\\. of 7 runs, [\\d,]+ loops? each\\)\n"
                + "\\(first run: \\S+ \\S+, JIT warm-up\\)\n"), r.stdout());
    }

    @Test
    void timeitRunsStatementsThatUseAndChangeSessionVariables() {
        var r = new Notebook();
        assertTrue(eval(r, "int calls = 0; var x = Tensor.ones(4, 4);").ok());
        var evaluation = eval(r, "%%timeit -n 10 -r 2 -o\ncalls++;\nx.matmul(x);");
        assertTrue(evaluation.ok(), evaluation::toString);
        assertEquals("21", eval(r, "calls").outcomes().getLast().value()); // the first run, then 2 runs of 10
        assertTrue(evaluation.result().text().startsWith("<TimeitResult : "), evaluation.result()::text);
        var broken = eval(r, "%timeit notDefined.sum()");
        assertTrue(failure(broken).contains("cannot find symbol"), failure(broken));
        assertTrue(eval(r, "1 + 1").ok());
    }

    @Test
    void timeTimesAnExpressionAndKeepsWhatACellDeclares() {
        var r = new Notebook();
        var expression = eval(r, "%time 6 * 7");
        assertEquals("42", expression.result().text());
        assertTrue(r.stdout().matches("CPU times: user .+, sys: .+, total: .+\nWall time: .+\n"), r.stdout());
        assertTrue(eval(r, "%%time\nvar kept = Tensor.ones(3).sum().item();").ok());
        assertEquals("3.0", eval(r, "kept").outcomes().getLast().value());
    }

    @Test
    void bashStreamsTheScriptsOutputAndReportsItsExitCode() {
        var r = new Notebook();
        assertTrue(eval(r, "%%bash\necho hi\necho there").ok());
        assertEquals("hi\nthere\n", r.stdout());
        var failed = eval(new Notebook(), "%%bash\necho partial\nexit 3");
        assertEquals("bash exited with code 3", failure(failed));
        assertTrue(eval(r, "2 + 2").ok());
    }

    @Test
    void envSetsWhatBashSees() {
        var r = new Notebook();
        assertTrue(eval(r, "%env GPUSH_E2E_GREETING=hello from env").ok());
        assertTrue(eval(r, "%%sh\necho \"$GPUSH_E2E_GREETING\"").ok());
        assertEquals("env: GPUSH_E2E_GREETING=hello from env\nhello from env\n", r.stdout());
    }

    @Test
    void anInterruptedBashCellStopsAndTheSessionGoesOn() throws Exception {
        var r = new Notebook();
        Path started = dir.resolve("started");
        var running = CompletableFuture.supplyAsync(() -> eval(r, "%%bash\ntouch " + started + "\nsleep 600"));
        for (int i = 0; i < 400 && !Files.exists(started); i++) {
            Thread.sleep(50);
        }
        engine.interrupt();
        var stopped = running.get(30, TimeUnit.SECONDS);
        assertTrue(failure(stopped).contains("interrupted"), failure(stopped));
        assertTrue(eval(r, "3 + 3").ok());
    }

    @Test
    void writefileThenRunDefinesWhatTheFileDeclaresAndLoadFillsTheNextInput() throws Exception {
        Path file = dir.resolve("model.jsh");
        var r = new Notebook();
        assertTrue(eval(r, "%%writefile " + file + "\nint width = 8;\nvar weights = Tensor.ones(width, 2);").ok());
        assertTrue(eval(r, "%run " + file).ok());
        assertEquals("16.0", eval(r, "weights.sum().item()").outcomes().getLast().value());
        assertTrue(eval(r, "%load " + file).ok());
        assertEquals("int width = 8;\nvar weights = Tensor.ones(width, 2);\n", r.nextInput);

        Files.writeString(file, "int fine = 1;\nint broken = notDefined;\n");
        var failed = eval(r, "%run " + file);
        assertEquals("%run " + file + " stopped at the error above", failure(failed));
        assertTrue(r.stderr().contains(file + ":2: error: cannot find symbol"), r.stderr());
    }

    @Test
    void whosDescribesTensorsAndWhoListsNames() {
        var r = new Notebook();
        assertTrue(eval(r, "var grid = Tensor.zeros(2, 3); double rate = 0.5; grid.sum()").ok());
        assertTrue(eval(r, "%whos Tensor double").ok());
        assertTrue(r.stdout().contains("grid       Tensor    [2, 3]: 6 elems, float32, cpu, 24 bytes\n"), r.stdout());
        assertTrue(r.stdout().contains("rate       double    0.5\n"), r.stdout());
        var names = new Notebook();
        assertTrue(eval(names, "%who double").ok());
        assertTrue(names.stdout().contains("rate"), names.stdout());
        assertFalse(names.stdout().contains("$"), names.stdout());
    }

    @Test
    void anUnknownMagicSuggestsTheClosestAndMagicShowsHelp() {
        var r = new Notebook();
        assertEquals("%timit is not a magic; did you mean %timeit? (%lsmagic lists them)", failure(eval(r, "%timit 1")));
        assertTrue(eval(r, "%magic timeit").ok());
        assertTrue(r.stdout().startsWith("%timeit: time code over many runs"), r.stdout());
        var usage = failure(eval(r, "%timeit -n zero x"));
        assertTrue(usage.endsWith("usage: %timeit [-n N] [-r R] [-q] [-o] CODE, or %%timeit [-n N] [-r R] [-q] [-o] "
                + "[SETUP] as a cell's first line"), usage);
    }

    @Test
    void aMagicRegisteredFromACellRunsLikeABuiltIn() {
        var r = new Notebook();
        try {
            var registered = eval(r, """
                    dev.gpush.magics.Magics.register(new dev.gpush.magics.Magic() {
                        public String name() { return "shout"; }
                        public String help() { return "print the arguments in capitals"; }
                        public Object run(dev.gpush.magics.MagicContext context, String args, String body) {
                            context.print(args.toUpperCase() + "\\n");
                            return null;
                        }
                    });
                    """);
            assertTrue(registered.ok(), registered::toString);
            assertTrue(eval(r, "%shout hello").ok());
            assertEquals("HELLO\n", r.stdout());
        } finally {
            Magics.unregister("shout");
        }
    }

    @Test
    void mavenAddsAnArtifactFromMavenCentralToTheRunningSession() {
        var r = new Notebook();
        var added = eval(r, "%maven org.hamcrest:hamcrest-library:1.3");
        assertTrue(added.ok(), added::toString);
        assertTrue(r.stdout().contains("hamcrest-core-1.3.jar"), r.stdout());
        assertEquals("true", eval(r, "org.hamcrest.Matchers.containsString(\"at\").matches(\"cat\")")
                .outcomes().getLast().value());
    }

    @Test
    void resetForgetsTheSessionAndItGoesOn() {
        try (var fresh = new Engine()) {
            var r = new Notebook();
            assertTrue(fresh.eval("a", "int gone = 1;", r).ok());
            var reset = fresh.eval("b", "%reset", r);
            assertTrue(reset.ok(), reset::toString);
            assertTrue(r.stdout().contains("does not ask first"), r.stdout());
            assertFalse(fresh.eval("c", "gone", r).ok());
            assertEquals("2", fresh.eval("d", "1 + 1", r).outcomes().getLast().value());
        }
    }
}
