package dev.gpush.kernel.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
import dev.gpush.distributed.Slurm;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gpush launch [--nproc-per-node N] ... SCRIPT.jsh [ARGS]}: torchrun for gpush. Starts N worker JVMs on
 * this node, each running {@code gpush run SCRIPT} with torchrun's variables ({@link LaunchPlan}), prefixes their
 * lines with {@code [rankR]: }, and ends as soon as one fails: the others are stopped, the failing rank is named
 * with its exit code and last lines, and the launcher exits with that code. Ctrl-C or SIGTERM stops them all.
 * Options take torchrun's spellings with dashes or underscores; everything after the script goes to the script.
 * In a Slurm job ({@code srun}, one launcher per node), the node count, node rank and rank 0's host default to
 * the job's ({@link Slurm}).
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Run a script in N worker processes with torchrun's environment (RANK, WORLD_SIZE, ...).")
public final class LaunchCommand implements Callable<Integer> {
    static final int USAGE = 2;

    /**
     * Takes the script and every argument after it as they are, options included: they belong to the script.
     * (A subcommand cannot keep picocli's stopAtPositional: the parent's parser settings replace it.)
     */
    static final class ScriptAndArgs implements IParameterConsumer {
        @Override public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec spec) {
            List<String> taken = argSpec.getValue();
            while (!args.isEmpty()) taken.add(args.pop());
        }
    }

    @Option(names = {"--nproc-per-node", "--nproc_per_node"}, paramLabel = "N", defaultValue = "1",
            description = "workers on this node (default ${DEFAULT-VALUE})")
    int nprocPerNode;

    @Option(names = "--nnodes", paramLabel = "M", description = "nodes in the job (default 1; in a Slurm job, SLURM_NNODES)")
    Integer nnodes;

    @Option(names = {"--node-rank", "--node_rank"}, paramLabel = "R",
            description = "this node's rank (default 0; in a Slurm job, SLURM_NODEID)")
    Integer nodeRank;

    @Option(names = {"--master-addr", "--master_addr"}, paramLabel = "HOST",
            description = "the host of rank 0 (default 127.0.0.1; in a Slurm job, the first host of SLURM_JOB_NODELIST)")
    String masterAddr;

    @Option(names = {"--master-port", "--master_port"}, paramLabel = "PORT",
            description = "rank 0's rendezvous port (default 29500; in a Slurm job, 10000 + SLURM_JOB_ID % 20000)")
    Integer masterPort;

    @Option(names = "--standalone", description = "one node, on 127.0.0.1 and a free port")
    boolean standalone;

    @Option(names = {"--max-restarts", "--max_restarts"}, paramLabel = "K", defaultValue = "0",
            description = "restart the whole group up to K times after a failure (default ${DEFAULT-VALUE})")
    int maxRestarts;

    @Parameters(paramLabel = "SCRIPT [ARGS]", arity = "1..*", parameterConsumer = ScriptAndArgs.class,
            description = "the JShell script each worker runs, and its arguments")
    List<String> scriptAndArgs = new ArrayList<>();

    @Override public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        if (scriptAndArgs.isEmpty()) {
            err.println("gpush launch: missing the script to run (gpush launch [OPTIONS] SCRIPT.jsh [ARGS])");
            return USAGE;
        }
        Path script = Path.of(scriptAndArgs.getFirst());
        List<String> args = scriptAndArgs.subList(1, scriptAndArgs.size());
        if (!Files.isReadable(script)) {
            err.println("gpush launch: cannot read " + script);
            return USAGE;
        }
        LaunchPlan plan;
        try {
            plan = standalone
                    ? new LaunchPlan(nprocPerNode, 1, 0, "127.0.0.1", freePort(), maxRestarts)
                    : plan(Slurm.of(System.getenv()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("gpush launch: " + e.getMessage());
            return USAGE;
        }
        for (int attempt = 0; ; attempt++) {
            WorkerGroup.Result result = runOnce(plan, attempt, WorkerCommand.gpushRun(script, args));
            if (result.succeeded()) return 0;
            report(err, result, plan);
            if (attempt == plan.maxRestarts()) return result.exitCode();
            err.printf("gpush launch: restarting the group (%d of %d)%n", attempt + 1, plan.maxRestarts());
        }
    }

    /** The options given, else what the Slurm job says (one launcher per node), else torchrun's defaults. */
    LaunchPlan plan(Optional<Slurm> slurm) {
        return new LaunchPlan(nprocPerNode,
                nnodes != null ? nnodes : slurm.map(Slurm::nnodes).orElse(1),
                nodeRank != null ? nodeRank : slurm.map(Slurm::nodeId).orElse(0),
                masterAddr != null ? masterAddr : slurm.map(Slurm::firstHost).orElse("127.0.0.1"),
                masterPort != null ? masterPort : slurm.map(Slurm::masterPort).orElse(29500),
                maxRestarts);
    }

    private WorkerGroup.Result runOnce(LaunchPlan plan, int attempt, List<String> command) throws InterruptedException {
        List<WorkerGroup.Spec> specs = new ArrayList<>();
        for (int local = 0; local < plan.nprocPerNode(); local++)
            specs.add(new WorkerGroup.Spec(plan.rank(local), command, plan.environment(local, attempt)));
        WorkerGroup group = WorkerGroup.start(specs, LaunchCommand::print);
        Thread stopper = new Thread(group::stop, "gpush-launch-stop");
        Runtime.getRuntime().addShutdownHook(stopper); // Ctrl-C, SIGTERM: take the workers down too
        try {
            return group.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private static void print(int rank, boolean stderr, String line) {
        PrintStream out = stderr ? System.err : System.out;
        synchronized (out) {
            out.println("[rank" + rank + "]: " + line);
        }
    }

    private static void report(PrintStream err, WorkerGroup.Result result, LaunchPlan plan) {
        err.printf("gpush launch: rank %d (of %d) failed with exit code %d%s%n", result.failedRank(), plan.worldSize(),
                result.exitCode(), result.exitCode() > 128 ? " (signal " + (result.exitCode() - 128) + ")" : "");
        if (!result.lastLines().isEmpty()) {
            err.println("gpush launch: the last lines of rank " + result.failedRank() + ":");
            for (String line : result.lastLines()) err.println("  " + line);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for --standalone: " + e.getMessage(), e);
        }
    }
}
