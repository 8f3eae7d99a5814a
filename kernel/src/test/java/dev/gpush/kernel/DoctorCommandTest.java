package dev.gpush.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.gpush.cuda.Cuda;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `gpush doctor` and `gpush selftest` on this machine, as a user runs them. */
class DoctorCommandTest {

    record Run(int code, String out) {}

    private static Run run(Object command, String... args) {
        PrintStream saved = System.out;
        var bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(command).execute(args);
            return new Run(code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void doctorReportsJavaTheCpuBackendCudaAndJupyter() {
        var run = run(new DoctorCommand());
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("Java " + Runtime.version()), run.out());
        assertTrue(run.out().contains("CPU backend: ") && run.out().contains("check passed"), run.out());
        assertTrue(run.out().contains(Cuda.isAvailable() ? "CUDA: available" : "CUDA: not available ("), run.out());
        assertTrue(run.out().contains("CUDA libraries"), run.out());
        assertTrue(run.out().contains("Jupyter: "), run.out());
    }

    @Test
    void selftestWithoutAGpuSaysWhyAndFailsOnlyWhenAGpuIsRequired() {
        assumeFalse(Cuda.isAvailable(), "this machine has a GPU: the gpu-tagged tests cover selftest there");
        var plain = run(new SelfTestCommand());
        assertEquals(0, plain.code());
        assertTrue(plain.out().contains("CUDA is not available (" + Cuda.unavailableReason() + ")"), plain.out());
        assertEquals(3, run(new SelfTestCommand(), "--require-gpu").code());
    }
}
