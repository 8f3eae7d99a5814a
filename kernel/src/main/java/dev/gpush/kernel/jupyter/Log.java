package dev.gpush.kernel.jupyter;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's own diagnostics. They go to the process's file descriptor 2, which Jupyter shows in the terminal
 * that started it, and never to {@code System.err}, which the engine routes to the running cell.
 */
final class Log {

    private static final PrintStream STDERR =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private Log() {}

    static void warn(String message) {
        STDERR.println("gpush kernel: " + message);
    }
}
