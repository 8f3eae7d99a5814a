package dev.gpush.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real child process to its end, with its output kept in files so that neither pipe can fill and block. */
public record ChildProcess(int exit, String out, String err) {

    /** A guard against a hung child, not a speed requirement. */
    private static final long HANG_GUARD_MINUTES = 15;

    /** The java of the JVM running the tests, with the tests' class path, running the gpush CLI. */
    public static List<String> cli(String... args) {
        var command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    static ChildProcess run(List<String> command, String stdin) {
        return run(command, stdin, Map.of());
    }

    /** Runs {@code command}; {@code env} entries with a null value are removed from the environment. */
    static ChildProcess run(List<String> command, String stdin, Map<String, String> env) {
        return run(command, stdin, env, null, false);
    }

    /**
     * Runs {@code command} in {@code dir} (null: this one) with {@code stdin} as its input. {@code env} is added to
     * this JVM's environment, or with {@code cleanEnvironment} is the whole environment; entries with a null value
     * are removed. A child that outlives the hang guard is killed with its descendants.
     */
    public static ChildProcess run(List<String> command, String stdin, Map<String, String> env, Path dir,
                                   boolean cleanEnvironment) {
        try {
            Path out = Files.createTempFile("gpush-out", ".txt");
            Path err = Files.createTempFile("gpush-err", ".txt");
            try {
                var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (dir != null) {
                    builder.directory(dir.toFile());
                }
                if (cleanEnvironment) {
                    builder.environment().clear();
                }
                env.forEach((key, value) -> {
                    if (value == null) {
                        builder.environment().remove(key);
                    } else {
                        builder.environment().put(key, value);
                    }
                });
                Process process = builder.start();
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the child ended without reading all of its input; its exit and output tell the rest
                }
                if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new AssertionError("hung: " + command + "\n" + Files.readString(err));
                }
                return new ChildProcess(process.exitValue(), Files.readString(out), Files.readString(err));
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

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
