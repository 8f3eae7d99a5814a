package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Every collective of a group, on tensors of {@code device}, against values computed by hand; throws an
 * AssertionError naming the first one that is wrong. The same checks run on the CPU group (here, to prove the
 * checks) and on the NCCL group (GPU tests, in-process and in a child process), so both backends answer alike.
 */
final class CollectiveChecks {
    private CollectiveChecks() {}

    /** Rank r's element i: small integers, exact in every dtype (float16 and bfloat16 included). */
    static double value(int rank, int i) { return (rank + 1) * (i % 5) + rank; }

    static Tensor filled(int rank, int n, DType dtype, Device device) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = value(rank, i);
        return Tensor.of(v).to(device, dtype);
    }

    static void run(ProcessGroup g, Device device) {
        int size = g.size(), rank = g.rank();
        for (DType d : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT32, DType.INT64})
            for (int n : new int[]{1, 7, 1001}) {
                Tensor t = filled(rank, n, d, device);
                g.allReduce(t, ReduceOp.SUM);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) for (int r = 0; r < size; r++) expected[i] += value(r, i);
                assertArrayEquals(expected, t.toDoubleArray(), "allReduce SUM " + d + " n=" + n);
            }
        reductions(g, device);
        nonContiguous(g, device);

        Tensor b = filled(rank, 9, DType.FLOAT32, device);
        g.broadcast(b, size - 1);
        assertArrayEquals(filled(size - 1, 9, DType.FLOAT32, Device.CPU).toDoubleArray(), b.toDoubleArray(), "broadcast");

        List<Tensor> gathered = new ArrayList<>();
        for (int r = 0; r < size; r++) gathered.add(Tensor.zeros(new int[]{2, 3}, DType.INT64, device));
        g.allGather(gathered, filled(rank, 6, DType.INT64, device).view(2, 3));
        for (int r = 0; r < size; r++)
            assertArrayEquals(filled(r, 6, DType.INT64, Device.CPU).toDoubleArray(), gathered.get(r).toDoubleArray(),
                    "allGather from rank " + r);

        List<Tensor> in = new ArrayList<>();
        for (int r = 0; r < size; r++) in.add(filled(rank, 4, DType.FLOAT64, device).add(10 * r));
        Tensor out = Tensor.zeros(new int[]{4}, DType.FLOAT64, device);
        g.reduceScatter(out, in, ReduceOp.SUM);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) for (int r = 0; r < size; r++) expected[i] += value(r, i) + 10 * rank;
        assertArrayEquals(expected, out.toDoubleArray(), "reduceScatter");

        g.barrier();
        Tensor a = filled(rank, 5, DType.FLOAT32, device);
        Work w = g.allReduceAsync(a, ReduceOp.MAX);
        w.await();
        assertTrue(w.isCompleted(), "an awaited handle is complete");
        assertArrayEquals(filled(size - 1, 5, DType.FLOAT32, Device.CPU).toDoubleArray(), a.toDoubleArray(), "async MAX");
        g.barrierAsync().await();

        if (size > 1 && rank < 2) pointToPoint(g, device);
    }

    private static void reductions(ProcessGroup g, Device device) {
        int size = g.size(), rank = g.rank();
        double[] max = {size, -1, 10 * (size - 1)}, min = {1, -size, 0}, avg = new double[3];
        double[] product = {1, 1, 0};   // rank 0 contributes the 0
        for (int r = 0; r < size; r++) {
            product[0] *= r + 1;
            product[1] *= -(r + 1);
            avg[0] += (r + 1.0) / size;
            avg[1] -= (r + 1.0) / size;
            avg[2] += 10.0 * r / size;
        }
        ReduceOp[] ops = {ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PRODUCT, ReduceOp.AVG};
        double[][] want = {max, min, product, avg};
        for (int k = 0; k < ops.length; k++) {
            Tensor t = Tensor.of(new double[]{rank + 1, -(rank + 1), 10 * rank}).to(device);
            g.allReduce(t, ops[k]);
            assertArrayEquals(want[k], t.toDoubleArray(), 1e-12, "allReduce " + ops[k]);
        }
        Tensor ints = Tensor.of(new long[]{rank * 3L + 1, 7}).to(device);
        g.allReduce(ints, ReduceOp.AVG);
        long sum = 0;
        for (int r = 0; r < size; r++) sum += r * 3L + 1;
        assertArrayEquals(new double[]{sum / size, 7}, ints.toDoubleArray(), "AVG of int64 truncates");
        Tensor flags = Tensor.of(new boolean[]{rank == 0, true, false}).to(device);
        g.allReduce(flags, ReduceOp.SUM);
        assertArrayEquals(new boolean[]{true, true, false}, flags.toBooleanArray(), "bool SUM is or");
    }

    /** A transposed view: reduced through a contiguous copy and written back into the view. */
    private static void nonContiguous(ProcessGroup g, Device device) {
        int size = g.size(), rank = g.rank();
        Tensor base = filled(rank, 12, DType.FLOAT32, device).view(3, 4);
        Tensor view = base.transpose(0, 1);
        g.allReduce(view, ReduceOp.SUM);
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) for (int r = 0; r < size; r++) expected[i] += value(r, i);
        assertArrayEquals(expected, base.toDoubleArray(), "allReduce of a transposed view");
    }

    /** Rank 0 sends to rank 1, which answers with what it got plus one. */
    private static void pointToPoint(ProcessGroup g, Device device) {
        Tensor t = Tensor.zeros(new int[]{6}, DType.FLOAT32, device);
        if (g.rank() == 0) {
            g.send(filled(0, 6, DType.FLOAT32, device), 1);
            g.irecv(t, 1).await();
            assertArrayEquals(filled(0, 6, DType.FLOAT32, Device.CPU).add(1).toDoubleArray(), t.toDoubleArray(), "recv");
        } else {
            g.recv(t, 0);
            g.isend(t.add(1), 0).await();
        }
    }
}
