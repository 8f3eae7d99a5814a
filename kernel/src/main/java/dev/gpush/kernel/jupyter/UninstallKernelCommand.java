package dev.gpush.kernel.jupyter;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpush uninstall-kernel}: removes a kernelspec that install-kernel wrote from the same location. */
@Command(name = "uninstall-kernel", mixinStandardHelpOptions = true, description = "Remove the Jupyter kernelspec (1 if there is none).")
public final class UninstallKernelCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true)
    KernelLocation location = new KernelLocation();

    @Option(names = "--name", paramLabel = "NAME", description = "the kernel's name (default: ${DEFAULT-VALUE})")
    String name = KernelSpec.DEFAULT_NAME;

    @Override
    public Integer call() {
        try {
            var dir = location.kernelsDir().resolve(KernelSpec.checkName(name));
            if (!KernelSpec.remove(dir)) {
                System.err.println("gpush uninstall-kernel: there is no kernelspec " + name + " at " + dir);
                return 1;
            }
            System.out.println("Removed kernelspec " + name + " from " + dir);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("gpush uninstall-kernel: " + e.getMessage());
            return 1;
        }
    }
}
