package dev.gpush.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Library discovery over a real folder tree laid out as the places CUDA libraries live. */
class CudaLibrariesTest {
    @TempDir Path root;

    private Path lib(String folder, String name) throws IOException {
        Path dir = root.resolve(folder);
        Files.createDirectories(dir);
        return Files.createFile(dir.resolve(name));
    }

    @Test
    void gpushCudaPathComesFirstThenToolkitsThenSystemThenPythonWheels() throws IOException {
        Path mine = lib("opt/mycuda/lib64", "libcudart.so.13");
        lib("usr/local/cuda-13.1/lib64", "libcudart.so.13");
        Path nvrtc = lib("usr/local/cuda-13.1/lib64", "libnvrtc.so.13");
        Path builtins = lib("usr/local/cuda-13.1/lib64", "libnvrtc-builtins.so.13.1");
        Path driver = lib("usr/lib/x86_64-linux-gnu", "libcuda.so.1");
        Path cublas = lib("home/u/.local/lib/python3.12/site-packages/nvidia/cublas/lib", "libcublas.so.13");
        Path cudnn = lib("venv/lib/python3.11/site-packages/nvidia/cudnn/lib", "libcudnn.so.9");

        var found = CudaLibraries.find(Map.of("GPUSH_CUDA_PATH", root.resolve("opt/mycuda").toString(),
                "VIRTUAL_ENV", root.resolve("venv").toString()), root.resolve("home/u"), root);

        Map<String, Path> libs = found.libraries();
        assertEquals(mine, libs.get("libcudart.so.13"));
        assertEquals(nvrtc, libs.get("libnvrtc.so.13"));
        assertEquals(builtins, libs.get("libnvrtc-builtins.so.13.*"));
        assertEquals(driver, libs.get("libcuda.so.1"));
        assertEquals(cublas, libs.get("libcublas.so.13"));
        assertEquals(cudnn, libs.get("libcudnn.so.9"));
        assertNull(libs.get("libnccl.so.2"));
        assertTrue(found.describe().contains("libnccl.so.2"));
        assertTrue(found.describe().contains("not found (NCCL)"), found.describe());
        assertEquals(mine.getParent(), found.folders().getFirst());
    }

    @Test
    void theNewestVersionedToolkitWins() throws IOException {
        lib("usr/local/cuda-13.0/lib64", "libcublas.so.13");
        Path newer = lib("usr/local/cuda-13.1/lib64", "libcublas.so.13");
        var found = CudaLibraries.find(Map.of(), root.resolve("home"), root);
        assertEquals(newer, found.libraries().get("libcublas.so.13"));
    }

    @Test
    void missingFoldersAreNotSearched() {
        var found = CudaLibraries.find(Map.of("GPUSH_CUDA_PATH", "/does/not/exist"), root.resolve("home"), root);
        assertTrue(found.searched().isEmpty(), found.searched().toString());
        assertTrue(found.libraries().isEmpty());
    }
}
