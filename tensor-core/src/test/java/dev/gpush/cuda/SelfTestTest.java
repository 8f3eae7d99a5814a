package dev.gpush.cuda;

import dev.gpush.tensor.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The self test's checks are valid programs: run against the CPU itself, every one runs and agrees, so on a GPU a
 * FAIL or ERROR points at the CUDA backend, never at the check.
 */
class SelfTestTest {
    @Test
    void everyCheckRunsOnTheCpuAndAgreesWithItself() {
        SelfTest.Report r = SelfTest.run(Device.CPU);
        assertTrue(r.passed(), r.text());
        assertEquals(SelfTestChecks.all().size(), r.rows().size());
        assertTrue(r.rows().stream().allMatch(row -> row.status().equals("PASS")), r.text());
        assertTrue(r.text().endsWith(r.rows().size() + " passed, 0 failed, 0 not yet on this device\n"), r.text());
    }
}
