package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %maven against Maven Central itself (two tests reach the network), and its argument checks. */
class MavenMagicTest {

    @TempDir
    Path local;

    @Test
    void anArtifactAndItsDependenciesAreDownloadedCachedAndAdded() {
        var context = new RecordingContext();
        new MavenMagic(new MavenRepositories(local)).run(context, "org.hamcrest:hamcrest-library:1.3", null);
        assertEquals(2, context.classpath.size(), context.classpath::toString);
        assertTrue(context.classpath.get(0).endsWith("hamcrest-library-1.3.jar"), context.classpath::toString);
        assertTrue(context.classpath.get(1).endsWith("hamcrest-core-1.3.jar"), context.classpath::toString); // transitive
        assertTrue(context.classpath.stream().allMatch(p -> p.startsWith(local.toString()) && Files.isRegularFile(Path.of(p))));
        assertTrue(context.stdout().contains("Downloaded https://repo.maven.apache.org/maven2/org/hamcrest/"
                + "hamcrest-core/1.3/hamcrest-core-1.3.jar ("), context.stdout());
        assertTrue(context.stdout().contains("Added to the class path:\n"), context.stdout());

        var again = new RecordingContext(); // from the cache: nothing downloaded
        new MavenMagic(new MavenRepositories(local)).run(again, "org.hamcrest:hamcrest-library:1.3", null);
        assertEquals(context.classpath, again.classpath);
        assertTrue(!again.stdout().contains("Downloaded"), again.stdout());
    }

    @Test
    void anArtifactThatDoesNotExistIsAClearError() {
        var error = assertThrows(MagicException.class, () -> new MavenMagic(new MavenRepositories(local))
                .run(new RecordingContext(), "dev.gpush.nonexistent:no-such-artifact:0.0.1", null));
        assertTrue(error.getMessage().startsWith("%maven: cannot resolve dev.gpush.nonexistent:no-such-artifact:0.0.1: "),
                error.getMessage());
        assertTrue(error.getMessage().contains("central (https://repo.maven.apache.org/maven2/"), error.getMessage());
    }

    @Test
    void aCoordinateWithoutAVersionGivesTheUsageLine() {
        var magic = new MavenMagic(new MavenRepositories(local));
        var error = assertThrows(MagicException.class, () -> magic.run(new RecordingContext(), "org.hamcrest:hamcrest", null));
        assertEquals("%maven: 'org.hamcrest:hamcrest' is not group:artifact:version\nusage: " + magic.usage(),
                error.getMessage());
    }
}
