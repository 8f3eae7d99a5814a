package dev.gpush.cpu;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * OpenBLAS GEMM, called in place on the heap arrays, checked against a naive double-precision product through the
 * public API: every layout the CPU backend hands to BLAS (transposed, batched, broadcast, offset, empty).
 */
class BlasTest {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    private static Tensor randn(DType dt, int... shape) { return Tensor.randn(shape, dt, Device.CPU); }

    /** float32 error grows with k; bound it against sum |a_ip b_pj|, the scale of the rounding. */
    private static double tol(DType dt) { return dt == DType.FLOAT32 ? 1e-5 : 1e-13; }

    /**
     * {@code a @ b} for [..., m, k] and [..., k, n] with broadcast batch dims, in double over plain loops, checked
     * element by element within {@code tol * (1 + sum_p |a_ip b_pj|)}.
     */
    private static void assertMatmul(Tensor a, Tensor b) {
        Tensor got = a.matmul(b);
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batch = Shapes.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        assertArrayEquals(outShape, got.shape(), "shape of " + Shapes.str(as) + " @ " + Shapes.str(bs));
        assertEquals(a.dtype(), got.dtype());
        double[] ad = a.expand(with(batch, m, k)).contiguous().toDoubleArray();
        double[] bd = b.expand(with(batch, k, n)).contiguous().toDoubleArray();
        double[] gd = got.toDoubleArray();
        int batches = Shapes.numel(batch);
        for (int bi = 0; bi < batches; bi++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double sum = 0, scale = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ad[(bi * m + i) * k + p] * bd[(bi * k + p) * n + j];
                        sum += x;
                        scale += Math.abs(x);
                    }
                    double g = gd[(bi * m + i) * n + j];
                    if (Math.abs(g - sum) > tol(a.dtype()) * (1 + scale))
                        fail(Shapes.str(as) + " @ " + Shapes.str(bs) + " " + a.dtype() + ": element [" + bi + ", " + i
                                + ", " + j + "] expected " + sum + " but got " + g);
                }
    }

    private static int[] with(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    @Test void openBlasLoadsOnLinuxX86_64() {
        String os = System.getProperty("os.name").toLowerCase(), arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")), "the supported platform");
        assertTrue(Blas.available(), "OpenBLAS did not load: " + Blas.unavailableReason());
        assertNull(Blas.unavailableReason());
        assertTrue(Blas.library().contains("openblas"), Blas.library());
        assertTrue(Blas.config().contains("OpenBLAS"), Blas.config());
    }

    @Test void openBlasThreadsFollowParallelThreads() {
        assumeTrue(Blas.available());
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            assertEquals(1, Blas.threads());
            Parallel.setThreads(2);
            assertEquals(2, Blas.threads());
        } finally {
            Parallel.setThreads(before);
        }
        assertEquals(before, Blas.threads());
    }

    @Test void matmulMatchesNaiveProduct() {
        for (DType dt : FLOATS) {
            assertMatmul(randn(dt, 7, 5), randn(dt, 5, 3));
            assertMatmul(randn(dt, 64, 130), randn(dt, 130, 33));
            assertMatmul(randn(dt, 200, 300), randn(dt, 300, 150)); // past OpenBLAS's threading threshold
        }
    }

    @Test void matmulOfTransposedOperandsMatchesNaiveProduct() {
        for (DType dt : FLOATS) {
            assertMatmul(randn(dt, 5, 7).t(), randn(dt, 5, 3));
            assertMatmul(randn(dt, 7, 5), randn(dt, 3, 5).t());
            assertMatmul(randn(dt, 40, 90).t(), randn(dt, 60, 40).t());
            assertMatmul(randn(dt, 4, 6, 5).mT(), randn(dt, 4, 3, 6).mT());
        }
    }

    @Test void batchedAndBroadcastMatmulMatchesNaiveProduct() {
        for (DType dt : FLOATS) {
            assertMatmul(randn(dt, 6, 4, 5), randn(dt, 6, 5, 3));
            assertMatmul(randn(dt, 6, 4, 5), randn(dt, 5, 3));        // b broadcast over the batch
            assertMatmul(randn(dt, 4, 5), randn(dt, 2, 3, 5, 3));     // a broadcast over two batch dims
            assertMatmul(randn(dt, 2, 1, 4, 5), randn(dt, 1, 3, 5, 2)); // both broadcast
            assertMatmul(randn(dt, 3, 100, 90), randn(dt, 3, 90, 80)); // batches past the threading threshold
            assertMatmul(randn(dt, 3, 4, 5).permute(1, 0, 2), randn(dt, 4, 5, 2)); // batch dims that don't merge
        }
    }

    @Test void matmulOfSlicesReadsFromTheirOffsets() {
        for (DType dt : FLOATS) {
            Tensor x = randn(dt, 9, 6), y = randn(dt, 8, 10);
            assertMatmul(x.narrow(0, 1, 5), y.narrow(0, 2, 6));             // offsets, full rows
            assertMatmul(x.narrow(1, 2, 3), y.narrow(0, 1, 3).narrow(1, 4, 5)); // offsets and leading dim > cols
            assertMatmul(x.narrow(0, 3, 4).t(), x.narrow(0, 2, 4));          // transposed slice
            assertMatmul(randn(dt, 5, 4, 7).narrow(0, 1, 3).narrow(2, 1, 5), randn(dt, 3, 5, 2));
        }
    }

    @Test void matmulWithOnesAndZerosInTheShape() {
        for (DType dt : FLOATS) {
            assertMatmul(randn(dt, 1, 5), randn(dt, 5, 1));
            assertMatmul(randn(dt, 1, 1), randn(dt, 1, 1));
            assertMatmul(randn(dt, 4, 1), randn(dt, 1, 6));
            assertMatmul(randn(dt, 1, 5).t(), randn(dt, 1, 3));
            assertMatmul(randn(dt, 0, 5), randn(dt, 5, 3));
            assertMatmul(randn(dt, 4, 5), randn(dt, 5, 0));
            assertMatmul(randn(dt, 4, 0), randn(dt, 0, 3)); // k = 0: zeros
            assertMatmul(randn(dt, 0, 4, 5), randn(dt, 5, 3));
            assertArrayEquals(new double[12], randn(dt, 4, 0).matmul(randn(dt, 0, 3)).toDoubleArray());
        }
    }

    @Test void javaLoopsAgreeWithOpenBlas() {
        assumeTrue(Blas.available());
        for (DType dt : FLOATS) {
            Tensor[][] pairs = {
                    {randn(dt, 3, 20, 30), randn(dt, 3, 30, 10)},
                    {randn(dt, 2, 30, 20).mT(), randn(dt, 2, 10, 30).mT()},
                    {randn(dt, 4, 9, 7).narrow(1, 2, 6), randn(dt, 4, 7, 12).narrow(2, 1, 8)},
                    {randn(dt, 1, 100, 120), randn(dt, 1, 120, 90)},
            };
            for (Tensor[] p : pairs) {
                Tensor a = p[0], b = p[1];
                int batches = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
                Tensor blas = Tensor.empty(new int[]{batches, m, n}, dt, Device.CPU);
                Tensor java = Tensor.empty(new int[]{batches, m, n}, dt, Device.CPU);
                Gemm.matmul(blas, a, b);
                Gemm.javaGemm(java, a, b, batches, m, n, k);
                double[] x = blas.toDoubleArray(), y = java.toDoubleArray();
                for (int i = 0; i < x.length; i++)
                    assertEquals(y[i], x[i], tol(dt) * 100 * (1 + Math.abs(y[i])), dt + " element " + i);
            }
        }
    }

    /** tensor-core's own classes in a loader that cannot see JavaCPP: as if the platform jar were missing. */
    @Test void withoutOpenBlasMatmulFallsBackToJavaLoopsAndSaysWhy() throws Exception {
        var classes = Blas.class.getProtectionDomain().getCodeSource().getLocation();
        try (var loader = new java.net.URLClassLoader(new java.net.URL[]{classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> blas = Class.forName("dev.gpush.cpu.Blas", true, loader);
            assertEquals(false, blas.getMethod("available").invoke(null));
            String why = (String) blas.getMethod("unavailableReason").invoke(null);
            assertTrue(why.contains("NoClassDefFoundError") && why.contains("bytedeco"), why);

            Class<?> tensor = Class.forName("dev.gpush.tensor.Tensor", true, loader);
            Object m = tensor.getMethod("of", Object.class).invoke(null, (Object) new double[][]{{1, 2}, {3, 4}});
            Object p = tensor.getMethod("matmul", tensor).invoke(m, m);
            assertArrayEquals(new double[]{7, 10, 15, 22}, (double[]) tensor.getMethod("toDoubleArray").invoke(p));
        }
    }

    @Test void gemmWritesOnlyItsWindowOfTheOutput() {
        assumeTrue(Blas.available());
        // c is a 2x3 window at offset 5 of a 4x4 row-major array (ldc 4); a and b are read from offsets too
        float[] a = {9, 1, 2, 3, 4, 5, 6}, b = {9, 9, 1, 0, 0, 0, 1, 0, 0, 0, 1}, c = new float[16];
        Arrays.fill(c, -1);
        Blas.gemm(false, false, 2, 3, 3, a, 1, 3, b, 2, 3, c, 5, 4);
        float[] expected = {-1, -1, -1, -1, -1, 1, 2, 3, -1, 4, 5, 6, -1, -1, -1, -1};
        assertArrayEquals(expected, c);
    }

    @Test void gemmRejectsWindowsPastTheArray() {
        assumeTrue(Blas.available());
        double[] a = new double[6], b = new double[6], c = new double[4];
        assertThrows(IndexOutOfBoundsException.class, () -> Blas.gemm(false, false, 2, 2, 3, a, 1, 3, b, 0, 2, c, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Blas.gemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 1, 2));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 2, 2, 3, a, 0, 2, b, 0, 2, c, 0, 2));
        assertTrue(e.getMessage().contains("leading dim of a is 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 2, 2, 3, new float[6], 0, 3, b, 0, 2, c, 0, 2));
    }
}
