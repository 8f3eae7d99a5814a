package dev.gpush.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fast paths compile to what they promise, read from the PTX that nvcc makes of the runtime's source (as
 * KernelSourceTest compiles it): the contiguous kernels move 16-byte vectors, inputs through the read-only path
 * (Note [contiguous kernels]), and the reductions combine partials with warp shuffles.
 */
class VectorisedKernelsTest {
    @TempDir Path tmp;

    @Test
    void contiguousKernelsLoadAndStoreSixteenByteVectors() throws Exception {
        String ptx = ptx(KernelFile.ELEMENTWISE);
        for (String kernel : KernelFile.ELEMENTWISE.kernels()) {
            if (!kernel.contains("_contig")) continue;
            String body = entry(ptx, kernel);
            assertTrue(body.contains("st.global.v4.u32"), kernel + " stores no 16-byte vectors");
            if (!kernel.startsWith("fill_"))
                assertTrue(body.contains("ld.global.nc.v4.u32"), kernel + " loads no 16-byte read-only vectors");
        }
        assertFalse(entry(ptx, "binary_f32").contains(".v4."), "the strided kernels go element by element");
    }

    @Test
    void reductionsCombineWithWarpShuffles() throws Exception {
        String ptx = ptx(KernelFile.REDUCE);
        for (String kernel : new String[]{"reduce_f64", "reduce_i64", "reduce_parts_f64", "reduce_parts_i64"}) {
            String body = entry(ptx, kernel);
            assertTrue(body.contains("shfl.sync.down"), kernel + " has no warp shuffle");
            assertFalse(body.contains("atom."), kernel + " uses atomics: results would not be reproducible");
        }
    }

    private String ptx(KernelFile file) throws Exception {
        String nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc is not on the PATH");
        Path cu = tmp.resolve(file.file()), ptx = tmp.resolve(file.file() + ".ptx");
        Files.writeString(cu, file.source());
        Process p = new ProcessBuilder(nvcc, "-ptx", "-arch=sm_90", "--std=c++17", "-o", ptx.toString(), cu.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "nvcc failed on " + file.file() + ":\n" + log);
        return Files.readString(ptx);
    }

    /** The PTX of one kernel: from its .entry to the next. */
    private static String entry(String ptx, String kernel) {
        int from = ptx.indexOf(".entry " + kernel + "(");
        assertTrue(from >= 0, "no kernel " + kernel);
        int to = ptx.indexOf(".entry ", from + 1);
        return ptx.substring(from, to < 0 ? ptx.length() : to);
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
