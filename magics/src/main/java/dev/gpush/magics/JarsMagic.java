package dev.gpush.magics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code %jars GLOB...}: adds every jar that the globs match to the class path.
 *
 * <p>Rules: a glob is {@code java.nio}'s ({@code *} within a folder, {@code **} across folders, {@code ?},
 * {@code [abc]}, {@code {a,b}}), relative to the working folder or absolute, {@code ~} for the home folder. The
 * search starts at the longest leading part without glob characters. A pattern that matches no file is an error.
 * A folder that a pattern names without glob characters adds the jars directly in it.
 */
final class JarsMagic implements Magic {

    @Override
    public String name() {
        return "jars";
    }

    @Override
    public String help() {
        return "add the jars that globs match to the class path";
    }

    @Override
    public String usage() {
        return "%jars GLOB [GLOB...]";
    }

    @Override
    public String doc() {
        return """
                Adds every jar file the globs match to the session's class path. * matches within one folder,
                ** across folders; a plain folder means the jars directly in it. A glob that matches nothing is an
                error. Quote a glob that has spaces.
                Examples:
                  %jars lib/*.jar
                  %jars ~/deps/**/*.jar""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) throws IOException {
        List<String> globs = Args.split(args);
        if (body != null || globs.isEmpty()) {
            throw Args.usage(this, body != null ? "%jars is a line magic" : "no glob given");
        }
        var jars = new ArrayList<Path>();
        for (String glob : globs) {
            List<Path> found = expand(glob);
            if (found.isEmpty()) {
                throw new MagicException("%jars: no jar matches " + glob);
            }
            found.stream().filter(p -> !jars.contains(p)).forEach(jars::add);
        }
        ClasspathMagic.add(context, jars);
        return null;
    }

    /** The jar files {@code glob} matches, sorted. */
    static List<Path> expand(String glob) throws IOException {
        Path pattern = ClasspathMagic.path(glob);
        if (!hasGlob(glob)) {
            if (Files.isDirectory(pattern)) {
                try (Stream<Path> files = Files.list(pattern)) {
                    return files.filter(JarsMagic::isJar).sorted().toList();
                }
            }
            return isJar(pattern) ? List.of(pattern) : List.of();
        }
        Path root = pattern.getRoot();
        int fixed = 0;
        while (fixed < pattern.getNameCount() && !hasGlob(pattern.getName(fixed).toString())) {
            fixed++;
        }
        Path start = fixed == 0 ? root : root.resolve(pattern.subpath(0, fixed));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.walk(start)) {
            return files.filter(p -> matcher.matches(p) && isJar(p)).sorted().toList();
        } catch (UncheckedIOException e) {
            throw new MagicException("%jars: cannot search " + start + ": " + e.getCause().getMessage());
        }
    }

    private static boolean hasGlob(String text) {
        return text.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(".jar");
    }
}
