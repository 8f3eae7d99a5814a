package dev.gpush.kernel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The gpush command line. The {@code gpush} launcher script starts it; {@code gpush test} stays in the script. */
@Command(
        name = "gpush",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "A GPU shell for the JVM: Java in JShell over a PyTorch-style tensor and autograd library.",
        subcommands = {RunCommand.class, BenchCommand.class},
        footer = {
            "",
            "  gpush test        run the whole test suite (handled by the launcher script)",
            "",
            "The interactive REPL comes in a later release; for now use `gpush run`."
        })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String... args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
