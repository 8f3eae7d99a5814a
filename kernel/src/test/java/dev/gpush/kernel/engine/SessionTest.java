package dev.gpush.kernel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine as the front ends use it: one main thread, live streams, results, interrupts, input, magics. */
public class SessionTest {

    static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static Evaluation eval(Recorder frontend, String source) {
        return engine.eval("cell", source, frontend);
    }

    @Test
    void everyCellRunsOnOneThreadSoThreadLocalStateLastsAcrossCells() {
        var r = new Recorder();
        assertTrue(eval(r, "var first = Thread.currentThread(); var local = new ThreadLocal<String>(); local.set(\"kept\");").ok());
        var later = eval(r, "Thread.currentThread() == first && local.get().equals(\"kept\")");
        assertEquals("true", later.outcomes().getLast().value());
        // the library's own thread-local state: grad mode switched off in one cell stays off in the next
        assertTrue(eval(r, "var guard = Autograd.noGrad();").ok());
        assertEquals("false", eval(r, "GradMode.isEnabled()").outcomes().getLast().value());
        assertTrue(eval(r, "guard.close();").ok());
        assertEquals("true", eval(r, "GradMode.isEnabled()").outcomes().getLast().value());
    }

    @Test
    void outputReachesTheFrontendWhileTheCellRunsIncludingFromThreadsItStarts() {
        var seen = new java.util.concurrent.CountDownLatch(1);
        var r = new Recorder() {
            @Override
            public void write(Stream stream, String text) {
                super.write(stream, text);
                if (text.contains("tick")) {
                    seen.countDown();
                }
            }
        };
        SessionTest.latch = seen;
        // The cell waits until the frontend has seen its first print: if output were held until the cell ends,
        // the wait would time out and the cell would print "late".
        var evaluation = eval(r, """
                System.out.println("tick");
                boolean live = dev.gpush.kernel.engine.SessionTest.latch.await(20, java.util.concurrent.TimeUnit.SECONDS);
                var worker = new Thread(() -> System.err.println("from a worker ✓"));
                worker.start(); worker.join();
                System.out.println(live ? "live" : "late");
                """);
        assertTrue(evaluation.ok(), evaluation::toString);
        assertEquals("tick\nlive\n", r.stdout());
        assertEquals("from a worker ✓\n", r.stderr());
    }

    public static volatile java.util.concurrent.CountDownLatch latch;

    @Test
    void theLastExpressionIsRenderedButDeclarationsAndStatementsAreNot() {
        var r = new Recorder();
        MimeBundle tensor = eval(r, "var t = Tensor.of(new float[] {1, 2, 3});\nt.mul(2)").result();
        assertNotNull(tensor);
        assertEquals("tensor([2., 4., 6.])", tensor.text());
        assertTrue(((String) tensor.data().get("text/html")).contains("<td>4.0000</td>"), tensor::toString);
        assertNull(eval(r, "var u = 3;").result());
        assertNull(eval(r, "System.out.print(\"\");").result());
        assertEquals("\"text\"", eval(r, "\"text\"").result().text());
        MimeBundle image = eval(r, "new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)")
                .result();
        assertTrue(((String) image.data().get("image/png")).startsWith("iVBORw0KGgo"), "a base64 PNG");
        MimeBundle chart = eval(r, "plot(1.0, 0.5, 0.25)").result();
        assertTrue(chart.data().containsKey("image/png") && chart.data().containsKey("image/svg+xml"));
        assertTrue(((String) chart.data().get("image/svg+xml")).startsWith("<svg"), "no XML declaration");
        assertNull(eval(r, "System.out.printf(\"%d%n\", 1)").result(), "printf's PrintStream is not shown");
    }

    @Test
    void displayShowsNowAndUpdateDisplayReplacesItById() {
        var r = new Recorder();
        assertTrue(eval(r, "var shown = display(Tensor.zeros(2), true); shown.update(\"done\");").ok());
        assertNull(eval(r, "display(\"plain\");").result(), "display gives nothing to show as the cell's value");
        assertEquals(3, r.displays.size());
        assertNull(r.displays.get(2).id());
        assertEquals("tensor([0., 0.])", r.displays.get(0).bundle().text());
        assertFalse(r.displays.get(0).update());
        assertEquals(r.displays.get(0).id(), r.displays.get(1).id());
        assertTrue(r.displays.get(1).update());
        assertEquals("done", r.displays.get(1).bundle().text());
    }

    @Test
    void aProgressBarIsOneDisplayUpdatedInPlaceUntilItIsFull() {
        var r = new Recorder();
        assertTrue(eval(r, "int n = 0; for (var i : progress(java.util.List.of(1, 2, 3), \"epoch\")) n += i;").ok());
        var first = r.displays.getFirst();
        var last = r.displays.getLast();
        assertFalse(first.update());
        assertTrue(last.update());
        assertEquals(first.id(), last.id());
        assertTrue(last.bundle().text().startsWith("epoch: 100%|"), last.bundle().text());
        assertTrue(last.bundle().text().contains("3/3"), last.bundle().text());
    }

    @Test
    void inputAndSystemInAskTheFrontend() {
        var r = new Recorder("Ada", "42");
        var evaluation = eval(r, """
                String name = input("name? ");
                int n = new java.util.Scanner(System.in).nextInt();
                name + n
                """);
        assertTrue(evaluation.ok(), evaluation::toString);
        assertEquals("\"Ada42\"", evaluation.result().text());
        assertEquals("name? ", r.prompts.getFirst());
    }

    @Test
    void anInterruptStopsALoopThatCallsNothingAndTheSessionKeepsItsVariables() throws Exception {
        var r = new Recorder();
        assertTrue(eval(r, "long spins = 0; var kept = Tensor.ones(3);").ok());
        for (String loop : new String[] {
                "while (true) { spins++; }",                      // snippet code only: stopped by the woven check
                "while (true) { Thread.sleep(5); }",              // blocking: stopped by InterruptedException
                "var a = Tensor.ones(64, 64); while (true) { a = a.add(1).mul(0.5); }"}) { // tensor ops check too
            var running = CompletableFuture.supplyAsync(() -> eval(r, loop));
            Thread.sleep(300);
            engine.interrupt();
            var stopped = running.get(20, TimeUnit.SECONDS);
            assertFalse(stopped.ok(), loop);
            assertNotNull(stopped.failed().orElseThrow().failure(), loop);
        }
        assertEquals("3.0", eval(r, "kept.sum().item()").outcomes().getLast().value());
        assertTrue(Long.parseLong(eval(r, "spins").outcomes().getLast().value()) > 0);
    }

    /**
     * Interrupts the engine from another thread, then swallows the interrupt on this one: the snippet calling it
     * ends normally, as if the user's Ctrl-C had landed just after it.
     */
    public static void interruptAfterThisSnippet() {
        Thread other = new Thread(engine::interrupt);
        other.start();
        while (other.isAlive()) {
            Thread.onSpinWait(); // not join(): the interrupt would make it throw
        }
        Thread.interrupted();
    }

    @Test
    void anInterruptBetweenTwoSnippetsStopsTheRestOfTheCell() {
        var r = new Recorder();
        var evaluation = eval(r, "dev.gpush.kernel.engine.SessionTest.interruptAfterThisSnippet();\nint ranAfter = 1;");
        assertEquals(2, evaluation.outcomes().size());
        assertEquals(Interrupted.class.getName(), evaluation.failed().orElseThrow().failure().className());
        assertFalse(eval(r, "ranAfter").ok(), "the second snippet never ran");
        assertTrue(eval(r, "1 + 1").ok(), "the next cell runs");
    }

    /** Spins without ever looking at the interrupt flag, as a native call or a careless library would. */
    public static void spinIgnoringInterrupts(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aCellThatIgnoresTheInterruptIsReportedAfterTheGracePeriod() throws Exception {
        var r = new Recorder();
        var running = CompletableFuture.supplyAsync(() -> eval(r,
                "dev.gpush.kernel.engine.SessionTest.spinIgnoringInterrupts(" + (Engine.INTERRUPT_GRACE_MS + 2500) + ");"));
        Thread.sleep(300);
        engine.interrupt();
        running.get(30, TimeUnit.SECONDS);
        assertTrue(r.stderr().contains("has not stopped") && r.stderr().contains("spinIgnoringInterrupts"), r.stderr());
    }

    @Test
    void magicLinesRunInOrderWithTheJavaAroundThemAndKeepItsLineNumbers() {
        var r = new Recorder();
        var evaluation = eval(r, "System.out.println(\"before\");\n%lsmagic\nint broken = notDefined;");
        assertTrue(r.stdout().startsWith("before\n"), r.stdout());
        assertTrue(r.stdout().contains("%lsmagic"), r.stdout());
        assertEquals(3, evaluation.failed().orElseThrow().problems().getFirst().line());
    }

    @Test
    void magicsFromTheClassPathRunOnTheMainThreadAndSeeTheSession() {
        var r = new Recorder();
        assertTrue(eval(r, "int answer = 42;").ok());
        var evaluation = eval(r, "%echo Thread.currentThread().getName() + \" \" + answer");
        assertTrue(evaluation.ok(), evaluation::toString);
        assertEquals("gpush-main 42\n", r.stdout());
        assertEquals("the body", eval(r, "%%echo 1\n  the body  ").result().text());
        var bad = eval(r, "%echo notAName");
        assertTrue(bad.failed().orElseThrow().failure().message().contains("cannot find symbol"), bad::toString);
    }

    @Test
    void magicsCompleteByNameAndCountAsCompleteInput() {
        var completion = engine.complete("int a = 1;\n%lsm", 15);
        assertEquals(List.of("lsmagic"), completion.matches());
        assertEquals(12, completion.start());
        assertEquals(InputStatus.Status.COMPLETE, engine.isComplete("%lsmagic").status());
        assertEquals(InputStatus.Status.COMPLETE, engine.isComplete("%lsmagic\nint b = 2;").status());
        assertEquals(InputStatus.Status.INCOMPLETE, engine.isComplete("%lsmagic\nint b = (2").status());
        assertEquals(InputStatus.Status.INCOMPLETE, engine.isComplete("%%bash").status());
        assertEquals(InputStatus.Status.INCOMPLETE, engine.isComplete("%%bash\necho hi").status());
        assertEquals(InputStatus.Status.COMPLETE, engine.isComplete("%%bash\necho hi\n").status());
    }

    @Test
    void inspectionFindsAMethodRightAfterItsName() {
        String doc = engine.inspect("Math.max", 8).orElseThrow();
        assertTrue(doc.contains("max(int"), doc);
        assertTrue(engine.inspect("%lsmagic\nMath.max", 17).isPresent(), "magic lines do not disturb the compiler");
    }

    @Test
    void aLineMagicsValueCanBeCapturedIntoAVariable() {
        var r = new Recorder();
        var evaluation = eval(r, "int before = 1;\nvar device = %device\nString kind = device.getClass().getSimpleName();");
        assertTrue(evaluation.ok(), evaluation::toString);
        assertNull(evaluation.result(), "an assignment shows nothing");
        assertEquals("\"Table\"", eval(r, "kind").result().text());
        assertTrue(eval(r, "var timing = %timeit -o -n 2 -r 3 Tensor.ones(4).add(1)").ok());
        assertEquals("3", eval(r, "timing.allRuns().size()").result().text(), "IPython's x = %timeit -o ...");
        assertTrue(eval(r, "answer = %echo 6 * 7").ok());
        assertEquals("null", eval(r, "answer").result().text(), "%echo gives no value: the variable is null");
    }

    @Test
    void anUnknownMagicIsAClearErrorAndTheSessionGoesOn() {
        var r = new Recorder();
        var evaluation = eval(r, "%nosuchmagic 1 2");
        var failure = evaluation.failed().orElseThrow().failure();
        assertEquals("%nosuchmagic is not a magic; %lsmagic lists them", failure.message());
        assertTrue(eval(r, "1 + 1").ok());
    }

    @Test
    void resetForgetsEverySnippetButKeepsThePrelude() {
        try (var fresh = new Engine()) {
            var r = new Recorder();
            assertTrue(fresh.eval("a", "int gone = 1;", r).ok());
            fresh.reset();
            assertFalse(fresh.eval("b", "gone", r).ok());
            assertTrue(fresh.eval("c", "Tensor.ones(1)", r).ok());
            assertTrue(fresh.vars().stream().noneMatch(v -> v.contains(" gone ")), fresh.vars()::toString);
        }
    }
}
