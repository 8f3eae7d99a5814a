package dev.gpush.kernel;

import dev.gpush.kernel.engine.Engine;
import dev.gpush.kernel.engine.ErrorFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code gpush run FILE.jsh}: evaluates a script in this process and exits. Like {@code jshell script.jsh} it prints
 * only what the script prints; unlike it, the first error ends the run with exit code 1. A script's
 * {@code System.exit(n)} ends the process with {@code n}.
 */
@Command(name = "run", description = "Evaluate a JShell script and exit (1 on the first error).")
final class RunCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int UNREADABLE = 2;

    @Parameters(paramLabel = "FILE", description = "the script, or - to read it from standard input")
    String file;

    @Override
    public Integer call() {
        String source;
        try {
            source = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            System.err.println("gpush run: cannot read " + file + ": " + e);
            return UNREADABLE;
        }
        try (var engine = new Engine()) {
            var evaluation = engine.eval(file.equals("-") ? "<stdin>" : file, source);
            var failed = evaluation.failed();
            System.out.flush(); // the script's output comes before the error
            failed.ifPresent(outcome -> System.err.print(ErrorFormat.format(evaluation, outcome)));
            return failed.isPresent() ? FAILED : 0;
        }
    }
}
