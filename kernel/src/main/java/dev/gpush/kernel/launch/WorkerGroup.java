package dev.gpush.kernel.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Worker processes started together and watched together: the part of {@code gpush launch} that a front end
 * ({@code %launch}) reuses. It knows nothing of picocli or the engine.
 *
 * <p>Rules:
 * <ul>
 *   <li>Each worker's stdout and stderr are read line by line on their own threads and handed to the
 *       {@link Sink} with the worker's rank, so lines never interleave mid-line; the last {@link #LAST_LINES}
 *       lines of each worker are kept for the failure report.</li>
 *   <li>{@link #await()} returns when every worker exited 0, or at the first worker that exits otherwise: then the
 *       others (and their child processes) get SIGTERM, and SIGKILL after {@link #GRACE_SECONDS}. Their output is
 *       drained before it returns, so the report comes after the last line.</li>
 *   <li>{@link #stop()} (Ctrl-C, SIGTERM to the launcher) stops them all the same way; it is safe from any thread,
 *       more than once.</li>
 * </ul>
 */
public final class WorkerGroup {
    public static final int LAST_LINES = 20;
    static final long GRACE_SECONDS = 5;

    /** Where workers' lines go. */
    @FunctionalInterface
    public interface Sink {
        void line(int rank, boolean stderr, String line);
    }

    /** One worker to start: its global rank, command and extra environment. */
    public record Spec(int rank, List<String> command, Map<String, String> environment) {}

    /**
     * How the group ended: exit code 0 and rank -1 when all succeeded, else the first failing worker's; and how each
     * worker ended, in rank order (a worker stopped because another failed shows the signal's exit code).
     */
    public record Result(int exitCode, int failedRank, List<String> lastLines, List<Ended> workers) {
        public boolean succeeded() { return exitCode == 0; }
    }

    /** One worker's end: its exit code and how long it ran. */
    public record Ended(int rank, int exitCode, double seconds) {}

    private record Worker(int rank, Process process, List<Thread> pumps, ArrayDeque<String> last, long started) {}

    private final List<Worker> workers = new ArrayList<>();

    private WorkerGroup() {}

    /** Starts every worker; if one cannot start, those started are stopped and the error is thrown. */
    public static WorkerGroup start(List<Spec> specs, Sink sink) {
        var group = new WorkerGroup();
        try {
            for (Spec spec : specs) group.startOne(spec, sink);
        } catch (IOException e) {
            group.stop();
            throw new UncheckedIOException("cannot start a worker: " + e.getMessage(), e);
        }
        return group;
    }

    private void startOne(Spec spec, Sink sink) throws IOException {
        var builder = new ProcessBuilder(spec.command());
        builder.environment().putAll(spec.environment());
        builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        long started = System.nanoTime();
        Process p = builder.start();
        var last = new ArrayDeque<String>();
        var pumps = List.of(pump(spec.rank(), p.getInputStream(), false, sink, last),
                pump(spec.rank(), p.getErrorStream(), true, sink, last));
        workers.add(new Worker(spec.rank(), p, pumps, last, started));
    }

    private static Thread pump(int rank, InputStream in, boolean stderr, Sink sink, ArrayDeque<String> last) {
        Thread t = new Thread(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (last) {
                        if (last.size() == LAST_LINES) last.removeFirst();
                        last.addLast(line);
                    }
                    sink.line(rank, stderr, line);
                }
            } catch (IOException e) {
                // the worker is gone; what it wrote has been passed on
            }
        }, "gpush-launch-rank" + rank + (stderr ? "-err" : "-out"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the group to end (see the class rules). */
    public Result await() throws InterruptedException {
        var exited = new LinkedBlockingQueue<Worker>();
        var ends = new java.util.concurrent.ConcurrentHashMap<Integer, Ended>();
        for (Worker w : workers)
            w.process().onExit().thenRun(() -> {
                ends.put(w.rank(), new Ended(w.rank(), w.process().exitValue(), (System.nanoTime() - w.started()) / 1e9));
                exited.add(w);
            });
        Worker failed = null;
        for (int done = 0; done < workers.size() && failed == null; done++) {
            Worker w = exited.take();
            if (w.process().exitValue() != 0) failed = w;
        }
        if (failed != null) stop();
        for (Worker w : workers) {
            for (Thread t : w.pumps()) t.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            w.process().waitFor(GRACE_SECONDS, TimeUnit.SECONDS); // so that its end is in the summary
        }
        List<Ended> summary = workers.stream().map(w -> ends.getOrDefault(w.rank(),
                new Ended(w.rank(), w.process().isAlive() ? -1 : w.process().exitValue(),
                        (System.nanoTime() - w.started()) / 1e9))).toList();
        if (failed == null) return new Result(0, -1, List.of(), summary);
        synchronized (failed.last()) {
            return new Result(failed.process().exitValue(), failed.rank(), List.copyOf(failed.last()), summary);
        }
    }

    /** SIGTERM to every live worker and its descendants, SIGKILL to those alive after the grace period. */
    public void stop() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Worker w : workers) {
            ProcessHandle h = w.process().toHandle();
            h.descendants().forEach(all::add);
            all.add(h);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // still alive after the grace period (or we were interrupted): killed below
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
