package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %%bash and %%sh with real processes: live output in order, exit codes, the %env overlay, interrupts. */
class ShellMagicTest {

    @TempDir
    Path dir;

    private final Environment environment = new Environment(System.getenv());

    @Test
    void outputArrivesWhileTheScriptRunsLineByLineInOrder() throws Exception {
        Path seen = dir.resolve("seen");
        // The script waits until the test has received its first line: were output held until the end, it would
        // give up after 20 s and print "late".
        var context = new RecordingContext() {
            @Override
            public void print(String text) {
                super.print(text);
                try {
                    if (text.contains("one")) {
                        Files.writeString(seen, "yes");
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        new ShellMagic("bash", environment).run(context, seen.toString(), """
                echo one
                for i in $(seq 400); do [ -f "$1" ] && break; sleep 0.05; done
                [ -f "$1" ] && echo two || echo late
                echo three
                """);
        assertEquals("one\ntwo\nthree\n", context.stdout());
    }

    @Test
    void standardErrorGoesToTheCellsErrorStream() throws Exception {
        var context = new RecordingContext();
        new ShellMagic("sh", environment).run(context, "", "echo out; echo err >&2");
        assertEquals("out\n", context.stdout());
        assertEquals("err\n", context.stderr());
    }

    @Test
    void aNonZeroExitIsAnErrorWithItsCode() {
        var context = new RecordingContext();
        var error = assertThrows(MagicException.class,
                () -> new ShellMagic("bash", environment).run(context, "", "echo partial\nexit 3"));
        assertEquals("bash exited with code 3", error.getMessage());
        assertEquals("partial\n", context.stdout());
        var sh = assertThrows(MagicException.class,
                () -> new ShellMagic("sh", environment).run(new RecordingContext(), "", "false"));
        assertEquals("sh exited with code 1", sh.getMessage());
    }

    @Test
    void theScriptGetsTheEnvOverlayAndItsArguments() throws Exception {
        var env = new Environment(Map.of("PATH", System.getenv("PATH")));
        env.set("GPUSH_GREETING", "hello there");
        var context = new RecordingContext();
        new ShellMagic("bash", env).run(context, "'first arg' second", "echo \"$GPUSH_GREETING|$1|$2|$#\"");
        assertEquals("hello there|first arg|second|2\n", context.stdout());
    }

    @Test
    void anInterruptKillsTheScriptAndTheProcessesItStarted() throws Exception {
        Path pid = dir.resolve("pid");
        var context = new RecordingContext();
        var shell = new ShellMagic("bash", environment);
        var thread = new java.util.concurrent.atomic.AtomicReference<Thread>();
        var running = CompletableFuture.supplyAsync(() -> {
            thread.set(Thread.currentThread());
            try {
                shell.run(context, pid.toString(), "sleep 600 & echo $! > \"$1.tmp\"; mv \"$1.tmp\" \"$1\"; wait");
                return "finished";
            } catch (MagicException e) {
                return e.getMessage();
            } catch (Exception e) {
                return e.toString();
            }
        });
        for (int i = 0; i < 400 && !Files.exists(pid); i++) {
            Thread.sleep(50);
        }
        long child = Long.parseLong(Files.readString(pid).strip());
        thread.get().interrupt();
        String message = running.get(30, TimeUnit.SECONDS);
        assertTrue(message.contains("interrupted"), message);
        var handle = ProcessHandle.of(child);
        if (handle.isPresent()) {
            handle.get().onExit().get(30, TimeUnit.SECONDS); // killed: its exit is near
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "sleep " + child + " lives");
    }

    @Test
    void aLineMagicIsAnErrorThatSaysToUseTheCellForm() {
        var error = assertThrows(MagicException.class,
                () -> new ShellMagic("bash", environment).run(new RecordingContext(), "ls", null));
        assertTrue(error.getMessage().contains("write %%bash on the cell's first line"), error.getMessage());
    }
}
