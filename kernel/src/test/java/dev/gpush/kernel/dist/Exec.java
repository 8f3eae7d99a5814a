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

    static Exec run(List<String> command, Map<String, String> env, String stdin) {
        var r = dev.gpush.kernel.ChildProcess.run(command, stdin, env, null, true);
        return new Exec(r.exit(), r.out(), r.err());
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
