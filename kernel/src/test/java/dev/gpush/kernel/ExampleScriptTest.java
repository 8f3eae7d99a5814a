package dev.gpush.kernel;

import dev.gpush.kernel.engine.Engine;
import dev.gpush.kernel.engine.ErrorFormat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/transformer_classification.jsh} compiles and runs its first training steps, evaluation,
 * checkpoint save and resume, through the engine that {@code gpush run} uses. The script reads its settings from
 * {@code gpush.example.*} system properties, so a run here is a few optimizer steps of the default model.
 */
class ExampleScriptTest {

    static final Path SCRIPT = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("examples/transformer_classification.jsh");

    @TempDir
    Path dir;

    /** Runs the script in a fresh engine with {@code settings} as system properties; returns what it printed. */
    static String run(Map<String, String> settings) throws Exception {
        String source = Files.readString(SCRIPT);
        PrintStream out = System.out;
        var printed = new ByteArrayOutputStream();
        settings.forEach((name, value) -> System.setProperty("gpush.example." + name, value));
        try (Engine engine = new Engine(); var capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            var evaluation = engine.eval(SCRIPT.toString(), source);
            System.setOut(out);
            String text = printed.toString(StandardCharsets.UTF_8);
            evaluation.failed().ifPresent(outcome ->
                    fail(text + ErrorFormat.format(evaluation, outcome)));
            return text;
        } finally {
            System.setOut(out);
            settings.keySet().forEach(name -> System.clearProperty("gpush.example." + name));
        }
    }

    @Test
    void theTransformerExampleTrainsEvaluatesAndSavesACheckpoint() throws Exception {
        Path checkpoint = dir.resolve("example.safetensors");

        String printed = run(Map.of("epochs", "1", "steps", "2", "checkpoint", checkpoint.toString()));

        assertTrue(printed.contains("epoch 0: train loss"), printed);
        assertTrue(printed.contains("held-out accuracy"), printed);
        assertTrue(Files.size(checkpoint) > 0, "the checkpoint is written");
        assertTrue(printed.contains("reloaded from " + checkpoint + " (epoch 0)"), printed);
    }

    @Test
    void theTransformerExampleResumesFromItsCheckpoint() throws Exception {
        Path checkpoint = dir.resolve("example.safetensors");
        run(Map.of("epochs", "2", "steps", "1", "checkpoint", checkpoint.toString())); // stops in epoch 0

        String printed = run(Map.of("epochs", "2", "steps", "1", "checkpoint", checkpoint.toString(), "resume", "true"));

        assertTrue(printed.contains("resumed from " + checkpoint + " after epoch 0"), printed);
        assertTrue(printed.contains("epoch 1: train loss"), printed);
        assertFalse(printed.contains("epoch 0: train loss"), "epoch 0 is not trained again:\n" + printed);
    }
}
