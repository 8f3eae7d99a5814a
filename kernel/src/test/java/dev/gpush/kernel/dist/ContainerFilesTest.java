package dev.gpush.kernel.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container files checked without a Docker engine: the project's Dockerfile rules, a real Dockerfile linter
 * (dockerfile-utils from npm), shellcheck on every shell script of the repository, and the compose file. Where a
 * Docker engine answers, the image is also built and run.
 */
class ContainerFilesTest {

    static final Path DOCKERFILE = Exec.ROOT.resolve("install/Dockerfile");
    static final Map<String, String> ENV = Map.of(
            "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
            "HOME", System.getProperty("user.home"));

    @TempDir
    Path dir;

    // --- the project's rules --------------------------------------------------------------------------------------

    @Test
    void theDockerfileKeepsTheProjectsRules() throws IOException {
        assertEquals(List.of(), DockerfileRules.check(Files.readString(DOCKERFILE)));
    }

    @Test
    void theRulesCatchWhatTheyAreFor() {
        var problems = DockerfileRules.check("""
                FROM nvidia/cuda:latest
                FROM ubuntu AS base
                ENV JUPYTER_TOKEN=abc123 \\
                    NVIDIA_VISIBLE_DEVICES=all
                ARG API_KEY=xyz
                COPY id_ed25519 /root/.ssh/
                RUN apt-get update && apt-get install -y curl openssh-server
                USER root
                """);

        assertEquals(List.of(
                "FROM nvidia/cuda:latest is not pinned to a full version tag",
                "FROM ubuntu is not pinned to a full version tag",
                "ENV JUPYTER_TOKEN bakes a secret into the image",
                "ARG API_KEY bakes a secret into the image",
                "COPY id_ed25519 /root/.ssh/ copies a key into the image",
                "apt-get install without --no-install-recommends: apt-get install -y curl openssh-server",
                "a RUN installs with apt-get but does not rm -rf /var/lib/apt/lists/* in the same layer",
                "openssh-server is installed but its host keys (/etc/ssh/ssh_host_*) stay in the image",
                "the final stage runs as root (its last USER is root)",
                "the final stage has no HEALTHCHECK",
                "the final stage has no SHELL with pipefail"), problems);
    }

    @Test
    void theImageStartsUnderTiniAndSetsWhatTheNvidiaRuntimeReads() throws IOException {
        var instructions = DockerfileRules.parse(Files.readString(DOCKERFILE));
        String entrypoint = instructions.stream().filter(i -> i.keyword().equals("ENTRYPOINT"))
                .reduce((first, last) -> last).orElseThrow().args();
        String env = String.join(" ", instructions.stream().filter(i -> i.keyword().equals("ENV"))
                .map(DockerfileRules.Instruction::args).toList());

        assertTrue(entrypoint.startsWith("[\"/usr/bin/tini\", \"--\", "), entrypoint);
        assertTrue(env.contains("NVIDIA_VISIBLE_DEVICES=all"), env);
        assertTrue(env.contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility"), env);
        assertTrue(instructions.contains(new DockerfileRules.Instruction("USER", "gpush")), instructions::toString);
    }

    @Test
    void composeReservesTheGpusAndGivesSharedMemory() throws IOException {
        String compose = Files.readString(Exec.ROOT.resolve("install/compose.yaml"));

        for (String needed : List.of("driver: nvidia", "count: all", "capabilities: [gpu]", "shm_size: 8gb",
                ":8888\"", ":/home/gpush/work", "dockerfile: install/Dockerfile")) {
            assertTrue(compose.contains(needed), () -> "compose.yaml lacks " + needed);
        }
    }

    // --- dockerfile-utils -----------------------------------------------------------------------------------------

    Exec lint(Path dockerfile) {
        assumeTrue(Exec.onPath("npm"), "npm is not installed, so dockerfile-utils cannot be");
        // npm gets this machine's whole environment: its registry may need a proxy or certificates named there
        var env = new java.util.HashMap<>(System.getenv());
        env.put("DOCKERFILE_UTILS_PREFIX", Exec.ROOT.resolve("kernel/target/dockerfile-utils").toString());
        return Exec.run(env, "bash", Exec.ROOT.resolve("install/lint-dockerfile.sh").toString(), dockerfile.toString());
    }

    @Test
    void dockerfileUtilsFindsNothingInTheDockerfile() {
        var result = lint(DOCKERFILE);

        assertEquals(0, result.exit(), result::toString);
    }

    @Test
    void dockerfileUtilsReportsABrokenDockerfile() throws IOException {
        var result = lint(Files.writeString(dir.resolve("Dockerfile"), "FROM ubuntu:24.04\nRUNN echo hi\n"));

        assertEquals(1, result.exit(), result::toString);
        assertTrue(result.out().contains("Unknown instruction: RUNN"), result::toString);
    }

    // --- shellcheck -----------------------------------------------------------------------------------------------

    /** Every shell script of the repository: *.sh files and files whose first line runs bash or sh. */
    static List<Path> shellScripts() throws IOException {
        try (Stream<Path> files = Files.walk(Exec.ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> Exec.ROOT.relativize(path).toString().split("/")[0].matches("[^.].*|\\.ci"))
                    .filter(path -> !path.toString().contains("/target/") && !path.toString().contains("/node_modules/"))
                    .filter(ContainerFilesTest::isShellScript)
                    .sorted()
                    .toList();
        }
    }

    static boolean isShellScript(Path path) {
        if (path.toString().endsWith(".sh")) {
            return true;
        }
        try (var reader = Files.newBufferedReader(path)) {
            String first = reader.readLine();
            return first != null && first.matches("#!\\s*(/usr/bin/env\\s+)?(/bin/|/usr/bin/)?(ba)?sh\\b.*");
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // not text
        }
    }

    @TestFactory
    Stream<DynamicTest> everyShellScriptPassesShellcheck() throws IOException {
        assumeTrue(Exec.onPath("shellcheck"), "shellcheck is not installed (apt install shellcheck)");
        var scripts = shellScripts();
        assertTrue(scripts.contains(Exec.ROOT.resolve("install/start.sh")), scripts::toString);
        return scripts.stream().map(script -> DynamicTest.dynamicTest(Exec.ROOT.relativize(script).toString(), () -> {
            var result = Exec.run(ENV, "shellcheck", script.toString());
            assertEquals(0, result.exit(), result::toString);
        }));
    }

    // --- the image, where a Docker engine answers ----------------------------------------------------------------

    @Test
    void theImageBuildsAndRunsGpush() {
        assumeTrue(Exec.onPath("docker"), "no docker command, so no image is built here");
        var info = Exec.run(ENV, "docker", "info");
        assumeTrue(info.exit() == 0, () -> "no Docker engine answers (docker info: " + info.err().strip()
                + "), so the image is not built here");
        String image = "gpush-test:" + ProcessHandle.current().pid();
        try {
            var build = Exec.run(ENV, "docker", "build", "-f", DOCKERFILE.toString(), "-t", image, Exec.ROOT.toString());
            assertEquals(0, build.exit(), build::toString);

            var version = Exec.run(ENV, "docker", "run", "--rm", image, "gpush", "--version");
            assertEquals(0, version.exit(), version::toString);
            assertTrue(version.out().contains("at /opt/gpush/runtime"), version::toString);

            var doctor = Exec.run(ENV, "docker", "run", "--rm", image, "gpush", "doctor");
            assertEquals(0, doctor.exit(), doctor::toString);

            var notebook = Exec.run(ENV, "docker", "run", "--rm",
                    "-v", Exec.ROOT.resolve("kernel/src/test/python") + ":/nb:ro", image,
                    "jupyter", "nbconvert", "--to", "notebook", "--execute", "--stdout", "/nb/notebook.ipynb");
            assertEquals(0, notebook.exit(), notebook::toString);
        } finally {
            Exec.run(ENV, "docker", "image", "rm", "-f", image);
        }
    }
}
