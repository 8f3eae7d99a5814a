package dev.gpush.magics;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code %maven group:artifact:version...}: resolves artifacts and their dependencies from Maven Central and the
 * repositories {@code %mavenRepo} added ({@link MavenResolver}), and adds their jars to the session's class path.
 */
final class MavenMagic implements Magic {

    /** {@code group:artifact[:extension[:classifier]]:version}, as Maven Resolver reads coordinates. */
    private static final Pattern COORDINATE = Pattern.compile("[^: ]+:[^: ]+(:[^: ]*){0,2}:[^: ]+");

    private final MavenRepositories repositories;

    MavenMagic(MavenRepositories repositories) {
        this.repositories = repositories;
    }

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public String help() {
        return "add Maven artifacts and their dependencies to the class path";
    }

    @Override
    public String usage() {
        return "%maven group:artifact:version [group:artifact[:extension[:classifier]]:version...]";
    }

    @Override
    public String doc() {
        return """
                Resolves the artifacts and everything they need at run time (compile and runtime scopes, as Maven
                does) from Maven Central and the repositories added with %mavenRepo, and adds the jars to the
                class path without a restart. Downloads are cached in ~/.m2/repository (in $GPUSH_HOME/maven when
                GPUSH_HOME is set), so a second run works offline.
                A library that the kernel itself uses (Gson, Apache HttpClient, SLF4J, ...) is loaded in the
                kernel's version, whatever version %maven adds.
                Examples:
                  %maven org.apache.commons:commons-math3:3.6.1
                  %maven com.google.guava:guava:33.4.0-jre org.jfree:jfreechart:1.5.5""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        List<String> coordinates = Args.split(args);
        if (body != null || coordinates.isEmpty()) {
            throw Args.usage(this, body != null ? "%maven is a line magic" : "no artifact given");
        }
        for (String coordinate : coordinates) {
            if (!COORDINATE.matcher(coordinate).matches()) {
                throw Args.usage(this, "'" + coordinate + "' is not group:artifact:version");
            }
        }
        List<Path> jars = MavenResolver.resolve(repositories, coordinates, line -> context.print(line + "\n"));
        ClasspathMagic.add(context, jars);
        return null;
    }
}
