package dev.gpush.kernel.jupyter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * Where kernelspecs go, chosen as {@code jupyter kernelspec install} chooses (jupyter_client's
 * {@code KernelSpecManager._get_destination_dir}), except that no flag means {@code --user}, as a user without root
 * wants:
 * <ul>
 *   <li>{@code --user}: Jupyter's user data folder: {@code $JUPYTER_DATA_DIR}, else {@code ~/Library/Jupyter} on
 *       macOS, else {@code $XDG_DATA_HOME/jupyter} ({@code ~/.local/share/jupyter}); then {@code kernels/NAME}.
 *   <li>{@code --sys-prefix}: {@code sys.prefix} of the {@code python3} on the PATH (the Python of the active
 *       virtual or conda environment), then {@code share/jupyter/kernels/NAME}.
 *   <li>{@code --prefix DIR}: {@code DIR/share/jupyter/kernels/NAME}; Jupyter finds it when {@code DIR/share/jupyter}
 *       is on {@code JUPYTER_PATH}.
 * </ul>
 */
final class KernelLocation {

    @Option(names = "--user", description = "Jupyter's user data folder (the default)")
    boolean user;

    @Option(names = "--sys-prefix", description = "sys.prefix of the python3 on the PATH (a virtual or conda env)")
    boolean sysPrefix;

    @Option(names = "--prefix", paramLabel = "DIR", description = "DIR/share/jupyter/kernels")
    Path prefix;

    /** The folder that holds kernelspecs, one folder each. */
    Path kernelsDir() throws IOException {
        if (prefix != null) {
            return prefixKernels(prefix);
        }
        if (sysPrefix) {
            return prefixKernels(pythonPrefix());
        }
        return userDataDir(System.getenv(), System.getProperty("os.name"), Path.of(System.getProperty("user.home")))
                .resolve("kernels");
    }

    static Path prefixKernels(Path prefix) {
        return prefix.toAbsolutePath().normalize().resolve(Path.of("share", "jupyter", "kernels"));
    }

    /** jupyter_core's {@code jupyter_data_dir()} on Linux and macOS. */
    static Path userDataDir(Map<String, String> env, String osName, Path home) {
        String dataDir = env.get("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isEmpty()) {
            return Path.of(dataDir);
        }
        if (osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
            return home.resolve(Path.of("Library", "Jupyter"));
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home.resolve(Path.of(".local", "share")))
                .resolve("jupyter");
    }

    private static Path pythonPrefix() throws IOException {
        try {
            Process python = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!python.waitFor(1, TimeUnit.MINUTES) || python.exitValue() != 0 || out.isEmpty()) {
                throw new IOException("python3 did not say its sys.prefix");
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new IOException("--sys-prefix needs the python3 of your Jupyter on the PATH: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking python3 for sys.prefix", e);
        }
    }
}
