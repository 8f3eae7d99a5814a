package dev.gpush.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The NumPy column: runs numpy_bench.py (a resource beside this class, fed to Python on stdin) with the same
 * workloads, timing and thread count, and reads back seconds per op.
 *
 * <p>Rules:
 * <ul>
 *   <li>The Python is {@code --python} when given, else the first of {@code $GPUSH_PYTHON}, {@code /usr/bin/python3}
 *       and {@code python3} on the PATH that imports numpy. None: the bench says so and goes on without the column.</li>
 *   <li>BLAS reads its thread count when numpy is imported, so OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and
 *       MKL_NUM_THREADS are set in the child's environment, to the count gpush runs with.</li>
 *   <li>A failed or timed-out run costs the column, never the gpush results: {@link #run} returns the reason.</li>
 * </ul>
 */
final class Numpy {
    private Numpy() {}

    private static final long PROBE_SECONDS = 30, RUN_SECONDS = 900;

    /** What the NumPy run gave: facts about it (numpy, blas, python versions) and seconds per op by workload id. */
    record Run(String python, Map<String, String> info, Map<String, double[]> seconds) {}

    /** The outcome: a run, or why there is none. */
    record Outcome(Run run, String note) {}

    static Outcome run(Options.Profile p, List<String> workloadIds, int threads, String python) {
        String exe = python != null ? (importsNumpy(python) ? python : null) : find();
        if (exe == null)
            return new Outcome(null, python != null
                    ? "--compare-numpy: " + python + " cannot import numpy; the NumPy column is left out"
                    : "--compare-numpy: no Python with numpy found (tried $GPUSH_PYTHON, /usr/bin/python3, python3); "
                      + "install numpy or pass --python PATH. The NumPy column is left out");
        List<String> cmd = new ArrayList<>(List.of(exe, "-", Double.toString(p.warmupSeconds),
                Integer.toString(p.runs), Double.toString(p.sampleSeconds)));
        cmd.addAll(workloadIds);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"))
            pb.environment().put(v, Integer.toString(threads));
        Map<String, String> info = new LinkedHashMap<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        StringBuilder other = new StringBuilder();
        try {
            Process proc = pb.start();
            try (OutputStream in = proc.getOutputStream(); InputStream script = script()) {
                script.transferTo(in);
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    String[] f = line.split("\t");
                    if (f.length == 3 && f[0].equals("INFO")) info.put(f[1], f[2]);
                    else if (f.length == 3 && f[0].equals("RESULT"))
                        seconds.put(f[1], Arrays.stream(f[2].split(",")).mapToDouble(Double::parseDouble).toArray());
                    else other.append(line).append('\n');
                }
            }
            if (!proc.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                return new Outcome(null, "--compare-numpy: " + exe + " ran past " + RUN_SECONDS + " s; left out");
            }
            if (proc.exitValue() != 0)
                return new Outcome(null, "--compare-numpy: " + exe + " exited with " + proc.exitValue() + ":\n" + other);
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, "--compare-numpy: running " + exe + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "--compare-numpy: interrupted");
        }
        return new Outcome(new Run(exe, info, seconds), null);
    }

    private static InputStream script() throws IOException {
        InputStream s = Numpy.class.getResourceAsStream("numpy_bench.py");
        if (s == null) throw new IOException("resource dev/gpush/bench/numpy_bench.py is missing from the class path");
        return s;
    }

    private static String find() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("GPUSH_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String c : candidates) if (importsNumpy(c)) return c;
        return null;
    }

    private static boolean importsNumpy(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
