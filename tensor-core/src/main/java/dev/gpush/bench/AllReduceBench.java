package dev.gpush.bench;

import dev.gpush.distributed.Dist;
import dev.gpush.distributed.ProcessGroup;
import dev.gpush.distributed.ReduceOp;
import dev.gpush.distributed.Work;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * All-reduce bandwidth of a process group, as NCCL's {@code all_reduce_perf} (nccl-tests) reports it. Run it on
 * every rank: {@code gpush launch --nproc-per-node N examples/allreduce_bench.jsh [--backend cpu|nccl|auto]
 * [--min-mb 1] [--max-mb 256] [--warmup 5] [--iters 20]}; rank 0 prints the table.
 *
 * <p>Rules (nccl-tests' own, so the figures compare):
 * <ul>
 *   <li>Sizes double from {@code --min-mb} to {@code --max-mb} (MB = 2^20 bytes), float32, in place, SUM.</li>
 *   <li>Each size runs {@code warmup} all-reduces, a barrier, then {@code iters} timed ones; on NCCL they are
 *       queued back to back and the time ends when the last is done, so launch costs overlap as in nccl-tests.
 *       A rank's time per op is its elapsed time / iters; the reported time is the slowest rank's (nccl-tests
 *       averages ranks; the slowest is what a training step waits for).</li>
 *   <li>algbw = bytes / time; busbw = algbw * 2(n-1)/n, the bandwidth each rank's links carry in a ring
 *       all-reduce, comparable across world sizes.</li>
 *   <li>The timed buffers hold zeros (a sum of zeros neither overflows nor slows down); each size is then
 *       checked once with rank r contributing r+1: every element must equal n(n+1)/2.</li>
 * </ul>
 */
public final class AllReduceBench {
    private AllReduceBench() {}

    /** One size's figures. */
    public record Row(long bytes, double seconds, double algbw, double busbw, boolean correct) {}

    public static void main(String[] args) {
        String backend = option(args, "--backend", "auto");
        long min = Long.parseLong(option(args, "--min-mb", "1")) << 20, max = Long.parseLong(option(args, "--max-mb", "256")) << 20;
        int warmup = Integer.parseInt(option(args, "--warmup", "5")), iters = Integer.parseInt(option(args, "--iters", "20"));
        ProcessGroup g = Dist.initProcessGroup(backend);
        try {
            Device device = g.backend().equals("nccl") ? Device.cuda(localRank()) : Device.CPU;
            if (g.rank() == 0)
                System.out.printf(Locale.ROOT, "all-reduce on the %s group: %d ranks, %s, float32 sum in place, "
                        + "%d warm-up + %d timed per size%n", g.backend(), g.size(), device, warmup, iters);
            List<Row> rows = run(g, device, min, max, warmup, iters);
            if (g.rank() == 0) print(rows, System.out);
        } finally {
            Dist.destroyProcessGroup();
        }
    }

    /** Every size from {@code minBytes} to {@code maxBytes}, doubling; the same rows on every rank. */
    public static List<Row> run(ProcessGroup g, Device device, long minBytes, long maxBytes, int warmup, int iters) {
        List<Row> rows = new ArrayList<>();
        for (long bytes = minBytes; bytes <= maxBytes; bytes *= 2) rows.add(measure(g, device, bytes, warmup, iters));
        return rows;
    }

    private static Row measure(ProcessGroup g, Device device, long bytes, int warmup, int iters) {
        int n = Math.toIntExact(bytes / DType.FLOAT32.itemSize());
        try (Tensor t = Tensor.zeros(new int[]{n}, DType.FLOAT32, device)) {
            for (int i = 0; i < warmup; i++) g.allReduceAsync(t, ReduceOp.SUM).await();
            g.barrier();
            long t0 = System.nanoTime();
            List<Work> works = new ArrayList<>(iters);
            for (int i = 0; i < iters; i++) works.add(g.allReduceAsync(t, ReduceOp.SUM));
            for (Work w : works) w.await();
            double mine = (System.nanoTime() - t0) * 1e-9 / iters;
            double seconds;
            try (Tensor slowest = Tensor.of(new double[]{mine}).to(device)) {
                g.allReduce(slowest, ReduceOp.MAX);
                seconds = slowest.item();
            }
            double algbw = bytes / seconds, ranks = g.size();
            return new Row(bytes, seconds, algbw, algbw * 2 * (ranks - 1) / ranks, check(g, t));
        }
    }

    private static boolean check(ProcessGroup g, Tensor t) {
        t.fill_(g.rank() + 1);
        g.allReduce(t, ReduceOp.SUM);
        double expected = g.size() * (g.size() + 1) / 2.0;
        try (Tensor error = t.sub(expected).abs().max()) {
            return error.item() == 0;
        }
    }

    static void print(List<Row> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%12s %12s %12s %12s %12s %8s%n", "size (B)", "count", "time (us)", "algbw (GB/s)",
                "busbw (GB/s)", "correct");
        for (Row r : rows)
            out.printf(Locale.ROOT, "%12d %12d %12.1f %12.3f %12.3f %8s%n", r.bytes(), r.bytes() / 4, r.seconds() * 1e6,
                    r.algbw() / 1e9, r.busbw() / 1e9, r.correct() ? "yes" : "NO");
    }

    private static int localRank() {
        String v = System.getenv("LOCAL_RANK");
        return v == null || v.isBlank() ? Dist.getRank() : Integer.parseInt(v.trim());
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return fallback;
    }
}
