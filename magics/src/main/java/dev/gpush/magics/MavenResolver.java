package dev.gpush.magics;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.filter.ScopeDependencyFilter;

/**
 * Resolves Maven coordinates to jar files with Apache Maven Resolver, transitively, as Maven resolves a runtime
 * class path: compile and runtime scopes, no optional dependencies, one version per artifact (nearest wins).
 * Only {@link MavenMagic} touches this class, so a session loads the resolver's classes only when it uses it.
 */
final class MavenResolver {

    static {
        // SLF4J, which the resolver logs to, warns on stderr when no logger is bound; the resolver's logs are not
        // for notebook users
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private MavenResolver() {}

    /**
     * The jars of {@code coordinates} and of everything they depend on, in class path order; {@code progress} hears
     * of each download. An artifact that cannot be found or fetched is a {@link MagicException} naming it.
     */
    static List<Path> resolve(MavenRepositories repositories, List<String> coordinates, Consumer<String> progress) {
        RepositorySystem system = new RepositorySystemSupplier().get();
        try (var session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(repositories.local())
                .setSystemProperties(System.getProperties())
                .setTransferListener(new Downloads(progress))
                .build()) {
            var collect = new CollectRequest();
            coordinates.forEach(c -> collect.addDependency(new Dependency(new DefaultArtifact(c), "runtime")));
            repositories.remotes().forEach(r -> collect.addRepository(
                    new RemoteRepository.Builder(r.id(), "default", r.url()).build()));
            // a runtime class path: what compile and runtime scopes bring (test, provided and system stay out)
            var runtime = new ScopeDependencyFilter(List.of("compile", "runtime"), null);
            var request = new DependencyRequest(collect, runtime);
            return system.resolveDependencies(session, request).getArtifactResults().stream()
                    .map(ArtifactResult::getArtifact).map(a -> a.getPath()).toList();
        } catch (DependencyResolutionException e) {
            throw new MagicException("%maven: cannot resolve " + String.join(", ", coordinates) + ": "
                    + message(e));
        } finally {
            system.shutdown();
        }
    }

    /** The innermost message that says something: resolver exceptions nest "could not resolve" around the cause. */
    private static String message(Throwable e) {
        String message = e.getMessage();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        return message;
    }

    /** Tells of each jar fetched from a remote repository (poms and checksums go unsaid). */
    private static final class Downloads extends AbstractTransferListener {
        private final Consumer<String> progress;

        Downloads(Consumer<String> progress) {
            this.progress = progress;
        }

        @Override
        public void transferSucceeded(TransferEvent event) {
            if (event.getRequestType() == TransferEvent.RequestType.GET
                    && event.getResource().getResourceName().endsWith(".jar")) {
                var resource = event.getResource();
                progress.accept("Downloaded " + resource.getRepositoryUrl() + resource.getResourceName()
                        + " (" + Sizes.bytes(event.getTransferredBytes()) + ")");
            }
        }
    }
}
