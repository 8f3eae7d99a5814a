package dev.gpush.kernel.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.cuda.Cuda;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook of {@code notebooks/} executed as CI executes it: Debian's nbconvert ({@code python3 -m nbconvert
 * --to notebook --execute}) against the gpush kernelspec installed into a temporary prefix, each cell within
 * {@value #CELL_TIMEOUT_S} s, with {@code GPUSH_NOTEBOOK_QUICK=1} for the small sizes. A notebook passes when no
 * cell fails and its key outputs say what the lesson promises. The notebooks run from a copy, so files they write
 * never land in the repository. Skipped only where /usr/bin/python3 cannot import nbclient and jupyter_client.
 */
class NotebooksTest {

    /** The notebooks, relative to the kernel module, where Maven runs the tests. */
    static final Path NOTEBOOKS = Path.of("..", "notebooks").toAbsolutePath().normalize();
    static final Set<String> TESTED = Set.of("01-environment-check", "02-tensors-and-autograd",
            "03-transformer-text-classification", "04-gpu-memory", "05-multi-gpu", "06-interop");
    /** A guard against a hung cell, not a speed requirement. */
    static final int CELL_TIMEOUT_S = 300;

    @TempDir
    static Path root;

    static JupyterStack jupyter;
    static Path work;

    @BeforeAll
    static void installTheKernelAndCopyTheNotebooks() throws IOException {
        assumeTrue(JupyterStack.hasNbclient(), "/usr/bin/python3 cannot import nbclient and jupyter_client");
        jupyter = JupyterStack.install(root.resolve("prefix"));
        work = Files.createDirectories(root.resolve("notebooks"));
        for (String name : names()) {
            Files.copy(NOTEBOOKS.resolve(name + ".ipynb"), work.resolve(name + ".ipynb"));
        }
    }

    static Set<String> names() throws IOException {
        try (var files = Files.list(NOTEBOOKS)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".ipynb"))
                    .map(f -> f.substring(0, f.length() - ".ipynb".length())).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Executes the notebook {@code name} and answers it with its outputs, failing on any error cell. */
    static Notebook execute(String name) throws IOException {
        Path out = Files.createDirectories(root.resolve("executed"));
        var done = jupyter.python(work, "-m", "nbconvert", "--to", "notebook", "--execute", name + ".ipynb",
                "--output-dir", out.toString(), "--ExecutePreprocessor.kernel_name=" + JupyterStack.KERNEL_NAME,
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_S, "--allow-errors");
        assertEquals(0, done.exit(), done::toString);
        var notebook = Notebook.read(out.resolve(name + ".ipynb"));
        assertEquals(List.of(), notebook.errors(), () -> name + " has cells that failed:\n" + notebook.text());
        return notebook;
    }

    static Matcher find(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no line matching /" + regex + "/ in:\n" + text);
        return m;
    }

    static double number(Matcher m, int group) {
        return Double.parseDouble(m.group(group));
    }

    /** MiB in a size as the magics print it: {@code 37.8 MiB}, {@code 1.1 GiB}. */
    static double mib(String size) {
        String[] parts = size.split(" ");
        double value = Double.parseDouble(parts[0]);
        return switch (parts[1]) {
            case "KiB" -> value / 1024;
            case "GiB" -> value * 1024;
            default -> value;
        };
    }

    @Test
    void environmentCheckReportsCudaAndAMatmulThatAgreesWithFloat64() throws IOException {
        String text = execute("01-environment-check").text();
        assertTrue(text.contains("CUDA available: " + Cuda.isAvailable()), text);
        find("matmul check on (cpu|cuda:0): 256x256, max relative error \\S+: OK", text);
        find("gpush\\s+\\d+\\.\\d+", text);
    }

    @Test
    void tensorsAndAutogradShowGradientsGradcheckAndReadableErrors() throws IOException {
        String text = execute("02-tensors-and-autograd").text();
        assertTrue(text.contains("dy/dx = tensor([2., 4., 6.])"), text);
        assertTrue(text.contains("doubled 7 times") && text.contains("doubled 2 times"), "the loop ran per input");
        assertTrue(text.contains("gradcheck of mean(tanh(input @ weight)^2): true"), text);
        assertTrue(text.contains("matmul: shapes [32, 256] and [128, 10] cannot be multiplied (256 != 128)"), text);
        assertTrue(text.contains("has been modified by an in-place operation"), text);
    }

    @Test
    void transformerTrainsResumesFromItsCheckpointAndItsLossFalls() throws IOException {
        var notebook = execute("03-transformer-text-classification");
        String text = notebook.text();
        var fell = find("loss fell from ([\\d.]+) to ([\\d.]+) over (\\d+) optimizer steps", text);
        assertTrue(number(fell, 2) < number(fell, 1), fell.group());
        var accuracy = find("final held-out accuracy: ([\\d.]+)%", text);
        assertTrue(number(accuracy, 1) > 50, "better than chance (25%): " + accuracy.group());
        var resumed = find("resumed after epoch 0: held-out accuracy ([\\d.]+)% \\(the trained model: ([\\d.]+)%\\)", text);
        assertEquals(resumed.group(2), resumed.group(1), "the checkpoint restores the trained model");
        assertTrue(text.contains("epoch 1: 100%|####################|"), "the progress bar reached its end");
        assertTrue(notebook.outputsWith("image/png") >= 2, "the live chart and the final plot are drawn");
    }

    @Test
    void gpuMemoryNotebookFreesWithCloseScopeAndEmptyCacheGc() throws IOException {
        String text = execute("04-gpu-memory").text();
        var gc = find("garbage collection: Java heap ([\\d.]+ [KMG]iB) -> ([\\d.]+ [KMG]iB)", text);
        assertTrue(mib(gc.group(2)) < mib(gc.group(1)), "the unreachable tensor was collected: " + gc.group());
        assertTrue(text.contains("hidden is closed: true; total is closed: false"), text);
        assertTrue(text.contains("using it now: tensor was closed"), text);
        if (!Cuda.isAvailable()) {
            assertTrue(text.contains("no GPU cache to empty"), text);
            assertTrue(text.contains("no CUDA here, so no GPU out-of-memory error to show"), text);
        }
    }

    @Test
    void multiGpuNotebookRunsTwoRanksWhoseReplicasEndEqual() throws IOException {
        String text = execute("05-multi-gpu").text();
        for (int rank = 0; rank < 2; rank++) {
            find("\\[rank" + rank + "\\]: rank " + rank + " of 2 \\(backend \\w+, LOCAL_RANK " + rank
                    + "\\): allReduce sum = 3.0", text);
        }
        var done = Pattern.compile("\\[rank(\\d)\\]: rank \\d done: accuracy ([\\d.]+), parameter checksum ([\\d.]+)")
                .matcher(text);
        List<String> checksums = new ArrayList<>();
        while (done.find()) {
            checksums.add(done.group(3));
            assertTrue(Double.parseDouble(done.group(2)) > 0.8, "rank " + done.group(1) + " learned: " + done.group());
        }
        assertEquals(2, checksums.size(), text);
        assertEquals(checksums.get(0), checksums.get(1), "DDP keeps the replicas identical");
    }

    @Test
    void interopRoundTripsSafetensorsAndNpyAndUsesALibraryFromMaven() throws IOException {
        String text = execute("06-interop").text();
        assertTrue(text.contains("safetensors round trip: 4 tensors, values equal: true, outputs equal: true"), text);
        assertTrue(text.contains("npy round trip: [100, 4] float32 and [100] int64, equal: true"), text);
        assertTrue(text.contains("read with org.apache.commons.csv.CSVParser"), text);
        assertTrue(text.contains("labels equal to the originals: true"), text);
    }
}
