package dev.gpush.kernel.launch;

import dev.gpush.magics.Magic;
import dev.gpush.magics.MagicContext;
import dev.gpush.magics.MagicException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %launch -n N [OPTIONS] FILE.jsh [ARGS]} and {@code %%launch -n N [OPTIONS]} (the cell is the script): runs
 * it in N worker processes as {@code gpush launch} does, streams each rank's lines prefixed with its rank, prints
 * each rank's exit code and time, and stops every rank when one fails or the cell is interrupted.
 *
 * <p>Options are {@code gpush launch}'s: {@code -n}/{@code --nproc-per-node}, {@code --nnodes},
 * {@code --node-rank}, {@code --master-addr}, {@code --master-port}. With one node and no port, a free port is taken.
 */
public final class LaunchMagic implements Magic {

    static final String USAGE = "usage: %launch -n N [--nnodes M --node-rank R --master-addr HOST --master-port PORT] "
            + "FILE.jsh [ARGS], or %%launch -n N [OPTIONS] with the script as the cell";

    @Override
    public String name() {
        return "launch";
    }

    @Override
    public String help() {
        return "run a script (or the cell, %%launch) in N processes with torchrun's variables: %launch -n 2 train.jsh";
    }

    @Override
    public Object run(MagicContext context, String args, String body) throws Exception {
        List<String> words = new ArrayList<>(List.of(args.isBlank() ? new String[0] : args.trim().split("\\s+")));
        int n = 1, nnodes = 1, nodeRank = 0, port = -1;
        String addr = "127.0.0.1";
        while (!words.isEmpty() && words.getFirst().startsWith("-")) {
            String option = words.removeFirst();
            if (words.isEmpty()) {
                throw new MagicException(option + " needs a value\n" + USAGE);
            }
            String value = words.removeFirst();
            switch (option.replace('_', '-')) {
                case "-n", "--nproc-per-node" -> n = number(option, value);
                case "--nnodes" -> nnodes = number(option, value);
                case "--node-rank" -> nodeRank = number(option, value);
                case "--master-port" -> port = number(option, value);
                case "--master-addr" -> addr = value;
                default -> throw new MagicException("unknown option " + option + "\n" + USAGE);
            }
        }
        Path script;
        if (body != null) {
            script = Files.createTempFile("gpush-launch-", ".jsh");
            Files.writeString(script, body);
            script.toFile().deleteOnExit();
        } else if (words.isEmpty()) {
            throw new MagicException("missing the script\n" + USAGE);
        } else {
            script = Path.of(words.removeFirst());
            if (!Files.isReadable(script)) {
                throw new MagicException("cannot read " + script);
            }
        }
        LaunchPlan plan;
        try {
            plan = new LaunchPlan(n, nnodes, nodeRank, addr,
                    port > 0 ? port : nnodes == 1 ? LaunchCommand.freePort() : 29500, 0);
        } catch (IllegalArgumentException e) {
            throw new MagicException(e.getMessage() + "\n" + USAGE);
        }
        return launch(context, plan, WorkerCommand.gpushRun(script, words));
    }

    private static WorkerGroup.Result launch(MagicContext context, LaunchPlan plan, List<String> command) {
        var specs = new ArrayList<WorkerGroup.Spec>();
        for (int local = 0; local < plan.nprocPerNode(); local++) {
            var environment = new java.util.HashMap<String, String>();
            context.magics().environment().applyTo(environment); // what %env set
            environment.putAll(plan.environment(local, 0));
            specs.add(new WorkerGroup.Spec(plan.rank(local), command, environment));
        }
        WorkerGroup group;
        try {
            group = WorkerGroup.start(specs, (rank, stderr, line) -> {
                String text = "[rank" + rank + "]: " + line + "\n";
                if (stderr) {
                    context.printError(text);
                } else {
                    context.print(text);
                }
            });
        } catch (UncheckedIOException e) {
            throw new MagicException(e.getMessage());
        }
        WorkerGroup.Result result;
        try {
            result = group.await();
        } catch (InterruptedException e) {
            group.stop();
            throw new MagicException("interrupted: every rank was stopped");
        }
        var summary = new StringBuilder();
        for (WorkerGroup.Ended end : result.workers()) {
            summary.append(String.format(Locale.ROOT, "rank %d: exit code %d, %.1f s%n", end.rank(), end.exitCode(),
                    end.seconds()));
        }
        context.print(summary.toString());
        if (!result.succeeded()) {
            throw new MagicException("rank " + result.failedRank() + " failed with exit code " + result.exitCode()
                    + "; the other ranks were stopped");
        }
        return null;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MagicException(option + " takes a number, got " + value + "\n" + USAGE);
        }
    }
}
