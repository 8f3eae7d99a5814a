package dev.gpush.bench;

import dev.gpush.io.Json;
import dev.gpush.tensor.Device;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A comparison column: numpy_bench.py or torch_bench.py (resources beside this class, fed to Python on stdin) runs
 * the same workloads with the same timing and thread count, and prints one JSON object a line.
 *
 * <p>Rules:
 * <ul>
 *   <li>The Python is {@code --python} when given, else the first of {@code $GPUSH_PYTHON}, {@code /usr/bin/python3}
 *       and {@code python3} on the PATH that imports the side's module.</li>
 *   <li>BLAS and OpenMP read their thread counts when the module is imported, so OPENBLAS_NUM_THREADS,
 *       OMP_NUM_THREADS and MKL_NUM_THREADS are set in the child's environment to the count gpush runs with (and
 *       torch_bench.py calls {@code torch.set_num_threads} with it too).</li>
 *   <li>The script's arguments are {@code DEVICE WARMUP_S RUNS SAMPLE_S MIN_WARMUP_SAMPLES ID...}. It prints
 *       {@code {"info": {...}}} once, then {@code {"id": ID, "samples": [...]}} or {@code {"id": ID, "error": TEXT}}
 *       per workload; any other line is kept for the error message.</li>
 *   <li>A workload whose kind ends in {@code _memory} runs in a Python process of its own: a process's peak
 *       resident size is for its whole life, so it must not include the workloads before it.</li>
 *   <li>A failed or timed-out run costs the column, never the gpush results: {@link #run} returns the reason.</li>
 * </ul>
 */
record PythonSide(String impl, String module, String script) {

    static final PythonSide NUMPY = new PythonSide("numpy", "numpy", "numpy_bench.py");
    static final PythonSide TORCH = new PythonSide("torch", "torch", "torch_bench.py");

    private static final long PROBE_SECONDS = 60, RUN_SECONDS = 1800;

    /** What a run gave: facts about it (versions, threads, device) and samples or errors by workload id. */
    record Run(String python, Map<String, String> info, Map<String, double[]> samples, Map<String, String> errors) {}

    /** The outcome: a run, or why there is none. */
    record Outcome(Run run, String note) {}

    /** The Python to use: {@code given} if it imports the module, else the first that does; null when none. */
    String find(String given) {
        if (given != null) return imports(given) ? given : null;
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("GPUSH_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String c : candidates) if (imports(c)) return c;
        return null;
    }

    /** Why no Python was found, for {@code given} (or the search when null). */
    String notFound(String given) {
        return given != null ? given + " cannot import " + module
                : "no Python that can import " + module + " (tried $GPUSH_PYTHON, /usr/bin/python3, python3); install "
                  + module + " or pass --python PATH";
    }

    /** Runs the ids in {@code python}; {@code progress} hears each id as its result arrives. */
    Outcome run(String python, Device device, Profile p, List<String> ids, int threads, Consumer<String> progress) {
        Run all = new Run(python, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        List<String> shared = ids.stream().filter(id -> !ownProcess(id)).toList();
        List<List<String>> batches = new ArrayList<>();
        if (!shared.isEmpty()) batches.add(shared);
        ids.stream().filter(PythonSide::ownProcess).forEach(id -> batches.add(List.of(id)));
        for (List<String> batch : batches) {
            String failure = runOnce(python, device, p, batch, threads, all, progress);
            if (failure != null) return new Outcome(null, impl + ": " + failure);
        }
        return new Outcome(all, null);
    }

    private static boolean ownProcess(String id) { return id.split(":")[0].endsWith("_memory"); }

    /** One Python process over {@code ids}, adding to {@code into}; returns why it failed, or null. */
    private String runOnce(String python, Device device, Profile p, List<String> ids, int threads, Run into,
                           Consumer<String> progress) {
        List<String> cmd = new ArrayList<>(List.of(python, "-", device.isCuda() ? "cuda" : "cpu",
                Double.toString(p.warmupSeconds), Integer.toString(p.runs), Double.toString(p.sampleSeconds),
                Integer.toString(Harness.MIN_WARMUP_SAMPLES)));
        cmd.addAll(ids);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"))
            pb.environment().put(v, Integer.toString(threads));
        StringBuilder other = new StringBuilder();
        AtomicBoolean timedOut = new AtomicBoolean();
        try {
            Process proc = pb.start();
            CompletableFuture.runAsync(() -> {
                if (proc.isAlive()) {
                    timedOut.set(true);
                    proc.descendants().forEach(ProcessHandle::destroyForcibly);
                    proc.destroyForcibly();
                }
            }, CompletableFuture.delayedExecutor(RUN_SECONDS, TimeUnit.SECONDS));
            try (OutputStream in = proc.getOutputStream(); InputStream s = openScript()) {
                s.transferTo(in);
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; )
                    if (!record(line, into, progress)) other.append(line).append('\n');
            }
            int rc = proc.waitFor();
            if (timedOut.get()) return python + " ran past " + RUN_SECONDS + " s and was stopped";
            if (rc != 0) return python + " exited with " + rc + ":\n" + other.toString().strip();
        } catch (IOException | RuntimeException e) {
            return "running " + python + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Adds one line's record to {@code into}; false when the line is not one. */
    @SuppressWarnings("unchecked")
    private static boolean record(String line, Run into, Consumer<String> progress) {
        if (!line.startsWith("{")) return false;
        Object v;
        try {
            v = Json.parse(line);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!(v instanceof Map<?, ?> m)) return false;
        if (m.get("info") instanceof Map<?, ?> info) {
            info.forEach((k, x) -> into.info().put(String.valueOf(k), String.valueOf(x)));
            return true;
        }
        if (!(m.get("id") instanceof String id)) return false;
        if (m.get("samples") instanceof List<?> l) {
            into.samples().put(id, ((List<Object>) l).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray());
        } else {
            into.errors().put(id, String.valueOf(m.get("error")));
        }
        progress.accept(id);
        return true;
    }

    /** The shared harness (bench_harness.py), then the script: Python reads both from standard input. */
    private InputStream openScript() throws IOException {
        return new java.io.SequenceInputStream(resource("bench_harness.py"), resource(script));
    }

    private static InputStream resource(String name) throws IOException {
        InputStream s = PythonSide.class.getResourceAsStream(name);
        if (s == null) throw new IOException("resource dev/gpush/bench/" + name + " is missing from the class path");
        return s;
    }

    private boolean imports(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + module)
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
