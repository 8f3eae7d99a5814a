package dev.gpush.magics;

import java.util.ArrayList;
import java.util.List;

/**
 * A magic's arguments, split as a shell splits words: on blanks, with {@code '...'} and {@code "..."} quoting and
 * {@code \} escaping one character, so that {@code %jars "my dir/*.jar"} is one word.
 */
final class Args {

    private Args() {}

    static List<String> split(String text) {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new MagicException("unclosed " + quote + " in: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The error for bad arguments: what is wrong, then the magic's usage line. */
    static MagicException usage(Magic magic, String problem) {
        return new MagicException("%" + magic.name() + ": " + problem + "\nusage: " + magic.usage());
    }
}
