package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %classpath and %jars on real folders; %mavenRepo's list. */
class ClasspathMagicsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(dir.resolve("lib/sub"));
        for (String name : List.of("lib/a.jar", "lib/b.jar", "lib/readme.txt", "lib/sub/c.jar")) {
            Files.writeString(dir.resolve(name), "not really a jar");
        }
    }

    @Test
    void jarsExpandsGlobsToJarFilesInOrder() throws Exception {
        var context = new RecordingContext();
        new JarsMagic().run(context, dir + "/lib/*.jar", null);
        assertEquals(List.of(dir.resolve("lib/a.jar").toString(), dir.resolve("lib/b.jar").toString()),
                context.classpath);
        assertTrue(context.stdout().startsWith("Added to the class path:\n  " + dir.resolve("lib/a.jar") + " ("),
                context.stdout());
        var deep = new RecordingContext();
        new JarsMagic().run(deep, dir + "/lib/**/*.jar " + dir + "/lib/sub", null);
        assertEquals(List.of(dir.resolve("lib/sub/c.jar").toString()), deep.classpath); // once, though matched twice
    }

    @Test
    void aGlobThatMatchesNothingIsAnError() {
        var error = assertThrows(MagicException.class,
                () -> new JarsMagic().run(new RecordingContext(), dir + "/lib/*.war", null));
        assertEquals("%jars: no jar matches " + dir + "/lib/*.war", error.getMessage());
        assertThrows(MagicException.class, () -> new JarsMagic().run(new RecordingContext(), dir + "/none/*.jar", null));
    }

    @Test
    void classpathAddsExistingPathsAndRefusesMissingOnes() {
        var context = new RecordingContext();
        new ClasspathMagic().run(context, dir.resolve("lib/a.jar") + " " + dir.resolve("lib/sub"), null);
        assertEquals(List.of(dir.resolve("lib/a.jar").toString(), dir.resolve("lib/sub").toString()),
                context.classpath);
        var missing = assertThrows(MagicException.class,
                () -> new ClasspathMagic().run(new RecordingContext(), dir.resolve("gone.jar").toString(), null));
        assertTrue(missing.getMessage().startsWith("%classpath: " + dir.resolve("gone.jar") + " does not exist"),
                missing.getMessage());
        var none = assertThrows(MagicException.class, () -> new ClasspathMagic().run(new RecordingContext(), "", null));
        assertEquals("%classpath: no path given\nusage: %classpath PATH [PATH...]", none.getMessage());
    }

    @Test
    void aJarThatDeclaresAMagicRegistersItWhenItIsAdded() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/demo"));
        Files.writeString(src.resolve("Greet.java"), """
                package demo;
                public class Greet implements dev.gpush.magics.Magic {
                    public String name() { return "gpushTestGreet"; }
                    public String help() { return "greet"; }
                    public Object run(dev.gpush.magics.MagicContext c, String args, String body) {
                        c.print("hi " + args);
                        return null;
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.resolve("Greet.java").toString());
        assertEquals(0, compiled);
        Path jar = dir.resolve("greet.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("demo/Greet.class"));
            out.write(Files.readAllBytes(classes.resolve("demo/Greet.class")));
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.gpush.magics.Magic"));
            out.write("demo.Greet\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        var context = new RecordingContext();
        try {
            new JarsMagic().run(context, jar.toString(), null);
            assertTrue(context.stdout().endsWith("Magics added: %gpushTestGreet\n"), context.stdout());
            var greet = new RecordingContext();
            Magics.standard().get("gpushTestGreet").run(greet, "you", null);
            assertEquals("hi you", greet.stdout());
        } finally {
            Magics.unregister("gpushTestGreet");
        }
    }

    @Test
    void mavenRepoAddsRepositoriesAfterCentralAndChecksTheUrl() {
        var repositories = new MavenRepositories(dir);
        var magic = new MavenRepoMagic(repositories);
        var context = new RecordingContext();
        magic.run(context, "local file:" + dir + "/repo", null);
        magic.run(context, "", null);
        assertTrue(context.stdout().endsWith("""
                Maven repositories, searched in this order:
                  central  https://repo.maven.apache.org/maven2/
                  local  file:%s/repo
                """.formatted(dir)), context.stdout());
        var bad = assertThrows(MagicException.class, () -> magic.run(context, "x ftp://example", null));
        assertTrue(bad.getMessage().startsWith("%mavenRepo: 'ftp://example' is not an http(s):// or file: URL"),
                bad.getMessage());
    }
}
