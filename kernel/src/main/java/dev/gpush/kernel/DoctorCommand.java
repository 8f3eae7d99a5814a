package dev.gpush.kernel;

import dev.gpush.cpu.Blas;
import dev.gpush.cpu.Parallel;
import dev.gpush.cuda.Cuda;
import dev.gpush.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/**
 * {@code gpush doctor}: what gpush runs on and what it found, for a user who doubts their set-up: the Java, the CPU
 * backend (threads, BLAS) with a small check, CUDA (available or exactly why not, the libraries found, each GPU),
 * and whether Jupyter knows the kernel. It never fails on a missing GPU; it exits 1 only when the CPU backend itself
 * gives a wrong answer.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show what gpush runs on: Java, CPU backend, CUDA and its libraries, the Jupyter kernel.")
final class DoctorCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        PrintStream out = System.out;
        out.println("gpush " + VersionInfo.gpushVersion());
        out.println("Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
                + System.getProperty("java.home"));
        out.println("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "; " + Runtime.getRuntime().availableProcessors()
                + " cores; Java heap up to " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        boolean cpuOk = cpuCheck();
        out.println("CPU backend: " + Parallel.threads() + " threads (GPUSH_NUM_THREADS); BLAS: "
                + (Blas.available() ? Blas.config() : "not available (" + Blas.unavailableReason()
                        + "), matmul uses gpush's own loops")
                + "; check " + (cpuOk ? "passed" : "FAILED: a 2x2 matmul gave a wrong answer"));
        out.print(Cuda.report());
        out.println("Jupyter: " + jupyter());
        return cpuOk ? 0 : 1;
    }

    /** A matmul through the CPU backend against the answer worked out by hand. */
    private static boolean cpuCheck() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}).reshape(2, 2);
        float[] product = a.matmul(a).toFloatArray();
        return java.util.Arrays.equals(product, new float[] {7, 10, 15, 22});
    }

    /** Whether `jupyter` is on the PATH and lists a gpush kernel. */
    private static String jupyter() {
        try {
            Process p = new ProcessBuilder("jupyter", "kernelspec", "list").redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "`jupyter kernelspec list` did not answer in 20 s";
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().map(String::strip).filter(l -> l.startsWith("gpush ")).findFirst()
                    .map(l -> "kernel installed: " + l.replaceAll("\\s+", " "))
                    .orElse("found, but no gpush kernel is installed: run `gpush install-kernel`");
        } catch (IOException e) {
            return "not found on PATH (install JupyterLab, then run `gpush install-kernel`)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not checked (interrupted)";
        }
    }
}
