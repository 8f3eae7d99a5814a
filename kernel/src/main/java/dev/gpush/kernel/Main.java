package dev.gpush.kernel;

import dev.gpush.kernel.repl.Repl;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The gpush command line. The {@code gpush} launcher script starts it; {@code gpush test} stays in the script.
 *
 * <p>With no subcommand it opens the shell when standard input and output are a terminal, and otherwise runs its
 * standard input as one cell, printing the cell's value as the shell would ({@code echo 'randn(2, 3)' | gpush}).
 * {@code -c CODE} does the same with CODE. Both exit 1 on the first error, like {@code gpush run}, which prints no
 * values because it runs scripts. Subcommands of other parts plug into {@code subcommands} below.
 */
@Command(
        name = "gpush",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = {
            "A GPU shell for the JVM: Java in JShell over a PyTorch-style tensor and autograd library.",
            "",
            "With no command, gpush opens the interactive shell (/help there lists its commands). When its input is "
                + "not a terminal, it runs the input as one cell and prints the cell's value: "
                + "echo 'randn(2, 3)' | gpush"
        },
        subcommands = {RunCommand.class, BenchCommand.class, HelpCommand.class,
            dev.gpush.kernel.jupyter.KernelCommand.class, dev.gpush.kernel.jupyter.InstallKernelCommand.class,
            dev.gpush.kernel.jupyter.UninstallKernelCommand.class, dev.gpush.kernel.launch.LaunchCommand.class,
            DoctorCommand.class, SelfTestCommand.class},
        footer = {
            "",
            "  gpush test        run the whole test suite (handled by the launcher script)"
        })
public final class Main implements Callable<Integer> {

    @Option(names = "-c", paramLabel = "CODE", description = "Run CODE as one cell, print its value and exit.")
    String code;

    @Override
    public Integer call() throws IOException {
        if (code != null) {
            return RunCommand.evaluate("-c", code, null, true);
        }
        if (System.console() == null || !System.console().isTerminal()) {
            return RunCommand.evaluateStandardInput(true);
        }
        return Repl.run(VersionInfo.gpushVersion(), Main::device);
    }

    /** The device the shell's banner names: {@code cuda:0 NAME}, or {@code cpu (no CUDA: reason)}. */
    static String device() {
        String cuda = VersionInfo.cuda();
        Matcher available = Pattern.compile("available, \\d+ device\\(s\\), the first a (.*)").matcher(cuda);
        if (available.matches()) {
            return "cuda:0 " + available.group(1);
        }
        Matcher unavailable = Pattern.compile("(?:not available|unknown) \\((.*)\\)").matcher(cuda);
        return "cpu (no CUDA: " + (unavailable.matches() ? unavailable.group(1) : cuda) + ")";
    }

    static CommandLine commandLine() {
        var commandLine = new CommandLine(new Main()).setParameterExceptionHandler(Main::argumentError);
        // `gpush run FILE --epochs 3`: what follows the script is the script's, options included
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        return commandLine;
    }

    /**
     * A mistake in the arguments: the error, similar names, and where the usage is, rather than all of the usage.
     * Picocli suggests names that share letter pairs with the mistake; a swapped or missing letter ({@code rnu},
     * {@code rn}) is found by edit distance.
     */
    private static int argumentError(ParameterException e, String[] args) {
        var commandLine = e.getCommandLine();
        var spec = commandLine.getCommandSpec();
        var err = commandLine.getErr();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && !spec.subcommands().isEmpty()) {
            String typed = unmatched.getUnmatched().getFirst();
            err.println(spec.qualifiedName() + ": '" + typed + "' is not a command");
            var similar = spec.subcommands().keySet().stream()
                    .filter(name -> name.startsWith(typed) || editDistance(typed, name) <= 2).toList();
            if (!similar.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", similar) + "?");
            }
        } else {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
        }
        err.println("'" + spec.qualifiedName() + " --help' shows the usage.");
        return spec.exitCodeOnInvalidInput();
    }

    /** Levenshtein's distance: the fewest one-letter insertions, deletions and substitutions from a to b. */
    static int editDistance(String a, String b) {
        int[] row = java.util.stream.IntStream.rangeClosed(0, b.length()).toArray();
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int substitution = diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), substitution);
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    public static void main(String... args) {
        System.exit(commandLine().execute(args));
    }
}
