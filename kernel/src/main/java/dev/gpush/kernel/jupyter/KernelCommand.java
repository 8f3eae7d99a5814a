package dev.gpush.kernel.jupyter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gpush kernel CONNECTION_FILE}: the Jupyter kernel, as the kernelspec starts it. Exits 0 on shutdown. */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "Run the Jupyter kernel (the kernelspec starts it).")
public final class KernelCommand implements Callable<Integer> {

    static final int UNUSABLE_CONNECTION_FILE = 2;

    @Parameters(paramLabel = "CONNECTION_FILE", description = "the connection file Jupyter wrote")
    Path connectionFile;

    @Override
    public Integer call() {
        try {
            return Kernel.run(connectionFile);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("gpush kernel: cannot use " + connectionFile + ": " + e.getMessage());
            return UNUSABLE_CONNECTION_FILE;
        }
    }
}
