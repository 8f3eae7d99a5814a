package dev.gpush.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code gpush bench}, run as a real child process; checks the table's shape, never the speed. */
class BenchCommandTest {

    @Test
    void smokeBenchPrintsATableOfEveryWorkload() {
        var result = ChildProcess.run(ChildProcess.cli("bench", "--smoke", "--threads", "1"), "");
        assertEquals(0, result.exit(), result::toString);
        for (String workload : new String[]{"matmul", "add", "sum"})
            assertTrue(result.out().contains(workload), () -> workload + " missing:\n" + result);
    }

    @Test
    void aBadOptionIsRefusedWithTheUsage() {
        var result = ChildProcess.run(ChildProcess.cli("bench", "--no-such-option"), "");
        assertTrue(result.exit() != 0, result::toString);
        assertTrue(result.err().contains("--no-such-option"), result::toString);
    }
}
