package dev.gpush.magics;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code %%bash} and {@code %%sh}: runs the cell with {@code /bin/bash} or {@code /bin/sh} in a real process.
 *
 * <p>Rules:
 * <ul>
 *   <li>The cell is the script ({@code SHELL -c CELL}); words on the first line after the magic's name are its
 *       positional parameters {@code $1 $2 ...}; standard input is empty.</li>
 *   <li>Its standard output and error reach the cell as they are written, each in order (between the two, order is
 *       as the two readers get them).</li>
 *   <li>Its environment is the JVM's with the {@code %env} overlay; its working directory is the JVM's.</li>
 *   <li>A non-zero exit is an error: {@code bash exited with code N}.</li>
 *   <li>When the cell is interrupted, the process and all its descendants are killed.</li>
 * </ul>
 */
final class ShellMagic implements Magic {

    private final String shell;
    private final Environment environment;

    ShellMagic(String shell, Environment environment) {
        this.shell = shell;
        this.environment = environment;
    }

    @Override
    public String name() {
        return shell;
    }

    @Override
    public String help() {
        return "run the cell with /bin/" + shell + ", streaming its output";
    }

    @Override
    public String usage() {
        return "%%" + shell + " [ARG...] as a cell's first line, the script below it";
    }

    @Override
    public String doc() {
        return """
                Runs the cell as a /bin/%1$s script in its own process. Output arrives as the script writes it;
                a non-zero exit code is an error. ARGs become $1, $2, ... The environment is the kernel's plus
                what %%env set. Interrupting the cell kills the script and every process it started.
                Example:
                  %%%%%1$s
                  nvidia-smi --query-gpu=name,memory.used --format=csv""".formatted(shell);
    }

    @Override
    public Object run(MagicContext context, String args, String body) throws Exception {
        if (body == null) {
            throw Args.usage(this, "%" + shell + " is a cell magic: write %%" + shell + " on the cell's first line");
        }
        var command = new ArrayList<>(List.of("/bin/" + shell, "-c", body, shell));
        command.addAll(Args.split(args));
        var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment.applyTo(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new MagicException("%%" + shell + ": cannot start /bin/" + shell + ": " + e.getMessage());
        }
        Thread out = pump(process.getInputStream(), context::print);
        Thread err = pump(process.getErrorStream(), context::printError);
        int code;
        try {
            code = process.waitFor();
            out.join();
            err.join();
        } catch (InterruptedException e) {
            kill(process);
            throw new MagicException("%%" + shell + " was interrupted; the script and the processes it started were "
                    + "killed");
        }
        if (code != 0) {
            throw new MagicException(shell + " exited with code " + code);
        }
        return null;
    }

    /** Kills the process's descendants first (once it is gone they would be orphans), then the process. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** A thread that passes text from {@code stream} on as it arrives, decoding UTF-8 across reads. */
    private static Thread pump(InputStream stream, Consumer<String> sink) {
        return Thread.ofVirtual().name("gpush-shell-output").start(() -> {
            char[] buffer = new char[8192];
            try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                    sink.accept(new String(buffer, 0, n));
                }
            } catch (IOException e) {
                // the process was killed: its pipes close under the reader
            }
        });
    }
}
