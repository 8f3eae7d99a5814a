package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.InputStatus;
import java.util.function.Function;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * Decides when Enter runs the input and when it opens another line. JLine reads {@link EOFError} as "not finished":
 * it inserts a line break and the indent that the error carries (the reader's {@code INDENTATION} is 1, so the
 * error's open-bracket count is the indent in spaces).
 *
 * <p>Rules, for the whole input when Enter is pressed:
 * <ul>
 *   <li>Blank input, a shell command ({@code /vars}) and a documentation request ({@code ?name}, {@code name?}) run.
 *   <li>A cell magic ({@code %%name} on the first line) takes lines until an empty line.
 *   <li>Anything else runs unless the engine says it is incomplete; then the next line gets the engine's indent.
 *       Input the engine calls invalid runs, so that the compiler says what is wrong.
 * </ul>
 */
final class ReplParser implements Parser {

    private final Function<String, InputStatus> engine;

    ReplParser(Function<String, InputStatus> engine) {
        this.engine = engine;
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE) {
            String indent = continuation(line);
            if (indent != null) {
                throw new EOFError(-1, -1, "incomplete input", "", indent.replace("\t", "    ").length(), null);
            }
        }
        return InputLine.of(line, cursor);
    }

    /** The indent of the next line when {@code input} needs one, or null when it is ready to run. */
    String continuation(String input) {
        String trimmed = input.strip();
        if (trimmed.isEmpty() || Commands.isCommand(trimmed) || Docs.isRequest(trimmed)) {
            return null;
        }
        if (trimmed.startsWith("%%")) {
            int lastBreak = input.lastIndexOf('\n');
            return lastBreak >= 0 && input.substring(lastBreak).isBlank() ? null : "";
        }
        var status = engine.apply(input);
        return status.status() == InputStatus.Status.INCOMPLETE ? status.indent() : null;
    }
}
