package dev.gpush.kernel.jupyter;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpush install-kernel}: installs the "Java (gpush)" kernelspec, replacing one of the same name, so that
 * {@code jupyter kernelspec list}, Jupyter Lab, {@code jupyter console --kernel gpush} and nbconvert find it.
 */
@Command(name = "install-kernel", mixinStandardHelpOptions = true, description = {
    "Install the Jupyter kernelspec (replacing one of the same name).",
    "It runs the kernel with the JDK and the build of this gpush: re-run it after moving either."})
public final class InstallKernelCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true)
    KernelLocation location = new KernelLocation();

    @Option(names = "--name", paramLabel = "NAME", description = "the kernel's name (default: ${DEFAULT-VALUE})")
    String name = KernelSpec.DEFAULT_NAME;

    @Option(names = "--display-name", paramLabel = "TEXT", description = "the name Jupyter shows (default: "
            + "${DEFAULT-VALUE})")
    String displayName = KernelSpec.DISPLAY_NAME;

    @Override
    public Integer call() {
        try {
            var dir = KernelSpec.install(location.kernelsDir(), name, displayName);
            System.out.println("Installed kernelspec " + name + " in " + dir);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("gpush install-kernel: " + e.getMessage());
            return 1;
        }
    }
}
