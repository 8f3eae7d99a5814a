package dev.gpush.kernel.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real child process run to its end in exactly the environment given (nothing inherited), with its output kept in
 * files so that neither pipe can fill and block.
 */
record Exec(int exit, String out, String err) {

    /** The repository root: the tests run in the kernel module's folder. */
    static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().getParent();

    /** A guard against a hung child, not a speed requirement. */
    private static final long HANG_GUARD_MINUTES = 10;

    static Exec run(List<String> command, Map<String, String> env, String stdin) {
        try {
            Path out = Files.createTempFile("exec-out", ".txt");
            Path err = Files.createTempFile("exec-err", ".txt");
            try {
                var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().clear();
                builder.environment().putAll(env);
                Process process = builder.start();
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the child ended without reading its input; its exit and output tell the rest
                }
                if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("hung: " + command + "\n" + Files.readString(err));
                }
                return new Exec(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Exec run(Map<String, String> env, String... command) {
        return run(List.of(command), env, "");
    }

    /** Whether {@code command} is on the PATH of this JVM's environment; for assumptions about the machine. */
    static boolean onPath(String command) {
        return run(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                "/bin/sh", "-c", "command -v " + command).exit() == 0;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
