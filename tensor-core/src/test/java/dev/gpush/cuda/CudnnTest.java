package dev.gpush.cuda;

import dev.gpush.backend.Backend;
import dev.gpush.nn.F;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * cuDNN's libraries are found and loaded dependencies first, its absence is reported, and on a GPU with cuDNN the
 * backend's fused window and batch-norm kernels run (return true) and agree with the CPU's composites.
 */
class CudnnTest {
    @TempDir Path root;

    private static final List<String> SUB_LIBRARIES = List.of("libcudnn.so.9", "libcudnn_graph.so.9",
            "libcudnn_engines_precompiled.so.9", "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9",
            "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9");

    @Test
    void everyCudnnLibraryIsWantedAndItsDependenciesComeFirst() {
        assertEquals(SUB_LIBRARIES.size(), CudaLibraries.CUDNN.size(), CudaLibraries.CUDNN.toString());
        assertTrue(CudaLibraries.CUDNN.containsAll(SUB_LIBRARIES), CudaLibraries.CUDNN.toString());
        List<String> order = CudaLibraries.CUDNN;
        assertTrue(order.indexOf("libcudnn_graph.so.9") < order.indexOf("libcudnn_ops.so.9"));
        assertTrue(order.indexOf("libcudnn_ops.so.9") < order.indexOf("libcudnn_cnn.so.9"));
        assertTrue(order.indexOf("libcudnn_cnn.so.9") < order.indexOf("libcudnn_adv.so.9"));
        List<String> all = List.copyOf(CudaLibraries.WANTED.keySet());
        assertTrue(all.indexOf("libnvrtc.so.13") < all.indexOf("libcudnn_engines_runtime_compiled.so.9"),
                "NVRTC, which the runtime-compiled engines use, loads before them");
    }

    @Test
    void thePythonWheelsCudnnFolderProvidesEverySubLibrary() throws IOException {
        Path dir = root.resolve("venv/lib/python3.12/site-packages/nvidia/cudnn/lib");
        Files.createDirectories(dir);
        for (String name : SUB_LIBRARIES) Files.createFile(dir.resolve(name));
        var found = CudaLibraries.find(Map.of("VIRTUAL_ENV", root.resolve("venv").toString()), root.resolve("home"), root);
        for (String name : SUB_LIBRARIES) assertEquals(dir.resolve(name), found.libraries().get(name), name);
    }

    @Test
    void withoutCudaTheCudnnVersionIsZeroAndTheReportListsItsLibraries() {
        assumeFalse(Cuda.isAvailable(), "this machine has a GPU");
        assertEquals(0, Cuda.cudnnVersion());
        String report = Cuda.report();
        assertTrue(report.contains("libcudnn_cnn.so.9"), report);
        assertTrue(report.contains("cuDNN's convolutions"), report);
    }

    @Test
    void cudnnVersionsReadAsMajorMinorPatch() {
        assertEquals("9.19.0", CudaReport.cudnnVersion(91900));
        assertEquals("9.1.1", CudaReport.cudnnVersion(90101));
    }

    // ---------------------------------------------------------------- on a GPU with cuDNN

    private static Tensor randn(long seed, int... shape) { return Tensor.randn(new Generator(seed), shape); }

    private static void assertClose(Tensor want, Tensor got, double tol) {
        double[] w = want.toDoubleArray(), g = got.cpu().toDoubleArray();
        assertEquals(w.length, g.length);
        for (int i = 0; i < w.length; i++)
            assertEquals(w[i], g[i], tol * (1 + Math.abs(w[i])), "element " + i);
    }

    private static Backend cudnnBackend() {
        assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
        assumeTrue(Cuda.cudnnVersion() > 0, () -> "cuDNN is not available: " + Cudnn.missingReason());
        return CudaBackend.of(0);
    }

    @Tag("gpu")
    @Test
    void conv2dRunsInCudnnAndMatchesTheCpu() {
        Backend cuda = cudnnBackend();
        Tensor x = randn(1, 2, 4, 9, 8), w = randn(2, 6, 2, 3, 3), b = randn(3, 6);
        int[] stride = {2, 1}, padding = {1, 2}, dilation = {1, 2};
        Tensor want = F.conv2d(x, w, b, stride, padding, dilation, 2);
        Tensor y = Tensor.zeros(want.shapeRef(), want.dtype(), Device.CUDA);
        assertTrue(cuda.conv2d(y, x.cuda(), w.cuda(), b.cuda(), stride, padding, dilation, 2));
        assertClose(want, y, 1e-4);
        Tensor gy = randn(4, want.shapeRef()), gx = Tensor.zeros(x.shapeRef(), x.dtype(), Device.CUDA);
        Tensor gw = Tensor.zeros(w.shapeRef(), w.dtype(), Device.CUDA);
        assertTrue(cuda.conv2dBackward(gx, gw, gy.cuda(), x.cuda(), w.cuda(), stride, padding, dilation, 2));
        Tensor xr = x.requiresGrad(true), wr = w.requiresGrad(true);
        F.conv2d(xr, wr, b, stride, padding, dilation, 2).mul(gy).sum().backward();
        assertClose(xr.grad(), gx, 1e-4);
        assertClose(wr.grad(), gw, 1e-4);
    }

    @Tag("gpu")
    @Test
    void poolingRunsInCudnnAndMatchesTheCpu() {
        Backend cuda = cudnnBackend();
        Tensor x = randn(1, 2, 3, 9, 10);
        int[] k = {3, 3}, s = {2, 2}, p = {1, 1};
        for (boolean max : new boolean[]{true, false}) {
            Tensor want = max ? F.maxPool2d(x, k, s, p, new int[]{1, 1}, false) : F.avgPool2d(x, k, s, p, false, false, null);
            Tensor y = Tensor.zeros(want.shapeRef(), want.dtype(), Device.CUDA);
            assertTrue(cuda.pool2d(y, x.cuda(), max, k, s, p, false), max ? "max" : "avg");
            assertClose(want, y, 1e-5);
        }
    }

    @Tag("gpu")
    @Test
    void batchNormRunsInCudnnAndMovesTheRunningStatistics() {
        Backend cuda = cudnnBackend();
        Tensor x = randn(1, 4, 3, 5, 6);
        Tensor rm = Tensor.zeros(3), rv = Tensor.ones(3);
        Tensor want = F.batchNorm(x, rm, rv, null, null, true, 0.1, 1e-5);
        Tensor y = Tensor.zeros(x.shapeRef(), x.dtype(), Device.CUDA), mean = Tensor.zeros(3).cuda();
        Tensor invstd = Tensor.zeros(3).cuda(), rmc = Tensor.zeros(3).cuda(), rvc = Tensor.ones(3).cuda();
        assertTrue(cuda.batchNorm(y, mean, invstd, x.cuda(), null, null, rmc, rvc, true, 0.1, 1e-5));
        assertClose(want, y, 1e-4);
        assertClose(rm, rmc, 1e-5);
        assertClose(rv, rvc, 1e-5);
        assertClose(x.mean(new int[]{0, 2, 3}, false), mean, 1e-5);
    }
}
