package dev.gpush.kernel.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpush.kernel.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter (run with /usr/bin/python3) with the gpush kernelspec installed by {@code gpush install-kernel
 * --prefix} into a temporary folder, for the notebook tests. Jupyter's own folders (data, runtime, config) are
 * kept under that folder too, so a test neither reads nor writes the user's.
 *
 * <p>The kernelspec is named {@value #KERNEL_NAME}, the name the notebooks ask for: {@code JUPYTER_PATH} puts
 * this one ahead of any other install.
 */
final class JupyterStack {

    static final String PYTHON = "/usr/bin/python3";
    static final String KERNEL_NAME = "gpush";
    final Path root;

    private JupyterStack(Path root) {
        this.root = root;
    }

    /** Whether /usr/bin/python3 can import nbclient and jupyter_client; the notebook tests skip without them. */
    static boolean hasNbclient() {
        return Files.isExecutable(Path.of(PYTHON))
                && run(List.of(PYTHON, "-c", "import nbclient, jupyter_client"), Map.of(), Path.of(".")).exit() == 0;
    }

    /** Installs the kernelspec under {@code root}, as {@code gpush install-kernel --prefix root} does. */
    static JupyterStack install(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var done = run(cli("install-kernel", "--prefix", root.toString(), "--name", KERNEL_NAME), Map.of(), root);
        assertEquals(0, done.exit(), done::toString);
        return new JupyterStack(root);
    }

    /** The environment that makes Jupyter find this kernelspec, keep its files under {@link #root}, and run quick. */
    Map<String, String> env() {
        var env = new HashMap<String, String>();
        env.put("JUPYTER_PATH", root.resolve(Path.of("share", "jupyter")).toString());
        env.put("JUPYTER_DATA_DIR", root.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", root.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", root.resolve("config").toString());
        env.put("XDG_DATA_HOME", root.resolve("xdg").toString()); // the kernel's history file
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");            // quiets a debugger warning of Debian's Python
        env.put("GPUSH_NOTEBOOK_QUICK", "1");                        // the notebooks' small sizes
        return env;
    }

    /** Runs /usr/bin/python3 with {@code args} in {@code dir}, with {@link #env}, to its end. */
    ChildProcess python(Path dir, String... args) {
        var command = new ArrayList<>(List.of(PYTHON, "-B"));
        command.addAll(List.of(args));
        return run(command, env(), dir);
    }

    /** Starts /usr/bin/python3 with {@code args} in {@code dir}, with {@link #env}; output goes to {@code log}. */
    Process startPython(Path dir, Path log, String... args) throws IOException {
        var command = new ArrayList<>(List.of(PYTHON, "-B"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env());
        return builder.start();
    }

    /** The java of the JVM running the tests, with the tests' class path, running the gpush CLI. */
    static List<String> cli(String... args) {
        return ChildProcess.cli(args);
    }

    /** Runs {@code command} in {@code dir} to its end, with {@code env} added to this JVM's environment. */
    static ChildProcess run(List<String> command, Map<String, String> env, Path dir) {
        return ChildProcess.run(command, "", env, dir, false);
    }
}
