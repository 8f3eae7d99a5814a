package dev.gpush.kernel.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained distribution, made by install/dist.sh from this build (no Maven run: {@code --no-build}),
 * unpacked into a temporary folder and run there as a user would: with a PATH of only /usr/bin:/bin and no
 * JAVA_HOME, so that nothing but the bundled runtime can start it.
 */
class DistributionTest {

    static final long MAX_TARBALL_BYTES = 120L * 1024 * 1024;

    @TempDir
    static Path dir;
    static Path tarball;
    static Path gpush;   // the unpacked folder

    @BeforeAll
    static void makeAndUnpack() throws IOException {
        var env = Map.of(
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", dir.toString(),
                "JAVA_HOME", System.getProperty("java.home"));
        var made = Exec.run(env, "bash", Exec.ROOT.resolve("install/dist.sh").toString(), "--no-build",
                "--out", dir.resolve("out").toString());
        assertEquals(0, made.exit(), made::toString);
        tarball = Path.of(made.out().strip());
        var unpacked = Files.createDirectories(dir.resolve("unpacked"));
        var untar = Exec.run(bare(), "tar", "-C", unpacked.toString(), "-xzf", tarball.toString());
        assertEquals(0, untar.exit(), untar::toString);
        try (Stream<Path> folders = Files.list(unpacked)) {
            gpush = folders.findFirst().orElseThrow();
        }
    }

    /** A machine with no JDK in sight: system tools only, no JAVA_HOME. */
    static Map<String, String> bare() {
        return new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", dir.resolve("home").toString(), "LANG", "C.UTF-8"));
    }

    static Exec gpush(Map<String, String> env, String stdin, String... args) {
        var command = new java.util.ArrayList<>(List.of(gpush.resolve("bin/gpush").toString()));
        command.addAll(List.of(args));
        return Exec.run(command, env, stdin);
    }

    @Test
    void theTarballHoldsOneFolderWithRuntimeJarsLauncherAndNotices() throws IOException {
        assertTrue(tarball.getFileName().toString().matches("gpush-.+-linux-x86_64\\.tar\\.gz"), tarball::toString);
        assertEquals(tarball.getFileName().toString(), gpush.getFileName() + "-linux-x86_64.tar.gz");
        assertTrue(Files.size(tarball) < MAX_TARBALL_BYTES, () -> "the tarball is " + tarball.toFile().length()
                + " bytes, over the 120 MiB goal");
        for (String path : List.of("bin/gpush", "runtime/bin/java", "runtime/lib/server/classes_coh.jsa",
                "lib/classpath.txt", "lib/gpush.aot", "README.md", "NOTICE.md")) {
            assertTrue(Files.exists(gpush.resolve(path)), () -> path + " is missing");
        }
        assertTrue(Files.isExecutable(gpush.resolve("bin/gpush")));
        assertTrue(Files.readString(gpush.resolve("NOTICE.md")).contains("| picocli-4.7.7.jar | The Apache Software"),
                "NOTICE.md names each jar's licence");
        var jars = Files.readAllLines(gpush.resolve("lib/classpath.txt"));
        assertTrue(jars.getFirst().startsWith("kernel-"), jars::toString);
        for (String module : List.of("magics-", "tensor-core-", "picocli-", "jeromq-", "jline-")) {
            assertTrue(jars.stream().anyMatch(jar -> jar.startsWith(module) && Files.exists(gpush.resolve("lib/" + jar))),
                    () -> module + "*.jar is missing from " + jars);
        }
    }

    @Test
    void theRuntimeHasJShellTheCompilerAndHeadlessAwt() {
        var modules = Exec.run(bare(), gpush.resolve("runtime/bin/java").toString(), "--list-modules");

        for (String module : List.of("jdk.jshell@", "jdk.compiler@", "java.desktop@", "jdk.unsupported@")) {
            assertTrue(modules.out().contains(module), modules::toString);
        }
    }

    @Test
    void versionRunsOnTheBundledRuntimeWithNoJdkAround() {
        var result = gpush(bare(), "", "--version");

        assertEquals(0, result.exit(), result::toString);
        assertTrue(result.out().startsWith("gpush " + gpush.getFileName().toString().substring("gpush-".length())),
                result::toString);
        assertTrue(result.out().contains("at " + gpush.resolve("runtime") + "\n"), result::toString);
    }

    @Test
    void aCellRunsFromStandardInputFromRunAndFromDashC() {
        var piped = gpush(bare(), "Tensor.ones(2).sum()");
        var script = gpush(bare(), "System.out.println(Tensor.ones(2).sum());", "run", "-");
        var dashC = gpush(bare(), "", "-c", "Tensor.ones(3).sum()");

        assertEquals(0, piped.exit(), piped::toString);
        assertEquals("tensor(2.)\n", piped.out(), piped::toString);
        assertEquals(0, script.exit(), script::toString);
        assertEquals("tensor(2.)\n", script.out(), script::toString);
        assertEquals(0, dashC.exit(), dashC::toString);
        assertEquals("tensor(3.)\n", dashC.out(), dashC::toString);
    }

    @Test
    void aCellThatFailsExitsOne() {
        var result = gpush(bare(), "", "-c", "Tensor.ones(2, 3).matmul(Tensor.ones(2, 3))");

        assertEquals(1, result.exit(), result::toString);
        assertTrue(result.err().contains("matmul: shapes [2, 3] and [2, 3] cannot be multiplied"), result::toString);
    }

    @Test
    void theLauncherFindsItsFolderThroughSymlinks() throws IOException {
        Path links = Files.createDirectories(dir.resolve("links/bin"));
        Path relative = Files.createSymbolicLink(links.resolve("gpush-relative"),
                links.relativize(gpush.resolve("bin/gpush")));
        Path chained = Files.createSymbolicLink(links.resolve("gpush"), relative.getFileName());

        var result = Exec.run(bare(), chained.toString(), "--version");

        assertEquals(0, result.exit(), result::toString);
        assertTrue(result.out().contains("at " + gpush.resolve("runtime") + "\n"), result::toString);
    }

    @Test
    void theAotCacheFitsTheUnpackedFolderAndAnUnusableOneIsSkippedSilently() throws IOException {
        // AOTMode=on makes an unusable cache an error, so this shows the shipped cache is really used
        var strict = bare();
        strict.put("JDK_JAVA_OPTIONS", "-XX:AOTMode=on");
        var used = gpush(strict, "", "--version");
        assertEquals(0, used.exit(), used::toString);

        // a cache the JVM cannot use: one from another runtime or build, here simply a damaged file
        Path cache = gpush.resolve("lib/gpush.aot");
        Path kept = Files.move(cache, dir.resolve("gpush.aot.kept"));
        try {
            Files.write(cache, new byte[64 * 1024]);
            var refused = gpush(strict, "", "--version");
            var fallback = gpush(bare(), "", "--version");

            assertNotEquals(0, refused.exit(), "a damaged cache must be unusable: " + refused);
            assertEquals(0, fallback.exit(), fallback::toString);
            assertEquals("", fallback.err(), "the fallback is silent");
        } finally {
            Files.move(kept, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void installKernelIntoAPrefixIsFoundByJupyterAndRuns() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/jupyter-kernelspec")),
                "Debian's jupyter kernelspec is absent (apt install jupyter-client python3-jupyter-client)");
        assumeTrue(gpush(bare(), "", "--help").out().contains(" install-kernel "), "gpush has no install-kernel yet");
        Path prefix = dir.resolve("prefix");

        var installed = gpush(bare(), "", "install-kernel", "--prefix", prefix.toString());
        var jupyterEnv = bare();
        jupyterEnv.put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        var listed = Exec.run(jupyterEnv, "/usr/bin/jupyter", "kernelspec", "list");

        assertEquals(0, installed.exit(), installed::toString);
        assertEquals(0, listed.exit(), listed::toString);
        assertTrue(listed.out().lines().anyMatch(line -> line.strip().startsWith("gpush ")
                && line.strip().endsWith(prefix.resolve("share/jupyter/kernels/gpush").toString())), listed::toString);
        String kernelJson = Files.readString(prefix.resolve("share/jupyter/kernels/gpush/kernel.json"));
        assertTrue(kernelJson.contains("\"" + gpush.resolve("runtime/bin/java") + "\""), kernelJson);

        var ran = Exec.run(List.of("/usr/bin/python3", "-c", """
                from jupyter_client.manager import start_new_kernel
                km, kc = start_new_kernel(kernel_name="gpush", startup_timeout=120)
                try:
                    results = []
                    def hook(msg):
                        if msg["msg_type"] == "execute_result":
                            results.append(msg["content"]["data"]["text/plain"])
                    reply = kc.execute_interactive("Tensor.ones(4).sum()", timeout=120, output_hook=hook)
                    print(reply["content"]["status"], results)
                finally:
                    kc.stop_channels()
                    km.shutdown_kernel(now=True)
                """), jupyterEnv, "");
        assertEquals(0, ran.exit(), ran::toString);
        assertEquals("ok ['tensor(4.)']\n", ran.out(), ran::toString);
    }
}
