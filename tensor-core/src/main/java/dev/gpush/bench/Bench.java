package dev.gpush.bench;

import dev.gpush.cpu.Parallel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code gpush bench}: the workloads of issue 11 (eager overhead, matmul, memory-bound ops, a ResNet block, a
 * Transformer training step and its peak memory, DataLoader throughput) on the CPU or CUDA, optionally beside
 * PyTorch and NumPy run by the same rules, printed as one aligned table (and JSON with {@code --json}).
 *
 * <p>Rules:
 * <ul>
 *   <li>Bad arguments print the usage and exit 2. {@code --device cuda} where CUDA is unavailable, and
 *       {@code --compare-pytorch} where no Python imports torch, stop before anything is measured, with the reason,
 *       and exit 1. A NumPy that is missing only leaves its column out, with a note.</li>
 *   <li>gpush runs first, every workload in this JVM; then each comparison side in its own Python
 *       ({@link PythonSide}), with the same thread count, sizes and timing rules ({@link Harness}).</li>
 *   <li>A workload one side cannot run shows n/a there, and the notes under the table say why; it never stops
 *       the other rows.</li>
 *   <li>{@code --threads} holds for the run and is restored after it, so a bench run from a notebook leaves the
 *       session as it found it.</li>
 * </ul>
 *
 * <p>A plain harness, not JMH: the CLI stays one jar with no annotation processing or forked JVMs, and the Python
 * scripts must follow the same rules to be comparable, which is easier when the rules fit in one screen
 * ({@link Harness}). What JMH adds over it (forks, blackholes) matters for nanosecond kernels, not for ops of a few
 * hundred nanoseconds and up whose results escape into a {@link Sink}; docs/benchmarks.md says more.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        if (rc != 0) System.exit(rc);
    }

    /** Parses {@code args}, runs, prints; returns the exit code (2 for bad arguments, 1 when it cannot run or write). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(Options.USAGE);
            return 0;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("gpush bench: " + e.getMessage());
            err.print(Options.USAGE);
            return 2;
        }
        if (o.device().isCuda()) {
            String why = Gpu.unavailableReason();
            if (why != null) {
                err.println("gpush bench: CUDA is not available: " + why);
                return 1;
            }
        }
        String torchPython = null;
        if (o.compareTorch()) {
            torchPython = PythonSide.TORCH.find(o.python());
            if (torchPython == null) {
                err.println("gpush bench: --compare-pytorch: " + PythonSide.TORCH.notFound(o.python()));
                return 1;
            }
        }
        int before = Parallel.threads();
        if (o.threads() > 0) Parallel.setThreads(o.threads());
        try {
            run(o, torchPython, "gpush bench " + String.join(" ", args), out);
            return 0;
        } catch (IOException e) {
            err.println("gpush bench: cannot write " + o.json() + ": " + e);
            return 1;
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void run(Options o, String torchPython, String command, PrintStream out) throws IOException {
        Profile p = o.profile();
        Machine machine = Machine.describe(o.device().isCuda());
        out.println(command.strip() + ": " + p.lowerName() + " profile on " + (o.device().isCuda() ? "cuda" : "cpu"));
        machine.facts().forEach((k, v) -> out.printf(Locale.ROOT, "  %-8s %s%n", k, v));
        if (machine.busyElsewhere())
            out.println("note: something else is using the CPU; timings will be noisy, multi-threaded BLAS most of all");
        out.println();

        List<String> notes = new ArrayList<>();
        List<Workload> workloads = Workload.all(p, o.device(), notes);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < workloads.size(); i++) {
            Workload w = workloads.get(i);
            out.printf(Locale.ROOT, "[%d/%d] %s%n", i + 1, workloads.size(), w.name());
            try {
                double[] samples = w.measure().samples(p);
                for (Workload.Metric m : w.metrics()) results.add(Result.of(w.name(), m, Report.GPUSH, samples));
            } catch (RuntimeException | OutOfMemoryError e) { // one row lost, not the run
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                out.println("  gpush cannot run it: " + why);
                notes.add("gpush: " + w.name() + ": " + why);
            }
        }

        Map<String, Map<String, String>> sides = new LinkedHashMap<>();
        if (o.compareTorch())
            compare(PythonSide.TORCH, torchPython, Workload::torchId, o, p, machine, workloads, results, sides, notes, out);
        if (o.compareNumpy()) {
            String python = PythonSide.NUMPY.find(o.python());
            if (o.device().isCuda()) notes.add("--compare-numpy: NumPy runs on the CPU only; no NumPy column on cuda");
            else if (python == null) {
                String note = "--compare-numpy: " + PythonSide.NUMPY.notFound(o.python()) + "; the NumPy column is left out";
                out.println(note);
                notes.add(note);
            } else compare(PythonSide.NUMPY, python, Workload::numpyId, o, p, machine, workloads, results, sides, notes, out);
            Map<String, String> numpy = sides.get("numpy");
            if (numpy != null && "yes".equals(numpy.get("reference_blas")))
                notes.add("this numpy runs on the reference (netlib) BLAS, which is not optimised: its matmul column "
                        + "says little; pass --python with a numpy on OpenBLAS or MKL");
        }

        out.println();
        out.print(Report.table(workloads, results, List.copyOf(sides.keySet())));
        if (!notes.isEmpty()) {
            out.println("notes:");
            notes.forEach(n -> out.println("  - " + n));
        }
        if (o.json() != null) {
            Files.writeString(o.json(), Report.json(p.lowerName(), o.device().isCuda() ? "cuda" : "cpu", command, machine,
                    sides, notes, results));
            out.println("results written to " + o.json());
        }
    }

    /** Runs one comparison side over the workloads it has an id for, adding its results, facts and notes. */
    private static void compare(PythonSide side, String python, Function<Workload, String> idOf, Options o, Profile p,
                                Machine machine, List<Workload> workloads, List<Result> results,
                                Map<String, Map<String, String>> sides, List<String> notes, PrintStream out) {
        Map<String, Workload> byId = new LinkedHashMap<>();
        for (Workload w : workloads) if (idOf.apply(w) != null) byId.put(idOf.apply(w), w);
        out.println("[" + side.impl() + "] the same workloads in " + python + ", " + machine.threads() + " threads");
        int[] done = {0};
        PythonSide.Outcome r = side.run(python, o.device(), p, List.copyOf(byId.keySet()), machine.threads(),
                id -> out.printf(Locale.ROOT, "[%s %d/%d] %s%n", side.impl(), ++done[0], byId.size(),
                        byId.containsKey(id) ? byId.get(id).name() : id));
        if (r.run() == null) {
            out.println(r.note());
            notes.add(r.note() + "; the " + side.impl() + " column is left out");
            return;
        }
        Map<String, String> info = new LinkedHashMap<>(r.run().info());
        info.put("executable", python);
        sides.put(side.impl(), info);
        byId.forEach((id, w) -> {
            double[] s = r.run().samples().get(id);
            if (s != null) for (Workload.Metric m : w.metrics()) results.add(Result.of(w.name(), m, side.impl(), s));
            String error = r.run().errors().get(id);
            if (error != null) notes.add(side.impl() + ": " + w.name() + ": " + error);
        });
        out.println("  " + side.impl() + " " + info.getOrDefault(side.module(), "?") + " on Python "
                + info.getOrDefault("python", "?") + " (" + python + ")");
    }
}
