package dev.gpush.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpush run}, {@code -c}, piped input and the command tree around them, run as real child processes. */
class RunCommandTest {

    @TempDir
    Path dir;

    ChildProcess runScript(String name, String script) throws IOException {
        Path file = Files.writeString(dir.resolve(name), script);
        return ChildProcess.run(ChildProcess.cli("run", file.toString()), "");
    }

    @Test
    void runsAScriptFilePrintingOnlyWhatItPrints() throws IOException {
        var result = runScript("hello.jsh", """
                String greet(String who) { return "hello " + who; }
                System.out.println(greet("file"));
                1 + 1;
                List.of(1, 2, 3).forEach(System.out::print);
                System.err.println("to stderr");
                """);

        assertEquals(0, result.exit(), result::toString);
        assertEquals("hello file\n123", result.out(), "expression values are not echoed");
        assertEquals("to stderr\n", result.err());
    }

    @Test
    void dashReadsTheScriptFromStandardInput() {
        var result = ChildProcess.run(ChildProcess.cli("run", "-"), "System.out.println(1 + 1);\n");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("2\n", result.out());
    }

    @Test
    void aCompileErrorExitsOneWithFileLineSourceAndCaret() throws IOException {
        var result = runScript("bad.jsh", """
                System.out.println("before");

                int n = undefinedName + 1;
                System.out.println("after");
                """);

        assertEquals(1, result.exit(), result::toString);
        assertEquals("before\n", result.out());
        String file = dir.resolve("bad.jsh").toString();
        assertTrue(result.err().startsWith(file + ":3: error: cannot find symbol\n"
                + "int n = undefinedName + 1;\n"
                + "        ^\n"), result::toString);
    }

    @Test
    void anExceptionExitsOneWithItsClassMessageAndScriptLines() throws IOException {
        var result = runScript("throws.jsh", """
                void check(int x) {
                    if (x > 1) throw new IllegalArgumentException("x is " + x);
                }
                check(1);
                check(2);
                """);

        assertEquals(1, result.exit(), result::toString);
        String file = dir.resolve("throws.jsh").toString();
        assertEquals("Exception java.lang.IllegalArgumentException: x is 2\n"
                + "\tat check(" + file + ":2)\n"
                + "\tat " + file + ":5\n", result.err());
    }

    @Test
    void stdinErrorsAreReportedAgainstStdin() {
        var result = ChildProcess.run(ChildProcess.cli("run", "-"), "int a = 1;\nint b = a +;\n");

        assertEquals(1, result.exit(), result::toString);
        assertTrue(result.err().startsWith("<stdin>:2: error: "), result::toString);
    }

    @Test
    void systemExitEndsTheRunWithItsCodeAndKeepsTheOutput() throws IOException {
        var result = runScript("exit.jsh", """
                System.out.print("no newline before exit");
                System.exit(7);
                System.out.println("never");
                """);

        assertEquals(7, result.exit(), result::toString);
        assertEquals("no newline before exit", result.out());
    }

    @Test
    void aMissingScriptIsAUsageError() {
        var result = ChildProcess.run(ChildProcess.cli("run", dir.resolve("absent.jsh").toString()), "");

        assertEquals(2, result.exit(), result::toString);
        assertTrue(result.err().contains("cannot read"), result::toString);
    }

    @Test
    void versionNamesGpushJavaAndCuda() {
        var result = ChildProcess.run(ChildProcess.cli("--version"), "");

        assertEquals(0, result.exit(), result::toString);
        var lines = result.out().lines().toList();
        assertEquals(3, lines.size(), result::toString);
        assertTrue(lines.get(0).matches("gpush \\d+\\.\\d+\\.\\d+.*"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Java " + Runtime.version().feature()), lines.get(1));
        assertTrue(lines.get(1).endsWith(" at " + System.getProperty("java.home")), lines.get(1));
        assertTrue(lines.get(2).startsWith("CUDA: "), lines.get(2));
    }

    @Test
    void aScriptGetsItsArgumentsAsArgsOptionsAndControlCharactersIncluded() throws IOException {
        Path file = Files.writeString(dir.resolve("args.jsh"), """
                System.out.println(args.length);
                for (String arg : args) System.out.println("[" + arg + "]");
                """);
        var command = ChildProcess.cli("run", file.toString(), "--epochs", "3", "a \"b\" \\c", "two\nlines", "tab\there");
        var result = ChildProcess.run(command, "");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("5\n[--epochs]\n[3]\n[a \"b\" \\c]\n[two\nlines]\n[tab\there]\n", result.out());
    }

    @Test
    void aScriptWithoutArgumentsHasAnEmptyArgs() throws IOException {
        var result = runScript("none.jsh", "System.out.println(args.length);");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("0\n", result.out());
    }

    @Test
    void pipedInputWithNoCommandRunsAsOneCellAndPrintsItsValue() {
        var result = ChildProcess.run(ChildProcess.cli(), "var x = 2;\nSystem.out.println(\"computing\");\nx * 21\n");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("computing\n42\n", result.out());
    }

    @Test
    void pipedInputEndingInAStatementPrintsOnlyItsOutput() {
        var result = ChildProcess.run(ChildProcess.cli(), "int y = 5;\nSystem.out.println(y);\n");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("5\n", result.out());
    }

    @Test
    void pipedInputWithAnErrorExitsOne() {
        var result = ChildProcess.run(ChildProcess.cli(), "int ok = 1;\nint bad = ;\n");

        assertEquals(1, result.exit(), result::toString);
        assertTrue(result.err().startsWith("<stdin>:2: error: "), result::toString);
        assertEquals("", result.out());
    }

    @Test
    void dashCRunsOneCellAndPrintsItsValue() {
        var result = ChildProcess.run(ChildProcess.cli("-c", "Math.max(3, 7)"), "");

        assertEquals(0, result.exit(), result::toString);
        assertEquals("7\n", result.out());
    }

    @Test
    void dashCWithAnExceptionExitsOneWithTheException() {
        var result = ChildProcess.run(ChildProcess.cli("-c", "Integer.parseInt(\"seven\")"), "");

        assertEquals(1, result.exit(), result::toString);
        assertTrue(result.err().startsWith("Exception java.lang.NumberFormatException: For input string: \"seven\""),
                result::toString);
    }

    @Test
    void helpListsTheCommandsAndEachCommandHasItsOwn() {
        var help = ChildProcess.run(ChildProcess.cli("--help"), "");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().startsWith("Usage: gpush"), help::toString);
        assertTrue(help.out().contains("interactive shell"), help::toString);
        assertTrue(help.out().contains("  run "), help::toString);

        var run = ChildProcess.run(ChildProcess.cli("run", "--help"), "");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().startsWith("Usage: gpush run"), run::toString);
        assertTrue(run.out().contains("String[] args"), run::toString);
    }

    @Test
    void anUnknownCommandIsRefusedWithTheClosestName() {
        var result = ChildProcess.run(ChildProcess.cli("rnu", "x.jsh"), "");

        assertEquals(2, result.exit(), result::toString);
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("gpush: 'rnu' is not a command\nDid you mean: run?\n"), result::toString);
        assertTrue(result.err().contains("gpush --help"), result::toString);
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Main.editDistance("run", "run"));
        assertEquals(2, Main.editDistance("rnu", "run"));
        assertEquals(1, Main.editDistance("kernal", "kernel"));
        assertEquals(3, Main.editDistance("", "abc"));
    }
}
