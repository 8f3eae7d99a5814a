package dev.gpush.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gpush} launcher script, run by bash as a real process. It never builds here ({@code GPUSH_NO_BUILD=1}
 * or a stand-in {@code mvn}), so that running it inside {@code mvn verify} cannot recurse into Maven.
 */
class LauncherTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().getParent();
    static final Path LAUNCHER = ROOT.resolve("gpush");
    static final String BASH = Stream.of("/bin/bash", "/usr/bin/bash").filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst().orElse("bash");
    static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path dir;

    static ChildProcess launch(Path launcher, String stdin, Map<String, String> env, String... args) {
        var command = new java.util.ArrayList<>(List.of(BASH, launcher.toString()));
        command.addAll(List.of(args));
        return ChildProcess.run(command, stdin, env);
    }

    static Map<String, String> built(Map<String, String> env) {
        var all = new HashMap<>(env);
        all.put("GPUSH_NO_BUILD", "1");
        return all;
    }

    @Test
    void versionReportsAJdkOf25OrNewer() {
        var result = launch(LAUNCHER, "", built(Map.of("JAVA_HOME", JAVA_HOME)), "--version");

        assertEquals(0, result.exit(), result::toString);
        var java = Pattern.compile("(?m)^Java (\\d+)").matcher(result.out());
        assertTrue(java.find(), result::toString);
        assertTrue(Integer.parseInt(java.group(1)) >= 25, result::toString);
        assertTrue(result.out().contains("\nCUDA: "), result::toString);
    }

    @Test
    void otherArgumentsGoToTheCli() {
        var result = launch(LAUNCHER, "System.out.println(6 * 7);", built(Map.of("JAVA_HOME", JAVA_HOME)), "run", "-");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("42\n", result.out());
    }

    @Test
    void withoutAJdk25ItExitsThreeAndSaysWhatToInstall() throws IOException {
        Path jdk17 = fakeJdk(dir.resolve("jdk-17"), "17.0.2", true);
        Path bin = Files.createDirectories(dir.resolve("path/bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk17.resolve("bin/java"));
        fakeJdk(dir.resolve("jvms/jdk-21"), "21.0.5", true);
        fakeJdk(dir.resolve("jvms/jre-25"), "25.0.1", false); // a JRE: no javac, so no JShell

        var result = launch(LAUNCHER, "", built(Map.of(
                "JAVA_HOME", jdk17.toString(),
                "PATH", bin.toString(),
                "GPUSH_JDK_SEARCH_PATH", dir.resolve("jvms") + "/*")), "--version");

        assertEquals(3, result.exit(), result::toString);
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("gpush needs a JDK 25 or newer."), result::toString);
        assertTrue(result.err().contains("apt install openjdk-25-jdk"), result::toString);
        assertTrue(result.err().contains("JAVA_HOME"), result::toString);
    }

    @Test
    void theInstallFoldersAreSearchedWhenJavaHomeAndPathAreTooOld() throws IOException {
        Path jdk17 = fakeJdk(dir.resolve("jdk-17"), "17.0.2", true);
        Path jvms = Files.createDirectories(dir.resolve("jvms"));
        fakeJdk(jvms.resolve("jdk-21"), "21.0.5", true);
        Path link = Files.createSymbolicLink(jvms.resolve("the-real-one"), Path.of(JAVA_HOME));

        var result = launch(LAUNCHER, "", built(Map.of(
                "JAVA_HOME", jdk17.toString(),
                "PATH", jdk17.resolve("bin").toString(),
                "GPUSH_JDK_SEARCH_PATH", dir.resolve("nothing-here") + "/*:" + jvms + "/*")), "--version");
        Files.delete(link); // before @TempDir's clean-up, which warns about links that leave it

        assertEquals(0, result.exit(), result::toString);
        assertTrue(result.out().contains("\nJava " + Runtime.version().feature()), result::toString);
    }

    /** A launcher in a scratch repository, with a stand-in {@code mvn} that records its calls. */
    @Test
    void itBuildsOnTheFirstRunAndAgainOnlyWhenASourceChangesOrADependencyVanishes() throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.copy(LAUNCHER, repo.resolve("gpush"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Path source = Files.createDirectories(repo.resolve("kernel/src/main/java")).resolve("Some.java");
        Files.writeString(source, "class Some {}");
        Path calls = dir.resolve("mvn-calls.txt");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("mvn"), """
                #!/bin/bash
                echo "$*" >> "$MVN_CALLS"
                [[ -e fail-build ]] && { echo "BUILD FAILURE: the stand-in build broke"; exit 1; }
                mkdir -p kernel/target/classes deps
                printf '%s' "$PWD/deps:$TEST_CLASSPATH" > kernel/target/classpath.txt
                """);
        var env = Map.of("JAVA_HOME", JAVA_HOME, "PATH", bin + ":/usr/bin:/bin", "MVN_CALLS", calls.toString(),
                "TEST_CLASSPATH", System.getProperty("java.class.path"), "GPUSH_NO_BUILD", "");
        Path launcher = repo.resolve("gpush");

        var first = launch(launcher, "", env, "--version");
        assertEquals(0, first.exit(), first::toString);
        assertEquals("gpush: building (first run, about a minute)...\n", first.err());
        assertTrue(first.out().startsWith("gpush "), first::toString);
        assertEquals(List.of("-B -q -DskipTests install"), Files.readAllLines(calls));

        var second = launch(launcher, "", env, "--version");
        assertEquals(0, second.exit(), second::toString);
        assertEquals("", second.err(), "nothing changed, so no build");
        assertEquals(1, Files.readAllLines(calls).size());

        Path stamp = repo.resolve("kernel/target/gpush.stamp");
        edit(source, stamp);
        var edited = launch(launcher, "", env, "--version");
        assertEquals(0, edited.exit(), edited::toString);
        assertEquals("gpush: building (sources changed)...\n", edited.err());
        assertEquals(2, Files.readAllLines(calls).size());

        Files.delete(repo.resolve("deps"));
        var cleaned = launch(launcher, "", env, "--version");
        assertEquals("gpush: building (a dependency is gone)...\n", cleaned.err());
        assertEquals(3, Files.readAllLines(calls).size());

        Files.createFile(repo.resolve("fail-build"));
        edit(source, stamp);
        var broken = launch(launcher, "", env, "--version");
        assertEquals(1, broken.exit(), broken::toString);
        assertEquals("", broken.out());
        assertTrue(broken.err().contains("gpush: the build failed"), broken::toString);
        assertTrue(broken.err().contains("BUILD FAILURE: the stand-in build broke"), broken::toString);
    }

    /** Makes {@code source} look edited since the last build, by moving the build's stamp into the past. */
    static void edit(Path source, Path stamp) throws IOException {
        long edited = Files.getLastModifiedTime(source).toMillis();
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(edited - 60_000));
    }

    /** A directory that looks like a JDK: a release file and a java that answers -XshowSettings. */
    static Path fakeJdk(Path home, String version, boolean withCompiler) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        executable(bin.resolve("java"), """
                #!/bin/bash
                echo "    java.home = %s" >&2
                echo "    java.specification.version = %s" >&2
                """.formatted(home, version.replaceFirst("\\..*", "")));
        if (withCompiler) {
            executable(bin.resolve("javac"), "#!/bin/bash\nexit 1\n");
        }
        return home;
    }

    static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
