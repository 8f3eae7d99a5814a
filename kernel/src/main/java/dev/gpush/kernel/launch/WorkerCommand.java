package dev.gpush.kernel.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs a script in a fresh worker JVM: this JVM's {@code java}, its JVM options (the launcher
 * script's {@code -Xss4m}, native access, ...; never a debugger agent, whose port would clash), its class path,
 * and {@code dev.gpush.kernel.Main run SCRIPT ARGS}. A worker so runs the same gpush as the launcher, built or
 * under test.
 */
public final class WorkerCommand {
    private WorkerCommand() {}

    static final String MAIN = "dev.gpush.kernel.Main";

    public static List<String> gpushRun(Path script, List<String> args) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")) command.add(option);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN);
        command.add("run");
        command.add(script.toString());
        command.addAll(args);
        return command;
    }
}
