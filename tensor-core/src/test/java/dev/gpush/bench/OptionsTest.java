package dev.gpush.bench;

import dev.gpush.tensor.Device;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The command line of {@code gpush bench}: what each option sets, and how a bad one is refused. */
class OptionsTest {

    @Test void noOptionsMeanTheFullProfileOnTheCpuWithNoComparison() {
        assertEquals(new Options(Profile.FULL, Device.CPU, 0, null, false, false, null), Options.parse());
    }

    @Test void everyOptionSetsItsField() {
        Options o = Options.parse("--quick", "--device", "cuda", "--threads", "2", "--json", "out.json",
                "--compare-pytorch", "--compare-numpy", "--python", "/opt/py/bin/python3");
        assertEquals(new Options(Profile.QUICK, Device.CUDA, 2, Path.of("out.json"), true, true, "/opt/py/bin/python3"), o);
        assertEquals(Profile.SMOKE, Options.parse("--quick", "--smoke").profile(), "the last profile wins");
        assertEquals(Device.CPU, Options.parse("--device", "cpu").device());
    }

    @Test void badArgumentsPrintTheUsageAndExitWith2() {
        List<List<String>> bad = List.of(List.of("--fast"), List.of("--threads", "0"), List.of("--threads", "x"),
                List.of("--json"), List.of("--device", "tpu"), List.of("--device"), List.of("--python"), List.of("cpu"));
        for (List<String> args : bad) {
            BenchTest.Output o = BenchTest.bench(args.toArray(String[]::new));
            assertEquals(2, o.exitCode(), String.join(" ", args));
            assertTrue(o.err().contains("usage: gpush bench"), o.err());
            assertTrue(o.out().isEmpty(), "nothing measured for " + args);
        }
        assertTrue(BenchTest.bench("--fast").err().startsWith("gpush bench: unknown option --fast\n"));
        assertTrue(BenchTest.bench("--threads", "0").err().contains("--threads takes a positive number, got 0"));
        assertTrue(BenchTest.bench("--device", "tpu").err().contains("--device takes cpu or cuda, got tpu"));
        assertTrue(BenchTest.bench("--json").err().contains("--json needs a value"));
    }

    @Test void helpPrintsTheUsageAndRunsNothing() {
        BenchTest.Output o = BenchTest.bench("--smoke", "--help");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().startsWith("usage: gpush bench"), o.out());
        for (String option : List.of("--quick", "--smoke", "--device", "--threads", "--json", "--compare-pytorch",
                "--compare-numpy", "--python"))
            assertTrue(o.out().contains(option + " "), option + " is documented");
        assertFalse(o.out().contains("[1/"), "nothing was measured");
    }
}
