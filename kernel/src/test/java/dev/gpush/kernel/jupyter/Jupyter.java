package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpush.kernel.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real Jupyter of this machine (Debian's python3-jupyter-client and friends, run with /usr/bin/python3) with a
 * gpush kernelspec installed in a temporary folder, and real child processes to run it and the gpush CLI.
 */
public final class Jupyter {

    public static final String PYTHON = "/usr/bin/python3";
    /** The Python test scripts, relative to the kernel module, where Maven runs the tests. */
    static final Path SCRIPTS = Path.of("src", "test", "python").toAbsolutePath();
    final Path root;
    final String kernelName;

    private Jupyter(Path root, String kernelName) {
        this.root = root;
        this.kernelName = kernelName;
    }

    /** Whether /usr/bin/python3 can import jupyter_client; the integration tests skip without it. */
    static boolean hasJupyterClient() {
        return Files.isExecutable(Path.of(PYTHON))
                && run(List.of(PYTHON, "-c", "import jupyter_client"), Map.of(), SCRIPTS).exit() == 0;
    }

    /** Installs the kernelspec under {@code root}, as {@code gpush install-kernel --prefix root} does. */
    public static Jupyter install(Path root, String kernelName) {
        var done = run(cli("install-kernel", "--prefix", root.toString(), "--name", kernelName), Map.of(), root);
        assertEquals(0, done.exit(), done::toString);
        return new Jupyter(root, kernelName);
    }

    /** The environment that makes Jupyter find this kernelspec and keep its files under {@code root}. */
    public Map<String, String> env() {
        var env = new HashMap<String, String>();
        env.put("JUPYTER_PATH", root.resolve(Path.of("share", "jupyter")).toString());
        env.put("JUPYTER_DATA_DIR", root.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", root.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", root.resolve("config").toString());
        env.put("XDG_DATA_HOME", root.resolve("xdg").toString()); // the kernel's history file
        env.put("GPUSH_KERNEL_NAME", kernelName);
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1"); // quiets a debugger warning of Debian's Python
        return env;
    }

    /** Runs /usr/bin/python3 with {@code args} in the scripts folder, with {@link #env}. */
    ChildProcess python(String... args) {
        var command = new ArrayList<>(List.of(PYTHON, "-B")); // -B: no __pycache__ in src/test/python
        command.addAll(List.of(args));
        return run(command, env(), SCRIPTS);
    }

    /** The java of the JVM running the tests, with the tests' class path, running the gpush CLI. */
    static List<String> cli(String... args) {
        return ChildProcess.cli(args);
    }

    /** Runs {@code command} in {@code dir} to its end; {@code env} entries with a null value are removed. */
    public static ChildProcess run(List<String> command, Map<String, String> env, Path dir) {
        return ChildProcess.run(command, "", env, dir, false);
    }
}
