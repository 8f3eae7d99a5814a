package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** %env: a listing that hides secrets, reading one variable, setting the overlay that child processes get. */
class EnvMagicTest {

    private final Environment environment = new Environment(Map.of("PATH", "/usr/bin", "OPENAI_API_KEY", "sk-1",
            "GITHUB_TOKEN", "ghp", "DB_PASSWORD", "pw", "AWS_SECRET_ACCESS_KEY", "s", "GOOGLE_CREDENTIALS", "c",
            "HOME", "/root"));
    private final EnvMagic env = new EnvMagic(environment);

    private String run(String args) {
        var context = new RecordingContext();
        env.run(context, args, null);
        return context.stdout();
    }

    @Test
    void theListingIsSortedAndHidesLikelySecrets() {
        assertEquals("""
                AWS_SECRET_ACCESS_KEY=<hidden>
                DB_PASSWORD=<hidden>
                GITHUB_TOKEN=<hidden>
                GOOGLE_CREDENTIALS=<hidden>
                HOME=/root
                OPENAI_API_KEY=<hidden>
                PATH=/usr/bin
                """, run(""));
    }

    @Test
    void oneVariableAskedByNameIsShownEvenWhenSecret() {
        assertEquals("/root\n", run("HOME"));
        assertEquals("sk-1\n", run("OPENAI_API_KEY"));
        var missing = assertThrows(MagicException.class, () -> run("NOPE"));
        assertEquals("%env: the environment has no variable NOPE", missing.getMessage());
    }

    @Test
    void settingGoesToTheOverlayWithEitherForm() {
        assertEquals("env: CUDA_VISIBLE_DEVICES=0,1\n", run("CUDA_VISIBLE_DEVICES=0,1"));
        assertEquals("env: MODE=fast and safe\n", run("MODE fast and safe"));
        assertEquals("0,1\n", run("CUDA_VISIBLE_DEVICES"));
        assertEquals("env: HOME=/tmp\n", run("HOME = /tmp"));
        assertTrue(run("").contains("HOME=/tmp\n"));
        var child = new HashMap<String, String>(Map.of("PATH", "/bin"));
        environment.applyTo(child);
        assertEquals(Map.of("PATH", "/bin", "CUDA_VISIBLE_DEVICES", "0,1", "MODE", "fast and safe", "HOME", "/tmp"),
                child);
    }

    @Test
    void aBadNameGivesTheUsageLine() {
        var error = assertThrows(MagicException.class, () -> run("1X=2"));
        assertTrue(error.getMessage().endsWith("usage: " + env.usage()), error.getMessage());
    }
}
