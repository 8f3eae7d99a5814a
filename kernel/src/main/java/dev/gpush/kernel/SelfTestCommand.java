package dev.gpush.kernel;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.SelfTest;
import dev.gpush.tensor.Device;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpush selftest}: runs every CUDA op on each GPU and compares it with the CPU backend, printing a row per
 * check. Exit code 0 when nothing failed, 1 when a check failed, 3 with {@code --require-gpu} on a machine where
 * CUDA is not available.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Compare every CUDA op with the CPU backend on each GPU.")
final class SelfTestCommand implements Callable<Integer> {

    @Option(names = "--device", paramLabel = "DEVICE", description = "one device, e.g. cuda:1 (default: every GPU)")
    String device;

    @Option(names = "--require-gpu", description = "exit 3 when CUDA is not available instead of 0")
    boolean requireGpu;

    @Override
    public Integer call() {
        if (!Cuda.isAvailable()) {
            System.out.println("selftest: CUDA is not available (" + Cuda.unavailableReason()
                    + "); there is no GPU to compare with the CPU. `gpush doctor` says what was found.");
            return requireGpu ? 3 : 0;
        }
        List<SelfTest.Report> reports = device == null ? SelfTest.run() : List.of(SelfTest.run(Device.of(device)));
        reports.forEach(r -> System.out.print(r.text()));
        return reports.stream().allMatch(SelfTest.Report::passed) ? 0 : 1;
    }
}
