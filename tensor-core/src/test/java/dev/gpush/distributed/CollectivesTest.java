package dev.gpush.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every collective of the CPU group against values computed by hand, on 2 to 4 ranks as threads. */
class CollectivesTest {

    /** Rank r's element i: small integers, exact in every dtype (float16 and bfloat16 included). */
    static double value(int rank, int i) { return (rank + 1) * (i % 5) + rank; }

    static Tensor filled(int rank, int n, DType dtype) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = value(rank, i);
        return Tensor.of(v).to(dtype);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "FLOAT16", "BFLOAT16", "INT64", "INT32"})
    void allReduceSumsEveryDtypeForSizesThatDoNotDivideByTheWorldSize(DType dtype) {
        for (int n : new int[]{1, 7, 1001}) {
            List<double[]> results = Ranks.run(3, g -> {
                Tensor t = filled(g.rank(), n, dtype);
                g.allReduce(t);
                assertEquals(dtype, t.dtype());
                return t.toDoubleArray();
            });
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = value(0, i) + value(1, i) + value(2, i);
            for (double[] r : results) assertArrayEquals(expected, r, dtype + " n=" + n);
        }
    }

    @Test
    void allReduceMaxMinProductAndAvg() {
        List<double[][]> results = Ranks.run(4, g -> {
            double[][] out = new double[5][];
            int k = 0;
            for (ReduceOp op : new ReduceOp[]{ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PRODUCT, ReduceOp.AVG}) {
                Tensor t = Tensor.of(new double[]{g.rank() + 1, -(g.rank() + 1), 10 * g.rank()});
                g.allReduce(t, op);
                out[k++] = t.toDoubleArray();
            }
            Tensor ints = Tensor.of(new long[]{g.rank() * 3L + 1, 7});
            g.allReduce(ints, ReduceOp.AVG);
            out[k] = ints.toDoubleArray();
            return out;
        });
        for (double[][] r : results) {
            assertArrayEquals(new double[]{4, -1, 30}, r[0], "MAX");
            assertArrayEquals(new double[]{1, -4, 0}, r[1], "MIN");
            assertArrayEquals(new double[]{24, 24, 0}, r[2], "PRODUCT");
            assertArrayEquals(new double[]{2.5, -2.5, 15}, r[3], "AVG");
            assertArrayEquals(new double[]{5, 7}, r[4], "AVG of int64 truncates: (1+4+7+10)/4 = 5.5 -> 5");
        }
    }

    @Test
    void allReduceOnBoolIsOrForSumAndAndForMin() {
        List<boolean[][]> results = Ranks.run(2, g -> {
            Tensor a = Tensor.of(new long[]{g.rank(), 0, 1}).gt(0);
            Tensor b = Tensor.of(new long[]{g.rank(), 0, 1}).gt(0);
            g.allReduce(a, ReduceOp.SUM);
            g.allReduce(b, ReduceOp.MIN);
            return new boolean[][]{a.toBooleanArray(), b.toBooleanArray()};
        });
        for (boolean[][] r : results) {
            assertArrayEquals(new boolean[]{true, false, true}, r[0]);
            assertArrayEquals(new boolean[]{false, false, true}, r[1]);
        }
    }

    @Test
    void allReduceWritesIntoANonContiguousView() {
        List<float[]> results = Ranks.run(2, g -> {
            Tensor base = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}}).mul(g.rank() + 1);
            Tensor column = base.select(1, 1);           // strided: [2, 5] times rank+1
            g.allReduce(column);
            return base.reshape(-1).toFloatArray();
        });
        for (float[] r : results.subList(0, 1)) assertArrayEquals(new float[]{1, 6, 3, 4, 15, 6}, r);
        assertArrayEquals(new float[]{2, 6, 6, 8, 15, 12}, results.get(1));
    }

    @Test
    void aTensorLargerThanOneMessageIsCutIntoPieces() {
        int n = 3 * CpuProcessGroup.SEGMENT_BYTES / 4 + 5; // float32: three pieces and a bit
        List<float[]> results = Ranks.run(2, g -> {
            Tensor t = Tensor.full(new int[]{n}, g.rank() + 1.0f);
            g.allReduce(t);
            float[] ends = {t.select(0, 0).toFloatArray()[0], t.select(0, n - 1).toFloatArray()[0], t.sum().toFloatArray()[0]};
            return ends;
        });
        for (float[] r : results) assertArrayEquals(new float[]{3, 3, 3f * n}, r);
    }

    @Test
    void broadcastCopiesTheSourceRankToEveryRankThroughTheTree() {
        for (int src : new int[]{0, 2}) {
            List<double[]> results = Ranks.run(4, g -> {
                Tensor t = g.rank() == src ? Tensor.of(new double[]{3, 1, 4, 1, 5}) : Tensor.zeros(DType.FLOAT64, 5);
                g.broadcast(t, src);
                return t.toDoubleArray();
            });
            for (double[] r : results) assertArrayEquals(new double[]{3, 1, 4, 1, 5}, r, "src " + src);
        }
    }

    @Test
    void allGatherGivesEveryRankEveryRanksTensor() {
        List<List<long[]>> results = Ranks.run(3, g -> {
            Tensor mine = Tensor.of(new long[][]{{g.rank(), 10L * g.rank()}});
            List<Tensor> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) out.add(Tensor.zeros(DType.INT64, 1, 2));
            g.allGather(out, mine);
            return out.stream().map(Tensor::toLongArray).toList();
        });
        for (List<long[]> r : results)
            for (int i = 0; i < 3; i++) assertArrayEquals(new long[]{i, 10L * i}, r.get(i));
    }

    @Test
    void reduceScatterGivesEachRankItsSliceReduced() {
        List<float[]> results = Ranks.run(3, g -> {
            List<Tensor> in = new ArrayList<>();
            for (int i = 0; i < 3; i++) in.add(Tensor.of(new float[]{i * 100 + g.rank(), 1}));
            Tensor out = Tensor.zeros(2);
            g.reduceScatter(out, in, ReduceOp.SUM);
            Tensor avg = Tensor.zeros(2);
            g.reduceScatter(avg, in, ReduceOp.AVG);
            return new float[]{out.toFloatArray()[0], out.toFloatArray()[1], avg.toFloatArray()[0]};
        });
        for (int r = 0; r < 3; r++)
            assertArrayEquals(new float[]{r * 300 + 3, 3, r * 100 + 1}, results.get(r), "rank " + r);
    }

    @Test
    void sendAndRecvPassATensorBetweenTwoRanks() {
        List<float[]> results = Ranks.run(3, g -> {
            Tensor t = Tensor.zeros(3);
            if (g.rank() == 0) g.send(Tensor.of(new float[]{7, 8, 9}), 2);
            if (g.rank() == 2) g.recv(t, 0);
            g.barrier();
            return t.toFloatArray();
        });
        assertArrayEquals(new float[]{0, 0, 0}, results.get(1));
        assertArrayEquals(new float[]{7, 8, 9}, results.get(2));
    }

    @Test
    void aGroupOfOneReturnsItsOwnValues() {
        List<float[]> results = Ranks.run(1, g -> {
            Tensor t = Tensor.of(new float[]{1, 2});
            g.allReduce(t, ReduceOp.AVG);
            g.broadcast(t, 0);
            g.barrier();
            return t.toFloatArray();
        });
        assertArrayEquals(new float[]{1, 2}, results.getFirst());
    }

    @Test
    void differentCollectivesOnTwoRanksAreReportedNotMixed() {
        var outcomes = Ranks.outcomes(2, java.time.Duration.ofMinutes(2), g -> {
            Tensor t = Tensor.ones(4);
            if (g.rank() == 0) g.allReduce(t); else g.broadcast(t, 1);
            return null;
        });
        DistributedException e = (DistributedException) outcomes.get(0).error();
        assertTrue(e.getMessage().contains("rank 1 is in broadcast #0"), e::getMessage);
        assertTrue(e.getMessage().contains("same collectives in the same order"), e::getMessage);
    }

    @Test
    void differentShapesOnTwoRanksAreReported() {
        var outcomes = Ranks.outcomes(2, java.time.Duration.ofMinutes(2), g -> {
            g.allReduce(Tensor.ones(g.rank() == 0 ? 4 : 6));
            return null;
        });
        String message = outcomes.get(0).error().getMessage() + outcomes.get(1).error().getMessage();
        assertTrue(message.contains("same shape and dtype"), message);
    }
}
