package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.Completion;
import java.util.List;
import java.util.regex.Pattern;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: shell commands at the start of a line, file names after the commands and magics that take a file
 * ({@code /open}, {@code /save}, {@code %load}, {@code %run}), magic names after {@code %}, and otherwise the
 * engine's completions of Java (names, members, imports).
 *
 * <p>The engine's completion replaces the code from its anchor to the cursor; JLine's replaces the word up to the
 * cursor ({@link InputLine}). Each engine match is therefore prefixed with the part of the word before the anchor,
 * and shown without it.
 */
final class ReplCompleter implements Completer {

    private static final Pattern COMMAND = Pattern.compile("\\s*/\\w*");
    private static final Pattern FILE_ARGUMENT = Pattern.compile("\\s*(/open|/save|%load|%run)\\s+\\S*");
    private static final Pattern MAGIC = Pattern.compile("\\s*%%?\\w*");

    private final Session session;
    private final Completer files = new FileNameCompleter();

    ReplCompleter(Session session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String head = line.line().substring(0, line.cursor());
        if (COMMAND.matcher(head).matches()) {
            Commands.names().forEach(name -> candidates.add(new Candidate(name, name, null, null, null, null, true)));
        } else if (FILE_ARGUMENT.matcher(head).matches()) {
            files.complete(reader, line, candidates);
        } else if (MAGIC.matcher(head).matches()) {
            String percent = head.strip().startsWith("%%") ? "%%" : "%";
            session.engine().magics().all().forEach(magic -> candidates.add(new Candidate(percent + magic.name(),
                    percent + magic.name(), null, magic.help(), null, null, true)));
        } else {
            java(line, candidates);
        }
    }

    private void java(ParsedLine line, List<Candidate> candidates) {
        Completion completion = session.engine().complete(line.line(), line.cursor());
        int wordStart = line.cursor() - line.wordCursor();
        if (completion.start() < wordStart) {
            return; // the engine would replace text before this word, which JLine cannot do
        }
        String before = line.line().substring(wordStart, completion.start());
        for (String match : completion.matches()) {
            candidates.add(new Candidate(before + match, match, null, null, null, null, false));
        }
    }
}
