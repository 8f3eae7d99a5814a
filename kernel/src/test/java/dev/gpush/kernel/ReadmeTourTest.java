package dev.gpush.kernel;

import dev.gpush.kernel.engine.Engine;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's API tour is code a user will paste: it must run as written. */
class ReadmeTourTest {

    static String tourCode() throws Exception {
        Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
        String text = Files.readString(readme);
        int tour = text.indexOf("## API tour");
        int start = text.indexOf("```java\n", tour) + "```java\n".length();
        int end = text.indexOf("```", start);
        assertTrue(tour >= 0 && start > tour && end > start, "README has an API tour with a java block");
        return text.substring(start, end);
    }

    @Test
    void theApiTourInTheReadmeRunsAsWritten() throws Exception {
        try (Engine engine = new Engine()) {
            var evaluation = engine.eval(tourCode());
            assertTrue(evaluation.ok(), evaluation::toString);
        }
    }
}
