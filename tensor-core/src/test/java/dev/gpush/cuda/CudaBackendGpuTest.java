package dev.gpush.cuda;

import dev.gpush.tensor.Device;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every CUDA op against the CPU backend on random inputs (SelfTestChecks: broadcasting, transposed and strided
 * views, empty tensors, every dtype, random streams, autograd). Skipped where no GPU is present.
 */
@Tag("gpu")
class CudaBackendGpuTest {
    @TestFactory
    Stream<DynamicTest> everyOpAgreesWithTheCpu() {
        return SelfTestChecks.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason());
            SelfTest.Row r = SelfTest.check(c, Device.CUDA);
            assertEquals("PASS", r.status(), r.check() + ": max error " + r.maxError() + " (tolerance "
                    + r.tolerance() + ") " + r.detail());
        }));
    }
}
