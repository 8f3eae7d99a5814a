package dev.gpush.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once, so a reader (or a restart after a crash) sees the old file or the new one, never
 * a mix or a truncated file.
 *
 * <p>Rules:
 * <ul>
 *   <li>The new content goes to a temporary file in the target's directory ({@code .NAME.tmp-RANDOM}, hidden, on
 *       the same file system), is forced to disk, and is renamed over the target with {@code ATOMIC_MOVE}; the
 *       directory is then forced so the rename itself survives a power cut (best effort: not every file system
 *       lets a directory be opened).</li>
 *   <li>If writing fails for any reason the temporary file is deleted and the target is untouched. A process
 *       killed mid-write leaves its temporary file behind (nothing can delete it), never a damaged target.</li>
 *   <li>The temporary file is created with the default permissions, so the result has the permissions a plain
 *       write would give it.</li>
 * </ul>
 */
final class AtomicFile {
    private AtomicFile() {}

    /** Writes the new content of a file into the channel it is given. */
    @FunctionalInterface
    interface Body {
        void writeTo(FileChannel out) throws IOException;
    }

    static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new TensorFileException(target, "cannot write: the path has no parent directory");
        if (!Files.isDirectory(dir)) throw new TensorFileException(target, "cannot write: directory " + dir + " does not exist");
        Path tmp = null;
        FileChannel ch = null;
        try {
            while (ch == null) {
                tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) { /* another name */ }
            }
            try (FileChannel out = ch) {
                body.writeTo(out);
                out.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new TensorFileException(target, "cannot replace the file atomically on this file system", e);
            }
            tmp = null;
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
        forceDirectory(dir);
    }

    // never hides the exception that made the write fail
    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) { /* the write's own failure is the one to report */ }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // some platforms cannot open a directory; the rename is still atomic, only its durability is weaker
        }
    }
}
