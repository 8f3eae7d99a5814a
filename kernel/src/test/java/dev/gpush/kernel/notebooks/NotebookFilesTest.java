package dev.gpush.kernel.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The notebooks as committed: for the gpush kernel, without outputs, each with quick sizes and a test that runs it. */
class NotebookFilesTest {

    @Test
    void everyNotebookHasATestThatExecutesIt() throws IOException {
        assertEquals(new TreeSet<>(NotebooksTest.TESTED), NotebooksTest.names(),
                "each notebook in notebooks/ has a test in NotebooksTest");
    }

    @Test
    void notebooksAreCommittedWithoutOutputsForTheGpushKernel() throws IOException {
        for (String name : NotebooksTest.names()) {
            var notebook = Notebook.read(NotebooksTest.NOTEBOOKS.resolve(name + ".ipynb"));
            assertEquals("gpush", ((Map<?, ?>) notebook.metadata().get("kernelspec")).get("name"), name);
            for (var cell : notebook.codeCells()) {
                assertEquals(List.of(), Notebook.outputs(cell), () -> name + " has committed outputs");
                assertNull(cell.get("execution_count"), () -> name + " has an execution count");
            }
        }
    }

    @Test
    void theFirstCodeCellOfEachNotebookReadsTheQuickSwitch() throws IOException {
        for (String name : NotebooksTest.names()) {
            var first = Notebook.read(NotebooksTest.NOTEBOOKS.resolve(name + ".ipynb")).codeCells().getFirst();
            assertTrue(Notebook.source(first).contains("System.getenv(\"GPUSH_NOTEBOOK_QUICK\")"),
                    () -> name + ": the first code cell reads GPUSH_NOTEBOOK_QUICK, which the tests set");
        }
    }
}
