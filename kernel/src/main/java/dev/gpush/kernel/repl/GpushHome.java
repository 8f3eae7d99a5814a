package dev.gpush.kernel.repl;

import java.nio.file.Path;

/**
 * The folder where gpush keeps a user's files: the shell's {@code history} and the images it saved under
 * {@code outputs/}. The system property {@code gpush.home} wins, then the variable {@code GPUSH_HOME}, then
 * {@code ~/.gpush}. Nothing is created here; each user of a path makes its folder when it first writes.
 */
public final class GpushHome {

    public static final String PROPERTY = "gpush.home";
    public static final String VARIABLE = "GPUSH_HOME";

    private GpushHome() {}

    public static Path dir() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String variable = System.getenv(VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        return Path.of(System.getProperty("user.home"), ".gpush");
    }

    /** The shell's history: one entry a line, multi-line entries escaped (JLine's format). */
    static Path history() {
        return dir().resolve("history");
    }

    /** Where images and charts shown in the shell are saved. */
    static Path outputs() {
        return dir().resolve("outputs");
    }
}
