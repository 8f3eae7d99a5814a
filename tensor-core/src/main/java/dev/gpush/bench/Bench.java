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
import java.util.Objects;

/**
 * {@code gpush bench}: times the workloads of issue 2 (float32 matmul, the eager overhead of a 1-element add with
 * and without autograd, a 1M-element add and sum) on the CPU backend, optionally beside NumPy, and prints an
 * aligned table (and JSON with {@code --json}).
 *
 * <p>A plain harness, not JMH: the CLI stays one jar with no annotation processing or forked JVMs, and the NumPy
 * script must follow the same rules to be comparable, which is easier when the rules fit in one screen
 * ({@link Harness}). What JMH adds over it (forks, blackholes) matters for nanosecond kernels, not for ops of a few
 * hundred nanoseconds and up whose results escape into a sink array.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        if (rc != 0) System.exit(rc);
    }

    /** Parses {@code args}, runs, prints; returns the exit code (2 for bad arguments, 1 when the JSON can't be written). */
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
        try {
            run(o, out);
            return 0;
        } catch (IOException e) {
            err.println("gpush bench: cannot write " + o.json() + ": " + e);
            return 1;
        }
    }

    /** Runs the workloads of {@code o}, printing to standard output; returns gpush's results. */
    public static List<Result> run(Options o) throws IOException { return run(o, System.out); }

    public static List<Result> run(Options o, PrintStream out) throws IOException {
        int before = Parallel.threads();
        if (o.threads() > 0) Parallel.setThreads(o.threads());
        try {
            return measureAndReport(o, out);
        } finally {
            Parallel.setThreads(before); // a bench run from a notebook leaves the session as it found it
        }
    }

    private static List<Result> measureAndReport(Options o, PrintStream out) throws IOException {
        Options.Profile p = o.profile();
        Machine machine = Machine.describe();
        out.println("gpush bench, " + p.name().toLowerCase(Locale.ROOT) + " profile");
        machine.facts().forEach((k, v) -> out.printf(Locale.ROOT, "  %-8s %s%n", k, v));
        if (machine.busyElsewhere())
            out.println("note: something else is using the CPU; timings will be noisy, multi-threaded BLAS most of all");
        out.println();

        List<Workload> workloads = Workload.all(p);
        List<Result> gpush = new ArrayList<>();
        for (int i = 0; i < workloads.size(); i++) {
            Workload w = workloads.get(i);
            out.printf(Locale.ROOT, "[%d/%d] %s%n", i + 1, workloads.size(), w.name());
            double[] seconds = Harness.measure(w.setup().get(), p.warmupSeconds, p.runs, p.sampleSeconds);
            for (Workload.Metric m : w.metrics()) gpush.add(Result.of(w.name(), m, "gpush", seconds));
        }

        List<Result> numpy = new ArrayList<>();
        Map<String, String> numpyInfo = null;
        if (o.compareNumpy()) {
            out.println("[numpy] the same workloads in NumPy, " + machine.threads() + " BLAS threads");
            List<String> ids = workloads.stream().map(Workload::numpyId).filter(Objects::nonNull).toList();
            Numpy.Outcome r = Numpy.run(p, ids, machine.threads(), o.python());
            if (r.run() == null) {
                out.println(r.note());
            } else {
                numpyInfo = new LinkedHashMap<>(r.run().info());
                numpyInfo.put("executable", r.run().python());
                for (Workload w : workloads) {
                    double[] s = w.numpyId() == null ? null : r.run().seconds().get(w.numpyId());
                    if (s != null) for (Workload.Metric m : w.metrics()) numpy.add(Result.of(w.name(), m, "numpy", s));
                }
                out.println("  numpy " + numpyInfo.get("numpy") + " on Python " + numpyInfo.get("python") + " ("
                        + r.run().python() + "), BLAS " + numpyInfo.get("blas") + ": " + numpyInfo.get("blas_loaded"));
                if ("yes".equals(numpyInfo.get("reference_blas")))
                    out.println("note: this numpy runs on the reference (netlib) BLAS, which is not optimised: its matmul "
                            + "column says little; pass --python with a numpy on OpenBLAS or MKL");
            }
        }

        out.println();
        out.print(Report.table(gpush, numpy));
        List<Result> all = new ArrayList<>(gpush);
        all.addAll(numpy);
        if (o.json() != null) {
            Files.writeString(o.json(), Report.json(p.name().toLowerCase(Locale.ROOT), machine, numpyInfo, all));
            out.println("results written to " + o.json());
        }
        return gpush;
    }
}
