package dev.gpush.kernel.engine;

import dev.gpush.kernel.engine.Outcome.Failure;
import dev.gpush.kernel.engine.Outcome.Frame;
import dev.gpush.kernel.engine.Outcome.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.LocalExecutionControlProvider;

/**
 * One JShell session whose snippets run in this JVM. The Jupyter kernel and the REPL share it.
 *
 * <p>Rules:
 * <ul>
 *   <li>Execution is local: a snippet runs in this process, on a fresh thread that JShell's
 *       {@code LocalExecutionControl} starts for it while {@code eval} waits. Its class loader's parent is the
 *       application class loader, so snippets share the library's classes and static state (GPU state lives in
 *       this JVM), and their {@code System.out}/{@code err} are the process's own, written as they happen.
 *   <li>The compiler sees this JVM's class path: JShell compiles against {@code java.class.path} by default.
 *   <li>The prelude imports are tried one by one; one that does not compile (a package that does not exist yet) is
 *       dropped without a word.
 *   <li>{@code eval} splits its source into snippets with {@code analyzeCompletion} and evaluates them in order. It
 *       stops at the first snippet that does not compile, stays unresolved, or throws. The snippets before it stay.
 *   <li>Lines are lines of the source given to {@code eval}. Stack frames in any snippet evaluated so far are mapped
 *       back to the name and line of the source it came from.
 *   <li>Note [leading whitespace]: a snippet is evaluated without its leading whitespace, because JShell reports
 *       line 1 for every stack frame of a snippet that starts with a line break.
 * </ul>
 */
public final class Engine implements AutoCloseable {

    /** Imported into every session; the library's packages act like {@code import torch}. */
    public static final List<String> PRELUDE = List.of(
            // the jshell tool's default imports, so that scripts behave as under `jshell script.jsh`
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.function.*;",
            "import java.util.regex.*;", "import java.util.stream.*;",
            // the library, package by package; the ones not built yet are skipped
            "import dev.gpush.tensor.*;", "import static dev.gpush.tensor.Tensor.*;", "import dev.gpush.autograd.*;",
            "import dev.gpush.nn.*;", "import dev.gpush.optim.*;", "import dev.gpush.data.*;", "import dev.gpush.io.*;",
            "import dev.gpush.cuda.*;",
            // single-type imports win over java.lang's on-demand one: Module is the layer, not java.lang.Module
            "import dev.gpush.nn.Module;");

    private static final Pattern EMPTY_LOCATION = Pattern.compile("(?m)\\R?^\\s*location: class\\s*$");

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    /** Where each snippet came from, by snippet id, to map stack frames ("#12:3") back to source lines. */
    private final Map<String, Origin> origins = new HashMap<>();

    private record Origin(String name, int line) {}

    public Engine() {
        this(PRELUDE);
    }

    public Engine(List<String> imports) {
        shell = JShell.builder().executionEngine(new LocalExecutionControlProvider(), Map.of()).build();
        analysis = shell.sourceCodeAnalysis();
        imports.forEach(shell::eval); // a rejected import leaves nothing behind
    }

    public Evaluation eval(String source) {
        return eval("input", source);
    }

    public Evaluation eval(String name, String source) {
        return eval(name, source, Frontend.console());
    }

    /**
     * Evaluates every snippet of {@code source}, stopping at the first failure; {@code name} labels its lines. While
     * it runs, the cell's output, displays and input requests go to {@code frontend}.
     */
    public Evaluation eval(String name, String source, Frontend frontend) {
        var outcomes = new ArrayList<Outcome>();
        int offset = 0;
        while (offset < source.length()) {
            String rest = source.substring(offset);
            var info = analysis.analyzeCompletion(rest);
            if (info.completeness() == Completeness.EMPTY) {
                break;
            }
            // An incomplete or unparsable rest is evaluated whole, so that javac says what is wrong with it.
            String text = info.source() != null ? info.source() : rest;
            boolean split = info.completeness() == Completeness.COMPLETE
                    || info.completeness() == Completeness.COMPLETE_WITH_SEMI;
            int lead = text.length() - text.stripLeading().length(); // Note [leading whitespace]
            Outcome outcome = evalSnippet(name, source, offset + lead, text.substring(lead));
            outcomes.add(outcome);
            if (!outcome.ok()) {
                break;
            }
            offset += split ? rest.length() - info.remaining().length() : rest.length();
        }
        return new Evaluation(name, source, outcomes);
    }

    /** Evaluates one snippet that starts at {@code start} in {@code source}. */
    private Outcome evalSnippet(String name, String source, int start, String text) {
        int line = lineOf(source, start);
        String value = null;
        var problems = new ArrayList<Problem>();
        Failure failure = null;
        // JShell may turn one text into several snippets (int a = 1, b = 2;); later events are updates of others.
        for (SnippetEvent event : shell.eval(text)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            int at = start + Math.max(0, text.indexOf(snippet.source()));
            origins.put(snippet.id(), new Origin(name, lineOf(source, at)));
            switch (event.status()) {
                case REJECTED -> shell.diagnostics(snippet).filter(Diag::isError)
                        .forEach(d -> problems.add(problem(source, at, snippet.source().length(), d)));
                case RECOVERABLE_DEFINED, RECOVERABLE_NOT_DEFINED ->
                        problems.addAll(unresolved(source, at, (DeclarationSnippet) snippet));
                default -> value = event.value();
            }
            if (event.exception() != null && failure == null && problems.isEmpty()) {
                switch (event.exception()) {
                    case UnresolvedReferenceException e -> problems.add(unusable(source, at, e.getSnippet()));
                    case EvalException e -> failure = failure(e);
                    case JShellException e -> failure = new Failure(e.getClass().getName(), e.getMessage(),
                            List.of(), null);
                }
            }
        }
        return new Outcome(line, text, value, problems, failure);
    }

    private Problem problem(String source, int at, int length, Diag diag) {
        // the position may fall on a semicolon that analyzeCompletion appended
        int offset = Math.min(source.length(), at + (int) Math.clamp(diag.getPosition(), 0, Math.max(0, length - 1)));
        String message = EMPTY_LOCATION.matcher(diag.getMessage(Locale.ROOT)).replaceAll("");
        return new Problem(lineOf(source, offset), columnOf(source, offset), message);
    }

    /** One problem per missing name, pointing at its first use in the declaration. */
    private List<Problem> unresolved(String source, int at, DeclarationSnippet snippet) {
        return shell.unresolvedDependencies(snippet).map(missing -> {
            String simple = missing.replaceFirst("^\\S+\\s+", "").replaceFirst("\\(.*", "");
            Matcher use = Pattern.compile("\\b" + Pattern.quote(simple) + "\\b").matcher(snippet.source());
            int offset = at + (use.find() ? use.start() : 0);
            return new Problem(lineOf(source, offset), columnOf(source, offset),
                    "cannot find symbol\n  symbol:   " + missing + "\n  needed by: " + snippet.name());
        }).toList();
    }

    /** A call of a declaration that is still missing a name, as when an earlier cell left it unresolved. */
    private Problem unusable(String source, int at, DeclarationSnippet snippet) {
        String missing = String.join(", ", shell.unresolvedDependencies(snippet).toList());
        return new Problem(lineOf(source, at), columnOf(source, at),
                snippet.name() + " cannot be used until this is defined: " + missing);
    }

    private Failure failure(EvalException e) {
        var frames = Arrays.stream(e.getStackTrace()).map(this::frame).toList();
        Failure cause = e.getCause() instanceof EvalException c ? failure(c) : null;
        return new Failure(e.getExceptionClassName(), e.getMessage(), frames, cause);
    }

    private Frame frame(StackTraceElement element) {
        String file = element.getFileName();
        Origin origin = file != null && file.startsWith("#") ? origins.get(file.substring(1)) : null;
        String method = element.getClassName().isEmpty() ? element.getMethodName()
                : element.getMethodName().isEmpty() ? element.getClassName()
                : element.getClassName() + "." + element.getMethodName();
        return origin == null ? new Frame(method, file, element.getLineNumber())
                : new Frame(method, origin.name(), origin.line() + element.getLineNumber() - 1);
    }

    /** Completions at {@code cursor}: names, members, imports, with the range of code each one replaces. */
    public Completion complete(String code, int cursor) {
        int[] anchor = {cursor};
        var matches = analysis.completionSuggestions(code, cursor, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new Completion(anchor[0], cursor, matches);
    }

    /** The signatures and Javadoc of what is named at {@code cursor}, or empty when nothing is. */
    public Optional<String> inspect(String code, int cursor) {
        var docs = analysis.documentation(code, cursor, true);
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(docs.stream()
                .map(d -> d.javadoc() == null || d.javadoc().isBlank() ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.joining("\n\n")));
    }

    /** Whether {@code code} is ready to run, or needs more lines, or cannot compile whatever follows. */
    public InputStatus isComplete(String code) {
        String rest = code;
        while (true) {
            var info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY -> { return new InputStatus(InputStatus.Status.COMPLETE, ""); }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return new InputStatus(InputStatus.Status.INCOMPLETE, indent(code));
                }
                case UNKNOWN -> { return new InputStatus(InputStatus.Status.INVALID, ""); }
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    if (info.remaining().isBlank()) {
                        return new InputStatus(InputStatus.Status.COMPLETE, "");
                    }
                    rest = info.remaining();
                }
            }
        }
    }

    /** The indent of a continuation line: the last line's, four more after an opening brace or parenthesis. */
    private static String indent(String code) {
        String last = code.lines().reduce("", (a, b) -> b.isBlank() ? a : b);
        String base = last.substring(0, last.length() - last.stripLeading().length());
        String trimmed = last.strip();
        return trimmed.endsWith("{") || trimmed.endsWith("(") ? base + "    " : base;
    }

    /** Stops the cell being evaluated; the session and its variables stay. */
    public void interrupt() {
        shell.stop();
    }

    /** The session's variables as {@code type name = value}, in the order they were defined. */
    public List<String> vars() {
        return shell.variables().filter(v -> shell.status(v).isActive())
                .map(v -> v.typeName() + " " + v.name() + " = " + shell.varValue(v)).toList();
    }

    /** The session's methods as {@code name(parameter types)return type}. */
    public List<String> methods() {
        return shell.methods().filter(m -> shell.status(m).isActive())
                .map(m -> m.name() + "(" + m.parameterTypes() + ")" + m.signature().replaceFirst("^\\(.*\\)", ""))
                .toList();
    }

    /** The session's classes, interfaces, enums and records, by name. */
    public List<String> types() {
        return shell.types().filter(t -> shell.status(t).isActive()).map(t -> t.name()).toList();
    }

    /** The session's imports as source. */
    public List<String> imports() {
        return shell.imports().filter(i -> shell.status(i).isActive()).map(i -> i.source().strip()).toList();
    }

    /** The source of every snippet evaluated so far that is still active, in order. */
    public List<String> snippets() {
        return shell.snippets().filter(s -> shell.status(s).isActive()).map(Snippet::source).toList();
    }

    /** Adds a jar or folder to the class path of the compiler and of the snippets' class loader. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    private static int lineOf(String source, int offset) {
        return (int) source.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    private static int columnOf(String source, int offset) {
        return offset - source.lastIndexOf('\n', offset - 1);
    }

    @Override
    public void close() {
        shell.close();
    }
}
