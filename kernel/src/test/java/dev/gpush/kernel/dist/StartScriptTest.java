package dev.gpush.kernel.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's entrypoint, install/start.sh, run by bash in fake environments: its PATH holds links to the few
 * system tools it needs plus fakes of nvidia-smi, df, id and jupyter, and the folders it probes are temporary ones.
 * So each test decides what GPU, driver, shared memory and user the script sees, whatever machine runs it.
 */
class StartScriptTest {

    static final Path START = Exec.ROOT.resolve("install/start.sh");
    static final List<String> TOOLS = List.of("bash", "sh", "sed", "head", "awk", "mkdir", "chmod", "cat", "grep",
            "od", "tr", "ssh-keygen", "env");
    static final String OLD_DRIVER_MESSAGE = "too old for CUDA 13, which needs 580 or newer";

    @TempDir
    Path dir;
    Path bin;
    Path home;
    Map<String, String> env;

    @BeforeEach
    void fakeMachine() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : TOOLS) {
            for (String folder : List.of("/usr/bin", "/bin")) {
                Path real = Path.of(folder, tool);
                if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), real);
                }
            }
        }
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("work"));
        fake("id", "case $1 in -u) echo 1000 ;; -un) echo gpush ;; *) echo 'uid=1000(gpush)' ;; esac");
        fake("df", dfPrinting(8 * 1024 * 1024));
        // jupyter stands in for JupyterLab: it shows what it was started with
        fake("jupyter", "echo \"jupyter $*\"; echo \"token=[${JUPYTER_TOKEN-unset}]\"");
        env = new HashMap<>(Map.of(
                "PATH", bin.toString(),
                "HOME", home.toString(),
                "GPUSH_PROC_DRIVER", Files.createDirectories(dir.resolve("proc/driver/nvidia")).toString(),
                "GPUSH_DEV_DIR", Files.createDirectories(dir.resolve("dev")).toString(),
                "GPUSH_JUPYTER_PORT_FILE", dir.resolve("jupyter.port").toString()));
    }

    void fake(String name, String body) throws IOException {
        Path script = bin.resolve(name);
        Files.deleteIfExists(script);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static String dfPrinting(long kilobytes) {
        return "echo 'Filesystem 1024-blocks Used Available Capacity Mounted on'; echo \"shm " + kilobytes
                + " 0 " + kilobytes + " 0% $2\"";
    }

    Exec start(String... args) {
        var command = new java.util.ArrayList<>(List.of(bin.resolve("bash").toString(), START.toString()));
        command.addAll(List.of(args));
        return Exec.run(command, env, "");
    }

    // --- the GPU and the driver ---------------------------------------------------------------------------------

    @Test
    void withNoGpuItSaysToStartWithGpusAllAndStillStartsJupyter() {
        var result = start();

        assertEquals(0, result.exit(), result::toString);
        assertTrue(result.err().contains("no GPU is visible in this container"), result::toString);
        assertTrue(result.err().contains("--gpus all"), result::toString);
        assertTrue(result.out().startsWith("jupyter lab "), result::toString);
    }

    @Test
    void anNvidiaSmiThatFindsNoGpuIsQuotedWithTheSameHint() throws IOException {
        fake("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9");

        var result = start();

        assertTrue(result.err().contains("nvidia-smi says: NVIDIA-SMI has failed"), result::toString);
        assertTrue(result.err().contains("--gpus all"), result::toString);
    }

    @Test
    void aDriverOlderThan580IsNamedWithTheVersionCuda13Needs() throws IOException {
        fake("nvidia-smi", "echo 550.54.14; echo 550.54.14");

        var result = start();

        assertTrue(result.err().contains("the NVIDIA driver is 550.54.14, " + OLD_DRIVER_MESSAGE), result::toString);
        assertFalse(result.err().contains("no GPU"), result::toString);
    }

    @Test
    void aDriverForCuda13PassesSilently() throws IOException {
        fake("nvidia-smi", "echo 580.95.05");

        var result = start();

        assertFalse(result.err().contains("GPU"), result::toString);
        assertFalse(result.err().contains("driver"), result::toString);
    }

    @Test
    void withoutNvidiaSmiTheDriverVersionComesFromProc() throws IOException {
        Files.writeString(Path.of(env.get("GPUSH_PROC_DRIVER")).resolve("version"),
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n"
                        + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n");
        Files.createFile(Path.of(env.get("GPUSH_DEV_DIR")).resolve("nvidiactl"));

        var result = start();

        assertTrue(result.err().contains("the NVIDIA driver is 535.104.05, " + OLD_DRIVER_MESSAGE), result::toString);
    }

    // --- shared memory ------------------------------------------------------------------------------------------

    @Test
    void dockersDefault64MbOfShmGetsTheShmSizeHint() throws IOException {
        fake("df", dfPrinting(65536));

        var result = start();

        assertTrue(result.err().contains("/dev/shm is 64 MB, Docker's default."), result::toString);
        assertTrue(result.err().contains("--shm-size=8g or --ipc=host"), result::toString);
    }

    @Test
    void enoughShmPassesSilently() {
        var result = start();

        assertFalse(result.err().contains("shm"), result::toString);
    }

    // --- Jupyter's authentication --------------------------------------------------------------------------------

    @Test
    void withoutATokenARandomOneIsMadePrintedAndGivenToJupyter() {
        env.put("JUPYTER_TOKEN", "");
        var first = start();
        var second = start();

        var url = Pattern.compile("http://127\\.0\\.0\\.1:8888/lab\\?token=([0-9a-f]{48})").matcher(first.err());
        assertTrue(url.find(), first::toString);
        assertTrue(first.out().contains("token=[" + url.group(1) + "]"), first::toString);
        assertNotEquals(first.out(), second.out(), "each start makes a new token");
        assertTrue(first.out().contains("--ip=0.0.0.0 --port=8888 --ServerApp.root_dir=" + home.resolve("work")),
                first::toString);
    }

    @Test
    void aGivenTokenIsUsedAndNeverPrinted() {
        env.put("JUPYTER_TOKEN", "s3cret-token");

        var result = start();

        assertTrue(result.out().contains("token=[s3cret-token]"), result::toString);
        assertFalse(result.err().contains("s3cret-token"), result::toString);
    }

    @Test
    void aPasswordHashReplacesTheToken() {
        String hash = "argon2:$argon2id$v=19$m=10240,t=10,p=8$c2FsdA$aGFzaA";
        env.put("JUPYTER_PASSWORD_HASH", hash);

        var result = start();

        assertTrue(result.out().contains("--PasswordIdentityProvider.hashed_password=" + hash), result::toString);
        assertTrue(result.out().contains("token=[]"), result::toString);
        assertFalse(result.err().contains("token="), result::toString);
    }

    @Test
    void jupyterWritesItsPortForTheHealthCheck() throws IOException {
        env.put("JUPYTER_PORT", "9999");

        start();

        assertEquals("9999\n", Files.readString(dir.resolve("jupyter.port")));
    }

    // --- modes ---------------------------------------------------------------------------------------------------

    @Test
    void gpushModeRunsTheShellWithoutJupyter() throws IOException {
        fake("gpush", "echo \"gpush $*\"");

        var result = start("gpush", "--version");

        assertEquals("gpush --version\n", result.out(), result::toString);
        assertFalse(result.err().contains("token"), result::toString);
    }

    @Test
    void anyOtherCommandIsRunAsGivenAndKeepsItsExitCode() {
        var result = start("sh", "-c", "echo hello; exit 7");

        assertEquals(7, result.exit(), result::toString);
        assertEquals("hello\n", result.out());
    }

    @Test
    void dryRunPrintsWhatWouldRunInsteadOfRunningIt() {
        env.put("GPUSH_DRY_RUN", "1");

        var result = start("sh", "-c", "echo hello");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("would exec: sh -c echo hello\n", result.out());
    }

    // --- ssh -----------------------------------------------------------------------------------------------------

    @Test
    void sshWithoutAKeyIsRefusedAndJupyterStartsAnyway() {
        env.putAll(Map.of("ENABLE_SSH", "1", "GPUSH_DRY_RUN", "1",
                "GPUSH_SSH_KEYS_FILE", dir.resolve("absent").toString()));

        var result = start();

        assertTrue(result.err().contains("no public key was given, so sshd is not started"), result::toString);
        assertFalse(result.out().contains("sshd"), result::toString);
        assertTrue(result.out().contains("would exec: jupyter lab"), result::toString);
    }

    @Test
    void sshWithAKeyFromTheEnvironmentStartsAKeyOnlySshd() throws IOException {
        assumeTrue(Files.exists(bin.resolve("ssh-keygen")), "ssh-keygen (openssh-client) is not installed");
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbg7x5z5L4wYpJ0S1d2ojBtCw3a3W3w0e9Zx0Z1aBcD me@laptop";
        env.putAll(Map.of("ENABLE_SSH", "1", "GPUSH_DRY_RUN", "1", "SSH_AUTHORIZED_KEYS", key,
                "GPUSH_SSH_KEYS_FILE", dir.resolve("absent").toString()));

        var result = start();

        Path sshd = home.resolve(".config/gpush/sshd");
        assertTrue(result.out().contains("would start: /usr/sbin/sshd -f " + sshd.resolve("sshd_config")),
                result::toString);
        assertEquals(key + "\n", Files.readString(sshd.resolve("authorized_keys")));
        String config = Files.readString(sshd.resolve("sshd_config"));
        for (String line : List.of("PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "PermitRootLogin no", "AllowUsers gpush", "AuthorizedKeysFile " + sshd.resolve("authorized_keys"))) {
            assertTrue(config.lines().anyMatch(line::equals), () -> "missing '" + line + "' in\n" + config);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(sshd.resolve("ssh_host_ed25519_key"))));
    }

    @Test
    void sshKeysComeFromAMountedFileAndTheHostKeyIsMadeOnceAndKept() throws IOException {
        assumeTrue(Files.exists(bin.resolve("ssh-keygen")), "ssh-keygen (openssh-client) is not installed");
        Path keys = Files.writeString(dir.resolve("authorized_keys"),
                "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= ops@ci\n");
        env.putAll(Map.of("ENABLE_SSH", "1", "GPUSH_DRY_RUN", "1", "GPUSH_SSH_KEYS_FILE", keys.toString()));
        Path hostKey = home.resolve(".config/gpush/sshd/ssh_host_ed25519_key");

        var first = start();
        String made = Files.readString(hostKey);
        var second = start();

        assertTrue(first.out().contains("would start: "), first::toString);
        assertTrue(second.out().contains("would start: "), second::toString);
        assertEquals(made, Files.readString(hostKey), "a restart keeps the host key");
    }

    @Test
    void sshIsRefusedToRoot() throws IOException {
        fake("id", "case $1 in -u) echo 0 ;; *) echo root ;; esac");
        env.putAll(Map.of("ENABLE_SSH", "1", "GPUSH_DRY_RUN", "1", "SSH_AUTHORIZED_KEYS", "ssh-ed25519 AAAA x@y"));

        var result = start();

        assertTrue(result.err().contains("ENABLE_SSH=1 is refused for root"), result::toString);
        assertFalse(result.out().contains("sshd"), result::toString);
    }
}
