package dev.gpush.cuda;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.RandomOp;
import dev.gpush.backend.ReduceOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel source is compiled here exactly as NVRTC compiles it at run time (prelude + file), with
 * {@code nvcc -ptx -arch=sm_90} wherever nvcc is on the PATH, so no kernel waits for a GPU to meet a compiler.
 * nvcc is laxer than NVRTC (it always sees the toolkit's headers), so an {@code #include} fails the build on its own
 * (shared/CUDA-NOTES.md, facts 3 and 4).
 */
class KernelSourceTest {
    private static final Path SOURCES = Path.of("src/main/resources/dev/gpush/cuda/kernels");

    @TempDir Path tmp;

    @Test
    void everyKernelFileIsListedAndNoneIncludesAHeader() throws IOException {
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.forEach(f -> onDisk.add(f.getFileName().toString()));
        }
        Set<String> known = new TreeSet<>(Set.of(KernelFile.PRELUDE));
        for (KernelFile f : KernelFile.values()) known.add(f.file());
        assertEquals(known, onDisk, "each .cu file is a KernelFile, and each KernelFile is on disk");
        for (String name : onDisk) {
            String text = Files.readString(SOURCES.resolve(name));
            assertFalse(Pattern.compile("^\\s*#\\s*include", Pattern.MULTILINE).matcher(text).find(),
                    name + " includes a header; NVRTC has none (shared/CUDA-NOTES.md, fact 3)");
        }
    }

    @ParameterizedTest
    @EnumSource(KernelFile.class)
    void compilesWithNvccAsTheRuntimeCompilesIt(KernelFile file) throws Exception {
        String nvcc = onPath("nvcc");
        assumeTrue(nvcc != null, "nvcc is not on the PATH");
        Path cu = tmp.resolve(file.file()), ptx = tmp.resolve(file.file() + ".ptx");
        Files.writeString(cu, file.source());
        Process p = new ProcessBuilder(nvcc, "-ptx", "-arch=sm_90", "--std=c++17", "-o", ptx.toString(), cu.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "nvcc failed on " + file.file() + ":\n" + log);
        String code = Files.readString(ptx);
        for (String kernel : file.kernels())
            assertTrue(code.contains(".entry " + kernel + "("), file.file() + " defines no kernel " + kernel);
    }

    @Test
    void dtypeCodesAreDTypeOrdinals() {
        String prelude = KernelFile.resource(KernelFile.PRELUDE);
        for (DType d : DType.values()) assertDefine(prelude, "GP_" + d.name(), d.ordinal());
    }

    @Test
    void opCodesAreTheBackendEnumsOrdinals() {
        String elementwise = KernelFile.ELEMENTWISE.text(), reduce = KernelFile.REDUCE.text(), random = KernelFile.RANDOM.text();
        for (UnaryOp op : UnaryOp.values()) assertDefine(elementwise, "U_" + op.name(), op.ordinal());
        for (BinaryOp op : BinaryOp.values()) assertDefine(elementwise, "B_" + op.name(), op.ordinal());
        for (ReduceOp op : ReduceOp.values()) assertDefine(reduce, "R_" + op.name(), op.ordinal());
        for (RandomOp op : RandomOp.values()) assertDefine(random, "RND_" + op.name(), op.ordinal());
    }

    @Test
    void theStructsHaveTheWordsTheJavaSideWrites() {
        String prelude = KernelFile.resource(KernelFile.PRELUDE);
        assertDefine(prelude, "GP_MAX_DIMS", Layout.MAX_DIMS);
        assertTrue(KernelFile.REDUCE.text().contains("#define GP_REDUCE_THREADS " + CudaReduce.THREADS));
    }

    @Test
    void theDiskCacheKeysBySourceTargetAndNvrtcVersion() {
        KernelCache cache = new KernelCache(tmp.resolve("cache"));
        byte[] image = {1, 2, 3};
        cache.put("source", "sm_90", "13.1", image);
        assertArrayEquals(image, cache.get("source", "sm_90", "13.1"));
        assertNull(cache.get("source changed", "sm_90", "13.1"));
        assertNull(cache.get("source", "sm_80", "13.1"));
        assertNull(cache.get("source", "sm_90", "13.2"));
        assertTrue(cache.path("source", "compute_90", "13.1").toString().endsWith("-compute_90-nvrtc13.1.ptx"));
        assertTrue(cache.path("source", "sm_90", "13.1").toString().endsWith("-sm_90-nvrtc13.1.cubin"));
    }

    @Test
    void aGpuNewerThanNvrtcGetsPtxForTheNewestArchitectureBelowIt() {
        int[] supported = {75, 80, 86, 89, 90, 100, 120};
        assertEquals("sm_90", Nvrtc.target(90, supported));
        assertEquals("compute_120", Nvrtc.target(130, supported));
        assertEquals("compute_80", Nvrtc.target(81, supported));
    }

    private static void assertDefine(String text, String name, int value) {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)\\b").matcher(text);
        assertTrue(m.find(), "no #define " + name);
        assertEquals(value, Integer.parseInt(m.group(1)), name);
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

}
