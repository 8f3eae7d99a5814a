package dev.gpush.magics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code %maven} looks for artifacts and where it keeps them.
 *
 * <p>Rules: Maven Central first, then the repositories {@code %mavenRepo} added, in order; adding an id again
 * replaces its URL. Downloads are cached in the local repository: {@code <gpush home>/maven} when the system
 * property {@code gpush.home} or the variable {@code GPUSH_HOME} names a gpush home, else Maven's own
 * {@code ~/.m2/repository}, which a user's Maven builds fill and share.
 */
final class MavenRepositories {

    record Remote(String id, String url) {}

    static final Remote CENTRAL = new Remote("central", "https://repo.maven.apache.org/maven2/");

    private final List<Remote> remotes = new ArrayList<>(List.of(CENTRAL));
    private final Path local;

    MavenRepositories() {
        this(defaultLocal());
    }

    MavenRepositories(Path local) {
        this.local = local;
    }

    synchronized List<Remote> remotes() {
        return List.copyOf(remotes);
    }

    synchronized void add(String id, String url) {
        remotes.removeIf(r -> r.id().equals(id));
        remotes.add(new Remote(id, url));
    }

    Path local() {
        return local;
    }

    private static Path defaultLocal() {
        String property = System.getProperty("gpush.home");
        String variable = System.getenv("GPUSH_HOME");
        if (property != null && !property.isBlank()) {
            return Path.of(property, "maven");
        }
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable, "maven");
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
