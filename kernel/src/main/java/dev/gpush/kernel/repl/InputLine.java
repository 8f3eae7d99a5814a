package dev.gpush.kernel.repl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.CompletingParsedLine;

/**
 * The shell's input split into words at white space, as JLine's completion needs it. Words are only where a
 * completion's text goes: Java is never parsed here, and a completion replaces the word up to the cursor (the
 * completer puts any part of the word before the engine's replacement back in front). Candidates are inserted as
 * they are, never escaped.
 */
record InputLine(String line, int cursor, List<String> words, int wordIndex, int wordCursor)
        implements CompletingParsedLine {

    private static final Pattern WORD = Pattern.compile("\\S+");

    static InputLine of(String line, int cursor) {
        var words = new ArrayList<String>();
        int index = -1;
        int wordCursor = 0;
        Matcher word = WORD.matcher(line);
        while (word.find()) {
            if (index < 0 && cursor >= word.start() && cursor <= word.end()) {
                index = words.size();
                wordCursor = cursor - word.start();
            } else if (index < 0 && cursor < word.start()) {
                index = words.size(); // the cursor stands in white space: an empty word there
                words.add("");
            }
            words.add(word.group());
        }
        if (index < 0) {
            index = words.size();
            words.add("");
        }
        return new InputLine(line, cursor, List.copyOf(words), index, wordCursor);
    }

    @Override
    public String word() {
        return words.get(wordIndex);
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
        return candidate;
    }

    @Override
    public int rawWordCursor() {
        return wordCursor;
    }

    @Override
    public int rawWordLength() {
        return word().length();
    }
}
