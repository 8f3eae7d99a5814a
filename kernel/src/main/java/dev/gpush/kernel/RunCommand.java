package dev.gpush.kernel;

import dev.gpush.kernel.engine.Engine;
import dev.gpush.kernel.engine.ErrorFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code gpush run FILE.jsh [ARGS...]}: evaluates a script in this process and exits. Like {@code jshell script.jsh}
 * it prints only what the script prints; unlike it, the first error ends the run with exit code 1. The script's
 * arguments are the variable {@code String[] args}, defined before its first line (empty without arguments). A
 * script's {@code System.exit(n)} ends the process with {@code n}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Evaluate a JShell script and exit (1 on the first error).",
            "The script sees its arguments as the variable String[] args."})
final class RunCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int UNREADABLE = 2;
    static final String STDIN = "<stdin>";

    @Parameters(index = "0", paramLabel = "FILE", description = "the script, or - to read it from standard input")
    String file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "arguments for the script (options included)")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (file.equals("-")) {
            return evaluateStandardInput(false, args);
        }
        String source;
        try {
            source = Files.readString(Path.of(file));
        } catch (IOException e) {
            System.err.println("gpush run: cannot read " + file + ": " + e);
            return UNREADABLE;
        }
        return evaluate(file, source, args, false);
    }

    /** Reads standard input to its end and evaluates it as {@code <stdin>}, with no {@code args} variable. */
    static int evaluateStandardInput(boolean showValue) {
        return evaluateStandardInput(showValue, null);
    }

    private static int evaluateStandardInput(boolean showValue, List<String> args) {
        String source;
        try {
            source = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("gpush: cannot read standard input: " + e);
            return UNREADABLE;
        }
        return evaluate(STDIN, source, args, showValue);
    }

    /**
     * Evaluates {@code source} in a new engine on this process's standard streams and prints the first error; returns
     * 0, or {@link #FAILED} after an error. With {@code args}, {@code String[] args} is defined first; with
     * {@code showValue}, the value of the last snippet is printed as the shell prints it.
     */
    static int evaluate(String name, String source, List<String> args, boolean showValue) {
        try (var engine = new Engine()) {
            if (args != null) {
                engine.eval("args", "String[] args = " + arrayLiteral(args) + ";");
            }
            var evaluation = engine.eval(name, source);
            var failed = evaluation.failed();
            System.out.flush(); // the script's output comes before the error
            if (failed.isPresent()) {
                System.err.print(ErrorFormat.format(evaluation, failed.get()));
                return FAILED;
            }
            if (showValue) {
                if (evaluation.result() != null) {
                    System.out.println(evaluation.result().text());
                }
            }
            return 0;
        }
    }

    /** A Java array literal of {@code strings}, every character that Java would misread escaped. */
    static String arrayLiteral(List<String> strings) {
        return strings.stream().map(RunCommand::stringLiteral).collect(Collectors.joining(", ", "new String[]{", "}"));
    }

    private static String stringLiteral(String text) {
        var literal = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                literal.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7f) {
                literal.append("\\%03o".formatted(c)); // octal: javac decodes a \\u escape before it reads the string
            } else {
                literal.append((char) c);
            }
        });
        return literal.append('"').toString();
    }
}
