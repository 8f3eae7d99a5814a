package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %%writefile, %run and %load on real files. */
class FileMagicsTest {

    @TempDir
    Path dir;

    @Test
    void writefileThenRunEvaluatesTheFileUnderItsOwnName() throws Exception {
        String file = dir.resolve("model.jsh").toString();
        var context = new RecordingContext();
        new WriteFileMagic().run(context, file, "int width = 8;\nint height = width * 2;");
        assertEquals("Writing " + file + "\n", context.stdout());
        assertEquals("int width = 8;\nint height = width * 2;\n", Files.readString(Path.of(file)));
        new RunMagic().run(context, file, null);
        assertEquals(new RecordingContext.Evaluated(file, "int width = 8;\nint height = width * 2;\n"),
                context.evaluated.getFirst());
    }

    @Test
    void writefileOverwritesOrAppendsAndSaysWhich() throws Exception {
        Path file = dir.resolve("notes.txt");
        var context = new RecordingContext();
        new WriteFileMagic().run(context, file.toString(), "one\n");
        new WriteFileMagic().run(context, "-a " + file, "two");
        assertEquals("one\ntwo\n", Files.readString(file));
        new WriteFileMagic().run(context, file.toString(), "three");
        assertEquals("three\n", Files.readString(file));
        assertEquals("Writing " + file + "\nAppending to " + file + "\nOverwriting " + file + "\n", context.stdout());
    }

    @Test
    void writefileNamesAFolderThatDoesNotExist() {
        var error = assertThrows(MagicException.class, () -> new WriteFileMagic().run(new RecordingContext(),
                dir.resolve("missing/out.jsh").toString(), "x"));
        assertTrue(error.getMessage().contains("the folder of") && error.getMessage().contains("does not exist"),
                error.getMessage());
        var usage = assertThrows(MagicException.class, () -> new WriteFileMagic().run(new RecordingContext(), "", "x"));
        assertTrue(usage.getMessage().endsWith("usage: %%writefile [-a] FILE as a cell's first line, the text below it"),
                usage.getMessage());
    }

    @Test
    void aRunThatFailsStopsTheCell() throws Exception {
        Path file = dir.resolve("broken.jsh");
        Files.writeString(file, "int x = ;\n");
        var context = new RecordingContext();
        context.evalResult = false;
        var error = assertThrows(MagicException.class, () -> new RunMagic().run(context, file.toString(), null));
        assertEquals("%run " + file + " stopped at the error above", error.getMessage());
        var missing = assertThrows(MagicException.class,
                () -> new RunMagic().run(context, dir.resolve("nope.jsh").toString(), null));
        assertTrue(missing.getMessage().startsWith("%run: "), missing.getMessage());
        assertTrue(missing.getMessage().contains("nope.jsh does not exist"), missing.getMessage());
    }

    @Test
    void loadPutsTheFilesTextIntoTheNextInput() throws Exception {
        Path file = dir.resolve("train loop.jsh");
        Files.writeString(file, "for (int i = 0; i < 3; i++) {\n    step();\n}\n");
        var context = new RecordingContext();
        new LoadMagic().run(context, "\"" + file + "\"", null);
        assertEquals("for (int i = 0; i < 3; i++) {\n    step();\n}\n", context.nextInput);
        assertTrue(context.evaluated.isEmpty());
    }
}
