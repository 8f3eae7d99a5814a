package dev.gpush.magics;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code %classpath PATH...}: adds jars or class folders to the session's class path. */
final class ClasspathMagic implements Magic {

    @Override
    public String name() {
        return "classpath";
    }

    @Override
    public String help() {
        return "add jars or class folders to the class path";
    }

    @Override
    public String usage() {
        return "%classpath PATH [PATH...]";
    }

    @Override
    public String doc() {
        return """
                Adds each jar or folder of classes to the class path of the session's compiler and class loader,
                without a restart. Paths are relative to the kernel's working directory; ~ is your home. Every
                path must exist. For many jars use %jars GLOB, for Maven artifacts %maven.
                Example:
                  %classpath lib/commons-math3-3.6.1.jar target/classes""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        List<String> paths = Args.split(args);
        if (body != null || paths.isEmpty()) {
            throw Args.usage(this, body != null ? "%classpath is a line magic" : "no path given");
        }
        List<Path> resolved = paths.stream().map(ClasspathMagic::path).toList();
        for (int i = 0; i < resolved.size(); i++) {
            if (!Files.exists(resolved.get(i))) {
                throw new MagicException("%classpath: " + paths.get(i) + " does not exist (looked at "
                        + resolved.get(i) + ")");
            }
        }
        add(context, resolved);
        return null;
    }

    /** {@code text} as an absolute path: {@code ~} is the home folder, a relative path is from the working folder. */
    static Path path(String text) {
        String expanded = text.equals("~") || text.startsWith("~/")
                ? System.getProperty("user.home") + text.substring(1) : text;
        return Path.of(expanded).toAbsolutePath().normalize();
    }

    /**
     * Adds {@code paths} to the class path, registers the magics they declare as {@code ServiceLoader} providers of
     * {@link Magic}, and says what was added.
     */
    static void add(MagicContext context, List<Path> paths) {
        var text = new StringBuilder("Added to the class path:\n");
        for (Path path : paths) {
            context.addToClasspath(path.toString());
            text.append("  ").append(path).append(Files.isRegularFile(path) ? " (" + Sizes.bytes(path) + ")" : "")
                    .append('\n');
        }
        List<String> magics = registerMagics(paths);
        if (!magics.isEmpty()) {
            text.append("Magics added: ").append(String.join(", ", magics)).append('\n');
        }
        context.print(text.toString());
    }

    /**
     * Registers the magics that {@code paths} declare in {@code META-INF/services/dev.gpush.magics.Magic} (the
     * {@code ServiceLoader} format); returns their names. They load in a class loader of their own over these paths
     * (the session's loader is the engine's), so a magic's classes are not the ones the session's snippets see.
     */
    static List<String> registerMagics(List<Path> paths) {
        String className = "";
        try {
            URL[] urls = new URL[paths.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = paths.get(i).toUri().toURL();
            }
            var loader = new URLClassLoader(urls, Magic.class.getClassLoader());
            var names = new ArrayList<String>();
            // findResources, not getResources: the added paths' declarations only, not the ones loaded already
            for (URL services : Collections.list(loader.findResources("META-INF/services/" + Magic.class.getName()))) {
                try (var in = services.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        className = line.replaceFirst("#.*", "").strip();
                        if (!className.isEmpty()) {
                            var magic = (Magic) Class.forName(className, true, loader).getConstructor().newInstance();
                            Magics.register(magic);
                            names.add("%" + magic.name());
                        }
                    }
                }
            }
            return names;
        } catch (IOException | ReflectiveOperationException | ClassCastException | LinkageError
                 | IllegalArgumentException e) {
            throw new MagicException("the jars were added, but their magic " + className + " cannot be loaded: " + e);
        }
    }
}
