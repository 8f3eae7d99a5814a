package dev.gpush.kernel.launch;

import dev.gpush.kernel.Main;
import picocli.CommandLine;

/** The gpush CLI with {@code launch} registered, whether or not Main registers it yet. */
public final class LaunchMain {
    public static void main(String... args) {
        var cli = new CommandLine(new Main());
        if (!cli.getSubcommands().containsKey("launch")) cli.addSubcommand("launch", new LaunchCommand());
        System.exit(cli.execute(args));
    }
}
