package dev.gpush.io;

import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A save that fails or is killed part way leaves the previous file whole. */
class AtomicFileTest {
    @TempDir Path dir;

    private Path previousCheckpoint() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoints.save(file, Map.of("model", Map.of("w", Tensor.of(1.0f, 2.0f)), "epoch", 3));
        return file;
    }

    private List<Path> filesInDir() throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test void aWriterThatFailsHalfwayLeavesThePreviousFileIntact() throws IOException {
        Path file = previousCheckpoint();
        byte[] before = Files.readAllBytes(file);
        var e = assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("No space left on device (simulated)");
        }));
        assertEquals("No space left on device (simulated)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(file, out -> {
            out.write(ByteBuffer.wrap(new byte[1000]));
            throw new IllegalStateException("a bug halfway through writing");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(3, Checkpoints.load(file).get("epoch"));
        assertEquals(List.of(file), filesInDir(), "the temporary files are deleted");
    }

    @Test void aProcessKilledMidWriteLeavesThePreviousFileIntact() throws Exception {
        Path file = previousCheckpoint();
        byte[] before = Files.readAllBytes(file);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AtomicWriteChild.class.getName(), file.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("halfway", out.readLine(), "the child reached the middle of its write");
            child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
            child.waitFor();
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(3, Checkpoints.load(file).get("epoch"));
        List<Path> left = filesInDir().stream().filter(p -> !p.equals(file)).toList();
        assertEquals(1, left.size(), "the killed write's temporary file is all that is left of it: " + left);
        assertTrue(left.get(0).getFileName().toString().startsWith(".ckpt.safetensors.tmp-"));
        assertEquals(AtomicWriteChild.HALF, Files.size(left.get(0)));

        Checkpoints.save(file, Map.of("epoch", 4)); // and the next save works as usual
        assertEquals(4, Checkpoints.load(file).get("epoch"));
    }

    @Test void writingIntoAMissingDirectoryNamesIt() {
        Path file = dir.resolve("no/such/dir/x.npy");
        var e = assertThrows(TensorFileException.class, () -> Npy.save(Tensor.of(1.0f), file));
        assertTrue(e.getMessage().contains("directory " + dir.resolve("no/such/dir") + " does not exist"), e.getMessage());
    }

    @Test void theResultHasOrdinaryPermissionsNotThoseOfATemporaryFile() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Path saved = dir.resolve("saved.npy");
        Npy.save(Tensor.of(1.0f), saved);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(saved));
    }
}
