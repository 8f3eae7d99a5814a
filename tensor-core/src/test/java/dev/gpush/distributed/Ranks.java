package dev.gpush.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs {@code n} ranks as threads of this JVM, each with its own CPU process group over real loopback sockets. */
final class Ranks {
    private Ranks() {}

    interface Body<T> {
        T run(ProcessGroup group) throws Exception;
    }

    /** What one rank returned or threw. */
    record Outcome<T>(T value, Throwable error) {
        T get() {
            if (error != null) throw new AssertionError("the rank failed", error);
            return value;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> List<T> run(int n, Body<T> body) {
        List<T> values = new ArrayList<>();
        for (Outcome<T> o : outcomes(n, Duration.ofMinutes(2), body)) values.add(o.get());
        return values;
    }

    /** Every rank's outcome; groups are closed after the body (or aborted when it threw, as a crash would). */
    static <T> List<Outcome<T>> outcomes(int n, Duration timeout, Body<T> body) {
        return outcomes(n, n, timeout, body);
    }

    /** Starts only ranks {@code 0..started-1} of a group of {@code n}. */
    static <T> List<Outcome<T>> outcomes(int n, int started, Duration timeout, Body<T> body) {
        int port = freePort();
        ExecutorService pool = Executors.newFixedThreadPool(started);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < started; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    ProcessGroup g = ProcessGroups.create("cpu", new Rendezvous(rank, n, "127.0.0.1", port, timeout));
                    try {
                        T v = body.run(g);
                        g.close();
                        return v;
                    } catch (Throwable t) {
                        ((CpuProcessGroup) g).abort();
                        throw t;
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(new Outcome<>(f.get(), null));
                } catch (ExecutionException e) {
                    out.add(new Outcome<>(null, e.getCause()));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
