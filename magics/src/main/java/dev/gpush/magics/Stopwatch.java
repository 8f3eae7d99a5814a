package dev.gpush.magics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall time and the running thread's CPU time between {@link #start()} and {@link #stop()}, the GPU's queued work
 * included ({@link CudaSync} at both ends).
 *
 * <p>Note [user and sys]: the thread's total CPU time is exact (the JVM reads a per-thread clock), but its user time
 * comes from the kernel's scheduler ticks, 10 ms apart on Linux. So user is the tick count capped at the total, or
 * the whole total when no tick fell in the interval, and sys is the rest: exact in sum, coarse in the split.
 */
final class Stopwatch {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Seconds of user, sys and wall time. */
    record Times(double user, double sys, double wall) {
        double total() {
            return user + sys;
        }

        /** IPython's two lines: {@code CPU times: user .., sys: .., total: ..} and {@code Wall time: ..}. */
        String format() {
            return "CPU times: user " + TimeFormat.seconds(user) + ", sys: " + TimeFormat.seconds(sys)
                    + ", total: " + TimeFormat.seconds(total()) + "\nWall time: " + TimeFormat.seconds(wall) + "\n";
        }
    }

    private long wall;
    private long cpu;
    private long user;

    static Stopwatch start() throws Exception {
        CudaSync.synchronize(); // work queued before the timed code is not its time
        var watch = new Stopwatch();
        watch.cpu = cpuTime();
        watch.user = userTime();
        watch.wall = System.nanoTime();
        return watch;
    }

    Times stop() throws Exception {
        CudaSync.synchronize();
        long wallNs = System.nanoTime() - wall;
        long cpuNs = Math.max(0, cpuTime() - cpu);
        long userNs = Math.max(0, userTime() - user);
        long userPart = userNs == 0 ? cpuNs : Math.min(userNs, cpuNs); // Note [user and sys]
        return new Times(userPart / 1e9, (cpuNs - userPart) / 1e9, wallNs / 1e9);
    }

    private static long cpuTime() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    private static long userTime() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadUserTime() : 0;
    }
}
