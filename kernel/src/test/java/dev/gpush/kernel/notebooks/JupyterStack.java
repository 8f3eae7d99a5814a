package dev.gpush.kernel.notebooks;

import dev.gpush.kernel.ChildProcess;
import dev.gpush.kernel.jupyter.Jupyter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Jupyter of the kernel tests ({@link Jupyter}: Debian's Jupyter with the gpush kernelspec installed by
 * {@code gpush install-kernel --prefix} into a temporary folder, its own folders kept there too), set up for the
 * notebooks: the kernelspec is named {@value #KERNEL_NAME}, the name the notebooks ask for, and the notebooks run
 * at their quick sizes.
 */
final class JupyterStack {

    static final String PYTHON = Jupyter.PYTHON;
    static final String KERNEL_NAME = "gpush";
    private final Jupyter jupyter;

    private JupyterStack(Jupyter jupyter) {
        this.jupyter = jupyter;
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
        return new JupyterStack(Jupyter.install(root, KERNEL_NAME));
    }

    /** {@link Jupyter#env()}, with the notebooks' small sizes. */
    Map<String, String> env() {
        var env = jupyter.env();
        env.put("GPUSH_NOTEBOOK_QUICK", "1");
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

    /** Runs {@code command} in {@code dir} to its end, with {@code env} added to this JVM's environment. */
    static ChildProcess run(List<String> command, Map<String, String> env, Path dir) {
        return Jupyter.run(command, env, dir);
    }
}
