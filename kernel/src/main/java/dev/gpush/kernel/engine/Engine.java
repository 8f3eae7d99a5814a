package dev.gpush.kernel.engine;

import dev.gpush.kernel.engine.Outcome.Failure;
import dev.gpush.kernel.engine.Outcome.Frame;
import dev.gpush.kernel.engine.Outcome.Problem;
import dev.gpush.kernel.display.Renderers;
import dev.gpush.magics.MagicContext;
import dev.gpush.magics.MagicContext.Variable;
import dev.gpush.magics.MagicException;
import dev.gpush.magics.Magics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * One JShell session whose snippets run in this JVM. The Jupyter kernel and the REPL share it.
 *
 * <p>Rules:
 * <ul>
 *   <li>Execution is local: every snippet runs in this process, on the session's one main thread
 *       ({@link MainThread}), while {@code eval} waits. Its class loader's parent is the application class loader,
 *       so snippets share the library's classes and static state (GPU state lives in this JVM).
 *   <li>While a cell runs, {@code System.out}/{@code err}/{@code in} go to its frontend as they are used
 *       ({@link Streams}); a cell's magics ({@code %name} lines, a {@code %%name} cell) run in order with its Java
 *       ({@link Cell}); the value of its last snippet, when that is an expression, is rendered for display.
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
            "import dev.gpush.cuda.*;", "import dev.gpush.distributed.*;",
            // display(), updateDisplay(), input(), progress(), plot(): the notebook's helpers
            "import static dev.gpush.kernel.display.Display.*;", "import static dev.gpush.kernel.display.Plot.*;",
            "import dev.gpush.kernel.display.Progress;",
            // a cell can define and register its own magic
            "import dev.gpush.magics.Magic;", "import dev.gpush.magics.MagicContext;", "import dev.gpush.magics.Magics;",
            // single-type imports win over java.lang's on-demand one: Module is the layer, not java.lang.Module
            "import dev.gpush.nn.Module;");

    /** The start of a magic line up to the cursor: {@code %na} or {@code %%na}. */
    private static final Pattern MAGIC_PREFIX = Pattern.compile("^(\\s*%%?)([\\w.-]*)$");
    private static final Pattern EMPTY_LOCATION = Pattern.compile("(?m)\\R?^\\s*location: class\\s*$");

    /** How long an interrupted cell may take to stop before the frontend is told that it does not. */
    static final long INTERRUPT_GRACE_MS = 2000;

    private final List<String> imports;
    private final Magics magics = Magics.standard();
    private final MagicContext magicContext = new Context();
    private JShell shell;
    private SourceCodeAnalysis analysis;
    private MainThread control;
    /** Where each snippet came from, by snippet id, to map stack frames ("#12:3") back to source lines. */
    private final Map<String, Origin> origins = new HashMap<>();
    /** The frontend of the cell that runs, or null between cells. */
    private volatile Frontend running;
    private final AtomicLong cells = new AtomicLong();
    /** The number of the cell an interrupt was meant for: its snippets not yet started do not start. */
    private volatile long interruptedCell = -1;
    /** Set by a magic's {@code context.reset()}: the session restarts when the magic returns. */
    private boolean resetRequested;
    /** Whether the snippet evaluated last was an expression, whose value a cell shows. */
    private boolean lastWasExpression;

    private record Origin(String name, int line) {}

    public Engine() {
        this(PRELUDE);
    }

    public Engine(List<String> imports) {
        this.imports = List.copyOf(imports);
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts and images render without a display
        }
        start();
    }

    private void start() {
        var provider = new MainThread.Provider();
        shell = JShell.builder().executionEngine(provider, Map.of()).build();
        analysis = shell.sourceCodeAnalysis();
        imports.forEach(shell::eval); // a rejected import leaves nothing behind
        control = provider.control;
    }

    /**
     * Compiles and runs a throw-away snippet and a completion, so that the user's first cell does not pay the
     * compiler's warm-up (JVM-NOTES.md: 0.4 to 0.8 s). Front ends call it on a background thread at start-up. It
     * then waits (up to 20 s) for JShell's background index of the class path's packages, so that imports complete;
     * it sleeps without holding the engine, so a cell typed meanwhile runs at once.
     */
    public void warmUp() {
        synchronized (this) {
            for (SnippetEvent event : shell.eval("int gpush$warmUp = java.util.List.of(1, 2).size();")) {
                shell.drop(event.snippet());
            }
            analysis.completionSuggestions("Tensor.ra", 9, new int[1]);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!packagesIndexed() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized boolean packagesIndexed() {
        String probe = "import java.util.conc";
        return !analysis.completionSuggestions(probe, probe.length(), new int[1]).isEmpty();
    }

    /** Forgets every snippet and starts a fresh session with the prelude, as JShell's {@code /reset}. */
    public synchronized void reset() {
        restart();
    }

    private void restart() {
        shell.close();
        origins.clear();
        start();
    }

    /** The magics this engine dispatches {@code %name} lines and {@code %%name} cells to. */
    public Magics magics() {
        return magics;
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
    public synchronized Evaluation eval(String name, String source, Frontend frontend) {
        Streams.route(frontend);
        running = frontend;
        cells.incrementAndGet();
        try {
            var outcomes = new ArrayList<Outcome>();
            MimeBundle result = null;
            for (Cell.Part part : Cell.parse(source).parts()) {
                int before = outcomes.size();
                result = switch (part) {
                    case Cell.Java java -> evalJava(name, java.source(), outcomes);
                    case Cell.Magic magic -> runMagic(magic, outcomes);
                };
                if (outcomes.size() > before && !outcomes.getLast().ok()) {
                    return new Evaluation(name, source, outcomes, null);
                }
            }
            return new Evaluation(name, source, outcomes, result);
        } finally {
            running = null;
        }
    }

    /** Runs a magic; its value, if any, is the result. */
    private MimeBundle runMagic(Cell.Magic magic, List<Outcome> outcomes) {
        String text = (magic.body() == null ? "%" : "%%") + magic.name()
                + (magic.args().isEmpty() ? "" : " " + magic.args());
        try {
            var found = magics.get(magic.name());
            Object value;
            try {
                value = control.call(() -> found.run(magicContext, magic.args(), magic.body()));
            } finally {
                if (resetRequested) { // a magic cannot restart the session from the main thread that it shuts down
                    resetRequested = false;
                    restart();
                }
            }
            outcomes.add(new Outcome(magic.line(), text, null, List.of(), null));
            if (magic.target() != null) { // x = %name args: the value becomes a variable, shown as nothing
                Captured.put(value);
                String declaration = Captured.declaration(magic.target(), value);
                var declared = new ArrayList<Outcome>();
                evalJava("%" + magic.name(), declaration, declared);
                outcomes.addAll(declared.stream().filter(o -> !o.ok()).toList());
                return null;
            }
            return value == null ? null : Renderers.render(value);
        } catch (Exception e) { // a magic's error is its message, without a stack: it never ends the session
            outcomes.add(Outcome.failed(magic.line(), text,
                    e instanceof MagicException ? "MagicError" : e.getClass().getName(), e.getMessage()));
        }
        return null;
    }

    /** Evaluates the snippets of one Java part; returns the rendered value of the last one when it is an expression. */
    private MimeBundle evalJava(String name, String source, List<Outcome> outcomes) {
        MimeBundle result = null;
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
            control.forgetLastValue();
            if (interruptedCell == cells.get()) { // interrupted between two snippets: the rest does not run
                outcomes.add(Outcome.failed(lineOf(source, offset + lead), text.substring(lead),
                        Interrupted.class.getName(), new Interrupted().getMessage()));
                return null;
            }
            Outcome outcome = evalSnippet(name, source, offset + lead, text.substring(lead));
            outcomes.add(outcome);
            if (!outcome.ok()) {
                return null;
            }
            // a print stream is what printf and append return, not a value anyone wants to see
            result = outcome.value() != null && lastWasExpression && !(control.lastValue() instanceof java.io.PrintStream)
                    ? Renderers.render(control.lastValue(), outcome.value()) : null;
            offset += split ? rest.length() - info.remaining().length() : rest.length();
        }
        return result;
    }

    /** Whether a snippet's value is shown as a cell's result: an expression, not a declaration or statement. */
    private static boolean expression(Snippet snippet) {
        return snippet.kind() == Snippet.Kind.EXPRESSION
                || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    /** Evaluates one snippet that starts at {@code start} in {@code source}. */
    private Outcome evalSnippet(String name, String source, int start, String text) {
        int line = lineOf(source, start);
        String value = null;
        var problems = new ArrayList<Problem>();
        Failure failure = null;
        lastWasExpression = false;
        // JShell may turn one text into several snippets (int a = 1, b = 2;); later events are updates of others.
        for (SnippetEvent event : shell.eval(text)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            lastWasExpression = expression(snippet);
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
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        Matcher magic = MAGIC_PREFIX.matcher(code.substring(lineStart, cursor));
        if (magic.matches()) { // %na| or %%na|: the magics' names
            int start = lineStart + magic.start(2);
            var names = magics.all().stream().map(dev.gpush.magics.Magic::name)
                    .filter(n -> n.startsWith(magic.group(2))).toList();
            return new Completion(start, cursor, names);
        }
        int[] anchor = {cursor};
        var matches = analysis.completionSuggestions(Cell.javaView(code), cursor, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new Completion(anchor[0], cursor, matches);
    }

    /** The signatures and Javadoc of what is named at {@code cursor}, or empty when nothing is. */
    public Optional<String> inspect(String code, int cursor) {
        String java = Cell.javaView(code);
        var docs = analysis.documentation(java, cursor, true);
        if (docs.isEmpty() && cursor > 0 && Character.isJavaIdentifierPart(java.charAt(cursor - 1))) {
            // JShell documents a method only with its parenthesis typed: Math.max| is asked as Math.max(|
            String opened = java.substring(0, cursor) + "(";
            docs = analysis.documentation(opened, opened.length(), true);
        }
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(docs.stream()
                .map(d -> d.javadoc() == null || d.javadoc().isBlank() ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.joining("\n\n")));
    }

    /** Whether {@code code} is ready to run, or needs more lines, or cannot compile whatever follows. */
    public InputStatus isComplete(String code) {
        if (Cell.parse(code).parts().stream().anyMatch(p -> p instanceof Cell.Magic m && m.body() != null)) {
            // a cell magic's body is not Java: it ends at a blank line, as in IPython's terminal
            String[] lines = code.split("\n", -1);
            boolean ended = lines.length >= 3 && lines[lines.length - 1].isBlank();
            return new InputStatus(ended ? InputStatus.Status.COMPLETE : InputStatus.Status.INCOMPLETE, "");
        }
        String rest = Cell.javaView(code);
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

    /**
     * Stops the cell being evaluated; the session and its variables stay. A cell that has not stopped after
     * {@value #INTERRUPT_GRACE_MS} ms is in code that never checks for interruption (a native call, a busy loop in a
     * library): its frontend is told so, with where it is, instead of leaving the user waiting in silence.
     */
    public void interrupt() {
        Frontend frontend = running;
        long cell = cells.get();
        if (frontend != null) {
            interruptedCell = cell;
        }
        control.stop();
        if (frontend == null) {
            return;
        }
        Thread.ofVirtual().name("gpush-interrupt-watch").start(() -> {
            try {
                Thread.sleep(INTERRUPT_GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            Thread main = control.running();
            if (running == frontend && cells.get() == cell && main != null) {
                var stack = main.getStackTrace();
                frontend.write(Frontend.Stream.STDERR, "gpush: the cell has not stopped " + INTERRUPT_GRACE_MS
                        + " ms after the interrupt; it is in code that does not check for interruption"
                        + (stack.length > 0 ? " (at " + stack[0] + ")" : "") + ". Interrupt again, or restart.\n");
                control.stop();
            }
        });
    }

    /** The session's variables as {@code type name = value}, in the order they were defined. */
    public List<String> vars() {
        return variables().stream().map(v -> v.type() + " " + v.name() + " = " + v.value()).toList();
    }

    /** The session's variables (name, type, value as JShell prints it), in the order they were defined. */
    public List<Variable> variables() {
        return shell.variables().filter(v -> shell.status(v).isActive())
                .map(v -> new Variable(v.name(), v.typeName(), shell.varValue(v))).toList();
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

    /** The session as magics see it. */
    private final class Context implements MagicContext {
        @Override
        public boolean eval(String source) {
            return eval("%magic", source);
        }

        @Override
        public boolean eval(String name, String source) {
            var outcomes = new ArrayList<Outcome>();
            MimeBundle value = evalJava(name, source, outcomes);
            Frontend frontend = Streams.frontend();
            outcomes.stream().filter(o -> !o.ok()).findFirst().ifPresent(failed -> frontend.write(
                    Frontend.Stream.STDERR, ErrorFormat.format(new Evaluation(name, source, outcomes, null), failed)));
            if (value != null) {
                frontend.display(value, null, false);
            }
            return outcomes.stream().allMatch(Outcome::ok);
        }

        @Override
        public Object evalValue(String expression) {
            var outcomes = new ArrayList<Outcome>();
            var before = shell.snippets().map(Snippet::id).collect(Collectors.toSet());
            evalJava("%magic", expression, outcomes);
            // the value goes to the magic, not into the session: no $N variable is left behind
            shell.snippets().filter(s -> !before.contains(s.id()) && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)
                    .toList().forEach(shell::drop);
            var failed = outcomes.stream().filter(o -> !o.ok()).findFirst();
            if (failed.isPresent()) {
                throw new MagicException(ErrorFormat.format(new Evaluation("%magic", expression, outcomes, null),
                        failed.get()).strip());
            }
            if (outcomes.size() != 1 || !lastWasExpression) {
                throw new MagicException("expected one Java expression, got: " + expression);
            }
            return control.lastValue();
        }

        @Override
        public void print(String text) {
            Streams.frontend().write(Frontend.Stream.STDOUT, text);
        }

        @Override
        public void printError(String text) {
            Streams.frontend().write(Frontend.Stream.STDERR, text);
        }

        @Override
        public void setNextInput(String text) {
            Streams.frontend().setNextInput(text);
        }

        @Override
        public List<Variable> variables() {
            return Engine.this.variables();
        }

        @Override
        public void reset() {
            resetRequested = true; // runMagic restarts once the magic has returned; the cell holds the lock already
        }

        @Override
        public void display(Object value) {
            Streams.frontend().display(Renderers.render(value), null, false);
        }

        @Override
        public void addToClasspath(String path) {
            Engine.this.addToClasspath(path);
        }

        @Override
        public Magics magics() {
            return magics;
        }
    }
}
