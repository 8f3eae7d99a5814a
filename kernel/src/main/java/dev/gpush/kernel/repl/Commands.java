package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The shell's own commands, as in jshell: {@code /vars}, {@code /methods}, {@code /types}, {@code /imports},
 * {@code /list}, {@code /reset}, {@code /save FILE}, {@code /open FILE}, {@code /exit [CODE]}, {@code /help}.
 *
 * <p>Rules:
 * <ul>
 *   <li>A command is a line that starts with {@code /} and a letter; {@code //} and {@code /*} start Java comments.
 *   <li>A unique prefix names a command ({@code /v} is {@code /vars}); anything else gets the list of commands.
 *   <li>{@code /list} and {@code /save} leave out the imports every session starts with, so that {@code /open} of a
 *       saved file rebuilds the session as it was typed.
 *   <li>Errors (a file that cannot be read, an exit code that is not a number) are messages; the shell goes on.
 * </ul>
 */
final class Commands {

    /** A command: its name, what follows the name, and what it does. */
    private record Command(String name, String arguments, String help) {}

    private static final List<Command> COMMANDS = List.of(
            new Command("vars", "", "the variables, with their types and values"),
            new Command("methods", "", "the methods"),
            new Command("types", "", "the classes, interfaces, enums and records"),
            new Command("imports", "", "the imports"),
            new Command("list", "", "the snippets typed so far, numbered"),
            new Command("reset", "", "start over with a fresh session"),
            new Command("save", "FILE", "write the snippets typed so far to FILE (/open reads it back)"),
            new Command("open", "FILE", "run a JShell script in this session"),
            new Command("exit", "[CODE]", "leave the shell with exit code CODE, 0 if none (Ctrl-D does too)"),
            new Command("help", "", "this text"));

    private static final List<String> NAMES = COMMANDS.stream().map(Command::name).toList();

    private final Session session;
    private final TerminalFrontend out;
    private final BiConsumer<String, String> run;

    /** {@code run} evaluates a named source as if typed, printing its value or error. */
    Commands(Session session, TerminalFrontend out, BiConsumer<String, String> run) {
        this.session = session;
        this.out = out;
        this.run = run;
    }

    static boolean isCommand(String trimmed) {
        return trimmed.length() > 1 && trimmed.charAt(0) == '/' && Character.isLetter(trimmed.charAt(1));
    }

    /** The command names, with their slash, for completion. */
    static List<String> names() {
        return NAMES.stream().map(name -> "/" + name).toList();
    }

    /** Runs a command line; returns an exit code when the shell should end. */
    OptionalInt execute(String line) {
        String[] words = line.strip().split("\\s+", 2);
        String typed = words[0].substring(1);
        String argument = words.length > 1 ? words[1].strip() : "";
        var matching = NAMES.stream().filter(name -> name.startsWith(typed)).toList();
        String name = NAMES.contains(typed) ? typed : matching.size() == 1 ? matching.getFirst() : null;
        if (name == null) {
            out.error("/" + typed + " is " + (matching.isEmpty() ? "not a command" : "ambiguous: " + matching)
                    + "; the commands are " + String.join(" ", names()) + " (/help says more)");
            return OptionalInt.empty();
        }
        Engine engine = session.engine();
        switch (name) {
            case "vars" -> list(engine.vars(), "no variables");
            case "methods" -> list(engine.methods(), "no methods");
            case "types" -> list(engine.types(), "no types");
            case "imports" -> list(engine.imports(), "no imports");
            case "list" -> list(numbered(typed(engine)), "nothing typed yet");
            case "reset" -> {
                session.reset();
                out.note("the session was reset: only the library's imports are left");
            }
            case "save" -> save(engine, argument);
            case "open" -> open(argument);
            case "exit" -> {
                return exit(argument);
            }
            default -> help();
        }
        return OptionalInt.empty();
    }

    private void list(List<String> lines, String none) {
        out.println(lines.isEmpty() ? none : String.join("\n", lines));
    }

    /** The active snippets that were typed, not the session's starting imports. */
    private static List<String> typed(Engine engine) {
        return engine.snippets().stream().filter(s -> !Engine.PRELUDE.contains(s.strip())).toList();
    }

    private static List<String> numbered(List<String> snippets) {
        return IntStream.range(0, snippets.size())
                .mapToObj(i -> "%4d : %s".formatted(i + 1, snippets.get(i).strip().replace("\n", "\n       ")))
                .toList();
    }

    private void save(Engine engine, String file) {
        if (file.isEmpty()) {
            out.error("/save needs a file: /save FILE");
            return;
        }
        var snippets = typed(engine);
        try {
            Files.writeString(Path.of(file), snippets.stream().map(s -> s.strip() + "\n").collect(Collectors.joining()),
                    StandardCharsets.UTF_8);
            out.note("saved " + snippets.size() + " snippet(s) to " + file);
        } catch (IOException | RuntimeException e) {
            out.error("cannot write " + file + ": " + e);
        }
    }

    private void open(String file) {
        if (file.isEmpty()) {
            out.error("/open needs a file: /open FILE");
            return;
        }
        String source;
        try {
            source = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            out.error("cannot read " + file + ": " + e);
            return;
        }
        run.accept(file, source);
    }

    private OptionalInt exit(String code) {
        if (code.isEmpty()) {
            return OptionalInt.of(0);
        }
        try {
            return OptionalInt.of(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            out.error("/exit takes a whole number, not " + code);
            return OptionalInt.empty();
        }
    }

    private void help() {
        var text = new StringBuilder();
        COMMANDS.forEach(c -> text.append("  /%-13s %s\n".formatted(c.name() + " " + c.arguments(), c.help())));
        text.append("""

                  ?name, name?    the signatures and Javadoc of name (Tab twice shows them too)
                  %lsmagic        the magics: %name lines and %%name cells work as in a notebook
                  Tab             complete names, members, imports, magics and file names
                  Up, Ctrl-R      earlier input (kept in HISTORY)
                  Ctrl-C          stop the running code (variables stay), or clear the line
                  Ctrl-D          leave, on an empty line
                """.replace("HISTORY", GpushHome.history().toString()));
        out.println(text.toString());
    }
}
