package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.io.Json;
import dev.gpush.kernel.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpush install-kernel} and {@code gpush uninstall-kernel}, run as real child processes. */
class InstallKernelCommandTest {

    @TempDir
    Path dir;

    ChildProcess gpush(Map<String, String> env, String... args) {
        return Jupyter.run(Jupyter.cli(args), env, dir);
    }

    ChildProcess gpush(String... args) {
        return gpush(Map.of(), args);
    }

    static Map<?, ?> kernelJson(Path spec) throws IOException {
        return (Map<?, ?>) Json.parse(Files.readString(spec.resolve("kernel.json")));
    }

    @Test
    void installWritesAKernelJsonThatRunsThisJdkAndBuildAndTwoLogos() throws IOException {
        var result = gpush("install-kernel", "--prefix", dir.toString());
        Path spec = dir.resolve(Path.of("share", "jupyter", "kernels", "gpush"));
        assertEquals(0, result.exit(), result::toString);
        assertEquals("Installed kernelspec gpush in " + spec + "\n", result.out());

        var json = kernelJson(spec);
        assertEquals("Java (gpush)", json.get("display_name"));
        assertEquals("java", json.get("language"));
        assertEquals("message", json.get("interrupt_mode"));
        var argv = (List<?>) json.get("argv");
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), argv.getFirst());
        assertTrue(argv.contains("--enable-native-access=ALL-UNNAMED"), argv::toString);
        assertEquals(List.of("dev.gpush.kernel.Main", "kernel", "{connection_file}"),
                argv.subList(argv.size() - 3, argv.size()));
        String classPath = (String) argv.get(argv.indexOf("-cp") + 1);
        for (String entry : classPath.split(":")) {
            assertTrue(Path.of(entry).isAbsolute() && Files.exists(Path.of(entry)), entry);
        }
        assertEquals(32, ImageIO.read(spec.resolve("logo-32x32.png").toFile()).getWidth());
        assertEquals(64, ImageIO.read(spec.resolve("logo-64x64.png").toFile()).getHeight());
    }

    @Test
    void reinstallingReplacesTheOldSpecWhole() throws IOException {
        Path spec = dir.resolve(Path.of("share", "jupyter", "kernels", "mine"));
        assertEquals(0, gpush("install-kernel", "--prefix", dir.toString(), "--name", "mine").exit());
        Files.writeString(spec.resolve("left-over.txt"), "from an older gpush");

        var again = gpush("install-kernel", "--prefix", dir.toString(), "--name", "mine", "--display-name", "Mine");
        assertEquals(0, again.exit(), again::toString);
        assertFalse(Files.exists(spec.resolve("left-over.txt")));
        assertEquals("Mine", kernelJson(spec).get("display_name"));
        try (var siblings = Files.list(spec.getParent())) {
            assertEquals(List.of(spec), siblings.toList(), "no temporary folder is left behind");
        }
    }

    @Test
    void uninstallRemovesTheSpecAndSaysWhenThereIsNone() {
        assertEquals(0, gpush("install-kernel", "--prefix", dir.toString()).exit());
        Path spec = dir.resolve(Path.of("share", "jupyter", "kernels", "gpush"));

        var removed = gpush("uninstall-kernel", "--prefix", dir.toString());
        assertEquals(0, removed.exit(), removed::toString);
        assertEquals("Removed kernelspec gpush from " + spec + "\n", removed.out());
        assertFalse(Files.exists(spec));

        var again = gpush("uninstall-kernel", "--prefix", dir.toString());
        assertEquals(1, again.exit());
        assertEquals("gpush uninstall-kernel: there is no kernelspec gpush at " + spec + "\n", again.err());
    }

    @Test
    void withoutAFlagItInstallsForTheUserAsJupyterKernelspecInstallUserDoes() {
        var env = new HashMap<String, String>();
        env.put("JUPYTER_DATA_DIR", null);
        env.put("XDG_DATA_HOME", dir.resolve("xdg").toString());
        assertEquals(0, gpush(env, "install-kernel").exit());
        assertTrue(Files.exists(dir.resolve(Path.of("xdg", "jupyter", "kernels", "gpush", "kernel.json"))));

        env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
        assertEquals(0, gpush(env, "install-kernel", "--user").exit());
        assertTrue(Files.exists(dir.resolve(Path.of("data", "kernels", "gpush", "kernel.json"))));
    }

    @Test
    void theUserFolderFollowsJupyterCore() {
        Path home = Path.of("/home/ada");
        assertEquals(Path.of("/d"), KernelLocation.userDataDir(Map.of("JUPYTER_DATA_DIR", "/d"), "Linux", home));
        assertEquals(Path.of("/x/jupyter"), KernelLocation.userDataDir(Map.of("XDG_DATA_HOME", "/x"), "Linux", home));
        assertEquals(Path.of("/home/ada/.local/share/jupyter"), KernelLocation.userDataDir(Map.of(), "Linux", home));
        assertEquals(Path.of("/home/ada/Library/Jupyter"), KernelLocation.userDataDir(Map.of(), "Mac OS X", home));
        assertEquals(Path.of("/p/share/jupyter/kernels"), KernelLocation.prefixKernels(Path.of("/p/./")));
    }

    @Test
    void aBadNameOrTwoLocationsAreRefusedClearly() {
        var badName = gpush("install-kernel", "--prefix", dir.toString(), "--name", "no spaces");
        assertEquals(1, badName.exit());
        assertEquals("gpush install-kernel: a kernel name may hold only letters, digits, '.', '_' and '-', "
                + "got 'no spaces'\n", badName.err());

        var both = gpush("install-kernel", "--user", "--prefix", dir.toString());
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both::toString);
    }

    @Test
    void jupyterListsTheInstalledSpec() throws IOException {
        assumeTrue(Jupyter.hasJupyterClient(), "/usr/bin/python3 cannot import jupyter_client");
        var jupyter = Jupyter.install(dir, "gpush-listed");

        var listed = jupyter.python("-m", "jupyter_client.kernelspecapp", "list", "--json");
        assertEquals(0, listed.exit(), listed::toString);
        var specs = (Map<?, ?>) ((Map<?, ?>) Json.parse(listed.out())).get("kernelspecs");
        var spec = (Map<?, ?>) ((Map<?, ?>) specs.get("gpush-listed")).get("spec");
        assertEquals("Java (gpush)", spec.get("display_name"));
        assertEquals("message", spec.get("interrupt_mode"));
    }
}
