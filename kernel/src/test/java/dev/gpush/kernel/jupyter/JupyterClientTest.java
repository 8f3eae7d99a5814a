package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.io.Json;
import dev.gpush.kernel.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed kernel driven by the real Jupyter client: the Python tests in src/test/python (jupyter_client's
 * KernelManager and BlockingKernelClient, and Jupyter's conformance suite jupyter_kernel_test), and a notebook run
 * by nbconvert. They are skipped only where /usr/bin/python3 has no jupyter_client.
 */
class JupyterClientTest {

    @TempDir
    static Path root;

    static Jupyter jupyter;

    @BeforeAll
    static void installTheKernelspec() {
        assumeTrue(Jupyter.hasJupyterClient(), "/usr/bin/python3 cannot import jupyter_client");
        jupyter = Jupyter.install(root, "gpush-test");
    }

    static void assertPassed(ChildProcess result) {
        assertEquals(0, result.exit(), result::toString);
    }

    @Test
    void executeStreamsDisplaysErrorsCompletionInspectionHistoryStdinCommsAndSignatures() {
        assertPassed(jupyter.python("-m", "unittest", "-v", "test_protocol.ProtocolTest"));
    }

    @Test
    void interruptStopsARunningCellAndKeepsTheSession() {
        assertPassed(jupyter.python("-m", "unittest", "-v", "test_protocol.InterruptTest"));
    }

    @Test
    void shutdownAndRestartEndTheProcessCleanly() {
        assertPassed(jupyter.python("-m", "unittest", "-v", "test_protocol.ShutdownTest"));
    }

    @Test
    void jupyterKernelTestConformanceSuitePasses() {
        assertPassed(jupyter.python("-m", "unittest", "-v", "test_conformance"));
    }

    @Test
    void aNotebookRunsUnderNbconvert() throws IOException {
        Path out = Files.createDirectories(root.resolve("nbconvert"));
        // `jupyter nbconvert` runs this same module; Debian ships its command in the jupyter-nbconvert package
        assertPassed(jupyter.python("-m", "nbconvert", "--to", "notebook", "--execute", "notebook.ipynb",
                "--output-dir", out.toString(), "--ExecutePreprocessor.kernel_name=" + jupyter.kernelName,
                "--ExecutePreprocessor.timeout=600"));

        var cells = (List<?>) ((Map<?, ?>) Json.parse(Files.readString(out.resolve("notebook.ipynb")))).get("cells");
        assertEquals(List.of(Map.of("output_type", "stream", "name", "stdout", "text", List.of("sum = 6.0\n"))),
                outputs(cells.get(0)));
        var square = (Map<?, ?>) outputs(cells.get(1)).getFirst();
        assertEquals("execute_result", square.get("output_type"));
        assertEquals(List.of("144"), ((Map<?, ?>) square.get("data")).get("text/plain"));
        var shown = (Map<?, ?>) outputs(cells.get(2)).getFirst();
        assertEquals("display_data", shown.get("output_type"));
        assertTrue(((Map<?, ?>) shown.get("data")).containsKey("text/html"), "a small tensor shows as a table");
    }

    private static List<?> outputs(Object cell) {
        return (List<?>) ((Map<?, ?>) cell).get("outputs");
    }
}
