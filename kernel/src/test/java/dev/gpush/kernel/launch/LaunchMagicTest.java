package dev.gpush.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.kernel.engine.Engine;
import dev.gpush.kernel.engine.Frontend;
import dev.gpush.kernel.engine.MimeBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code %%launch} in a real engine, starting real worker JVMs that form a process group. */
class LaunchMagicTest {

    static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static final class Lines implements Frontend {
        final CopyOnWriteArrayList<String> out = new CopyOnWriteArrayList<>();
        final CopyOnWriteArrayList<String> err = new CopyOnWriteArrayList<>();

        @Override public void write(Stream stream, String text) { (stream == Stream.STDOUT ? out : err).add(text); }
        @Override public void display(MimeBundle bundle, String id, boolean update) {}
        @Override public String input(String prompt, boolean password) { return null; }
    }

    @Test
    void theCellRunsInEveryRankWhoseLinesArePrefixedAndSummarised() {
        var lines = new Lines();
        var evaluation = engine.eval("cell", """
                %%launch -n 2
                Dist.initProcessGroup("cpu");
                var t = Tensor.ones(3).mul(Dist.getRank() + 1);
                Dist.allReduce(t);
                System.out.println("sum " + t.sum().item());
                Dist.destroyProcessGroup();
                """, lines);
        assertTrue(evaluation.ok(), () -> evaluation + "\n" + lines.err);
        String out = String.join("", lines.out);
        assertTrue(out.contains("[rank0]: sum 9.0") && out.contains("[rank1]: sum 9.0"), out);
        assertTrue(out.contains("rank 0: exit code 0") && out.contains("rank 1: exit code 0"), out);
    }

    @Test
    void aFailingRankStopsTheOthersAndIsNamed() {
        var lines = new Lines();
        var evaluation = engine.eval("cell", """
                %%launch -n 2
                if (System.getenv("RANK").equals("1")) System.exit(3);
                Thread.sleep(60_000);
                """, lines);
        var failure = evaluation.failed().orElseThrow().failure();
        assertEquals("rank 1 failed with exit code 3; the other ranks were stopped", failure.message());
        assertTrue(engine.eval("next", "1 + 1", lines).ok(), "the session goes on");
    }

    @Test
    void badArgumentsGiveTheUsage() {
        var failure = engine.eval("cell", "%launch -n two x.jsh", new Lines()).failed().orElseThrow().failure();
        assertTrue(failure.message().startsWith("-n takes a number, got two\nusage: %launch"), failure.message());
    }
}
