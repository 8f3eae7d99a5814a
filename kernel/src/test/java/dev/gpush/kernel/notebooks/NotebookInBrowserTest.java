package dev.gpush.kernel.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.io.Json;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's view of a notebook: Debian's Jupyter Notebook server ({@code python3 -m notebook}) serves
 * {@code notebooks/01-environment-check.ipynb} on a free localhost port behind a token, with the gpush kernel
 * installed; Debian's headless Chromium opens it, runs all its cells through the notebook's own JavaScript (which
 * talks to the kernel through the server, as a click on Run All does), and the rendered page shows the outputs.
 * The screenshot is kept in {@code target/notebook-browser/} as an artifact.
 *
 * <p>Skipped where /usr/bin/chromium, the notebook server or nbclient is missing ({@code .ci/run} installs them).
 */
class NotebookInBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String NOTEBOOK = "01-environment-check.ipynb";
    static final Path SCREENSHOT = Path.of("target", "notebook-browser", "01-environment-check.png");
    /** Guards against a browser or server that never gets there, not speed requirements. */
    static final long START_TIMEOUT_S = 90, RUN_TIMEOUT_S = 300;

    @TempDir
    Path root;

    final List<Process> started = new ArrayList<>();

    @Test
    void chromiumRunsTheEnvironmentCheckInJupyterNotebookAndShowsItsOutput() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (Debian's chromium)");
        assumeTrue(JupyterStack.hasNbclient(), "/usr/bin/python3 cannot import nbclient and jupyter_client");
        assumeTrue(JupyterStack.run(List.of(JupyterStack.PYTHON, "-c", "import notebook.notebookapp"), Map.of(),
                root).exit() == 0, "/usr/bin/python3 has no Jupyter Notebook server (Debian's jupyter-notebook)");

        var jupyter = JupyterStack.install(root.resolve("prefix"));
        Path served = Files.createDirectories(root.resolve("served"));
        Files.copy(NotebooksTest.NOTEBOOKS.resolve(NOTEBOOK), served.resolve(NOTEBOOK));
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Path serverLog = root.resolve("notebook-server.log");
        // --allow-root: CI runs as root, which the server refuses by default
        var server = jupyter.startPython(served, serverLog, "-m", "notebook", "--no-browser", "--allow-root",
                "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--NotebookApp.token=" + token,
                "--notebook-dir=" + served);
        started.add(server);
        assertTrue(serverAnswers(server, base + "/api/status?token=" + token),
                () -> "the notebook server did not start:\n" + read(serverLog));

        try (var page = openInChromium(base + "/notebooks/" + NOTEBOOK + "?token=" + token)) {
            assertTrue(page.waitFor("!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                    + " && Jupyter.notebook.kernel.is_connected())", START_TIMEOUT_S),
                    () -> "the page did not connect to the gpush kernel:\n" + read(serverLog));
            page.evaluate("Jupyter.notebook.execute_all_cells(), true");
            boolean finished = page.waitFor("Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
                    + ".every(c => typeof c.input_prompt_number === 'number')", RUN_TIMEOUT_S);
            page.evaluate("[...document.querySelectorAll('.output_area')]"
                    + ".find(e => e.innerText.includes('matmul check'))?.closest('.cell')?.scrollIntoView(), true");
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, page.screenshot());

            String text = (String) page.evaluate("document.getElementById('notebook').innerText");
            assertTrue(finished, () -> "the cells did not all run; the page shows:\n" + text);
            assertEquals(0, ((Number) page.evaluate("document.querySelectorAll('.output_error').length")).intValue(),
                    () -> "a cell failed; the page shows:\n" + text);
            assertTrue(text.matches("(?s).*matmul check on (cpu|cuda:0): \\d+x\\d+, max relative error \\S+: OK.*"),
                    () -> "the page shows:\n" + text);
            assertTrue(text.contains("CUDA available: "), text);
        }
    }

    /** Starts headless Chromium on {@code url} and connects to that page's DevTools. */
    DevTools openInChromium(String url) throws Exception {
        Path profile = Files.createDirectories(root.resolve("chromium-profile"));
        var command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,1000", url);
        Path log = root.resolve("chromium.log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // its singleton socket goes to TMPDIR: keep it inside this test's folder, which JUnit deletes
        builder.environment().put("TMPDIR", Files.createDirectories(root.resolve("chromium-tmp")).toString());
        started.add(builder.start());
        // Chromium writes the port it picked into the profile, first line
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (!(Files.exists(activePort) && Files.readString(activePort).contains("\n"))) {
            assertTrue(System.nanoTime() < deadline, () -> "Chromium did not start:\n" + read(log));
            Thread.sleep(100);
        }
        String devtools = "http://127.0.0.1:" + Files.readString(activePort).lines().findFirst().orElseThrow();
        var targets = (List<?>) Json.parse(get(devtools + "/json/list").body());
        var pageTarget = targets.stream().map(t -> (Map<?, ?>) t).filter(t -> "page".equals(t.get("type")))
                .findFirst().orElseThrow(() -> new AssertionError("no page in Chromium: " + targets));
        return DevTools.connect((String) pageTarget.get("webSocketDebuggerUrl"));
    }

    static boolean serverAnswers(Process server, String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (get(url).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return false;
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** Stops what this test started, last first, with their children (the server's kernel, Chromium's helpers). */
    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Process process : started.reversed()) {
            var children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
