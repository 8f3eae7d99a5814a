package dev.gpush.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file that cannot be read as what it claims to be (truncated, corrupt, or holding something gpush
 * cannot represent), or a value that cannot be written. The message starts with the file and says what is wrong.
 */
public final class TensorFileException extends IOException {
    private final Path file;

    public TensorFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public TensorFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() { return file; }
}
