package dev.gpush.magics;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;

/** {@code %mavenRepo ID URL}: adds a Maven repository that {@code %maven} searches after Maven Central. */
final class MavenRepoMagic implements Magic {

    private final MavenRepositories repositories;

    MavenRepoMagic(MavenRepositories repositories) {
        this.repositories = repositories;
    }

    @Override
    public String name() {
        return "mavenRepo";
    }

    @Override
    public String help() {
        return "add a Maven repository for %maven, or list them";
    }

    @Override
    public String usage() {
        return "%mavenRepo ID URL, or %mavenRepo alone to list";
    }

    @Override
    public String doc() {
        return """
                Adds a repository that %maven searches after Maven Central, in the order added; adding an ID
                again replaces its URL. URLs are http(s):// or file:. Without arguments, lists the repositories.
                Example:
                  %mavenRepo jitpack https://jitpack.io""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        List<String> words = Args.split(args);
        if (body != null) {
            throw Args.usage(this, "%mavenRepo is a line magic");
        }
        if (words.isEmpty()) {
            context.print(repositories.remotes().stream().map(r -> "  " + r.id() + "  " + r.url())
                    .collect(Collectors.joining("\n", "Maven repositories, searched in this order:\n", "\n")));
            return null;
        }
        if (words.size() != 2) {
            throw Args.usage(this, "expected an ID and a URL, got " + words.size() + " words");
        }
        String id = words.get(0);
        String url = words.get(1);
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("file:")) {
            throw Args.usage(this, "'" + url + "' is not an http(s):// or file: URL");
        }
        try {
            new URI(url);
        } catch (URISyntaxException e) {
            throw Args.usage(this, "'" + url + "' is not a URL: " + e.getReason());
        }
        repositories.add(id, url);
        context.print("Maven repository " + id + " added: " + url + "\n");
        return null;
    }
}
