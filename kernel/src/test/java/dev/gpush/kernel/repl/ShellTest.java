package dev.gpush.kernel.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** The gpush shell in a real pseudo-terminal (tmux), typed at key by key, as a person would. */
@EnabledIf(value = "dev.gpush.kernel.repl.Tmux#available", disabledReason = "tmux is not installed")
class ShellTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().getParent();

    @TempDir
    Path dir;

    /** The CLI with no arguments, on the tests' class path, with a private home. */
    Tmux shell() {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new Tmux(dir, List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.gpush.kernel.Main"), home());
    }

    Map<String, String> home() {
        var env = new HashMap<String, String>();
        env.put("HOME", dir.resolve("home").toString());
        env.put(GpushHome.VARIABLE, dir.resolve("gpush-home").toString());
        return env;
    }

    static boolean hasLine(String screen, String line) {
        return screen.lines().anyMatch(l -> l.strip().equals(line));
    }

    @Test
    void theLauncherWithNoArgumentsOpensTheShellWithABannerAndCtrlDLeaves() {
        var env = home();
        env.put("GPUSH_NO_BUILD", "1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        try (var shell = new Tmux(dir, List.of("bash", ROOT.resolve("gpush").toString()), env)) {
            String screen = shell.awaitPrompt();
            assertTrue(Pattern.compile("(?m)^gpush \\d+\\.\\d+\\.\\d+\\S* on Java " + Runtime.version().feature())
                    .matcher(screen).find(), screen);
            var device = Pattern.compile("(?m)^device: (cuda:0 .+|cpu \\(no CUDA: .+\\))$");
            shell.await("the device line", s -> device.matcher(s).find());
            shell.press("C-d");
            assertEquals(0, shell.awaitExit());
        }
    }

    @Test
    void aMethodTypedOverSeveralLinesContinuesUntilItIsComplete() {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("int twice(int x) {");
            shell.await("a continuation prompt", screen -> Tmux.lastLine(screen).equals("...>"));
            shell.enter("return 2 * x;");
            shell.enter("}");
            shell.awaitPrompt();
            shell.enter("twice(21)");

            String screen = shell.await("42", s -> hasLine(s, "42"));
            assertTrue(screen.contains("gpush> int twice(int x) {\n  ...>     return 2 * x;\n  ...> }\n"),
                    "the body is indented and the closing brace is not:\n" + screen);
        }
    }

    @Test
    void tabCompletesFromTheEngineAndASecondTabShowsTheDocumentation() {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.type("Tensor.ran");
            shell.press("Tab");
            String screen = shell.await("randperm(");
            assertTrue(screen.contains("gpush> Tensor.rand"), screen);
            assertTrue(screen.contains("randn("), screen);

            shell.press("Tab");
            shell.await("Tensor Tensor.rand(int... shape)");
            shell.press("C-c");
            shell.awaitPrompt();

            shell.type("Math.ma");
            shell.press("Tab");
            shell.await("gpush> Math.max(");
        }
    }

    @Test
    void ctrlCStopsARunningLoopAndTheSessionKeepsItsVariables() {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("int kept = 6;");
            shell.enter("long n = 0;");
            shell.enter("while (true) { if (n++ == 0) System.out.println(\"looping\"); }");
            shell.await("looping");
            shell.press("C-c");
            shell.await("interrupted");
            shell.awaitPrompt();

            shell.enter("kept * 7 + (n > 0 ? 0 : 1000)");
            shell.await("42", screen -> hasLine(screen, "42"));
        }
    }

    @Test
    void percentLoadPutsTheFileIntoTheNextPrompt() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("snippet.jsh"), "int loaded = 5;");
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("%load " + dir.resolve("snippet.jsh"));
            shell.await("the file in the buffer", s -> Tmux.lastLine(s).equals("gpush> int loaded = 5;"));
            shell.enter("");
            shell.awaitPrompt();
            shell.enter("loaded * 2");
            assertTrue(hasLine(shell.await("10", s -> hasLine(s, "10")), "10"));
        }
    }

    @Test
    void ctrlCAtThePromptDropsTheLine() {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.type("int dropped = 1;");
            shell.press("C-c");
            shell.awaitPrompt();
            shell.enter("dropped");

            shell.await("in[1]:1: error: cannot find symbol");
        }
    }

    @Test
    void historyIsKeptAcrossSessionsAndUpAndCtrlRRecallIt() throws IOException {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("int h = 5;");
            shell.enter("h * 2");
            shell.await("10", screen -> hasLine(screen, "10"));
            shell.press("C-d");
            assertEquals(0, shell.awaitExit());
        }
        assertTrue(Files.readString(dir.resolve("gpush-home/history")).contains("h * 2"));

        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.press("Up", "Up");
            shell.await("gpush> int h = 5;");
            shell.press("Enter");
            shell.awaitPrompt();
            shell.press("C-r");
            shell.type("h *");
            shell.await("h * 2");
            shell.press("Enter");
            shell.await("10", screen -> hasLine(screen, "10"));
        }
    }

    @Test
    void aPastedCellWaitsForEnterAndRunsAsOne() {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.paste("int p = 1;\nint q = p + 1;\nq * 10");
            shell.await("  ...> q * 10");
            shell.press("Enter");

            shell.await("20", screen -> hasLine(screen, "20"));
        }
    }

    @Test
    void commandsListSaveResetOpenAndExitWithACode() throws IOException {
        Path saved = dir.resolve("saved.jsh");
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("int a = 1;");
            shell.enter("String greet(String who) { return \"hi \" + who; }");
            shell.enter("/vars");
            shell.await("int a = 1");
            shell.enter("/methods");
            shell.await("greet(String)String");
            shell.enter("/list");
            shell.await("   2 : String greet(String who) { return \"hi \" + who; }");
            shell.enter("/save " + saved);
            shell.await("saved 2 snippet(s)");
            shell.enter("/reset");
            shell.enter("/vars");
            shell.await("no variables");
            shell.enter("/open " + saved);
            shell.enter("greet(\"you\") + a");
            shell.await("\"hi you1\"");
            shell.enter("/nonsense");
            shell.await("/nonsense is not a command");
            shell.enter("/exit 3");

            assertEquals(3, shell.awaitExit());
        }
        assertEquals("int a = 1;\nString greet(String who) { return \"hi \" + who; }\n", Files.readString(saved));
    }

    @Test
    void aQuestionMarkShowsDocumentationAndErrorsLeaveTheShellUsable() {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("?Math.max");
            shell.await("int Math.max(int a, int b)");
            shell.enter("int broken = ;");
            shell.await("in[1]:1: error: illegal start of expression");
            shell.enter("Integer.parseInt(\"x\")");
            shell.await("Exception java.lang.NumberFormatException: For input string: \"x\"");
            shell.enter("1 + 1");
            shell.await("2", screen -> hasLine(screen, "2"));
        }
    }

    @Test
    void anImageIsSavedToAFileWhosePathIsPrinted() throws IOException {
        try (var shell = shell()) {
            shell.awaitPrompt();
            shell.enter("new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)");
            String screen = shell.await("[saved ");

            var saved = Pattern.compile("\\[saved (\\S+\\.png)]").matcher(screen);
            assertTrue(saved.find(), screen);
            Path file = Path.of(saved.group(1));
            assertTrue(file.startsWith(dir.resolve("gpush-home/outputs")), file.toString());
            byte[] png = Files.readAllBytes(file);
            assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
