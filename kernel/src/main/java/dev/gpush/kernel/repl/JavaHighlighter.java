package dev.gpush.kernel.repl;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours Java as it is typed: keywords, literals, comments, annotations, and a leading shell command or magic. It
 * scans tokens with one pattern and never parses, so it costs nothing per key and never fails on half-typed code
 * (an unclosed string or comment is coloured to the end).
 */
final class JavaHighlighter implements Highlighter {

    private static final Pattern TOKEN = Pattern.compile(String.join("|",
            "(?<comment>//[^\\n]*|/\\*(?s:.*?)(?:\\*/|$))",
            "(?<string>\"\"\"(?s:.*?)(?:\"\"\"|$)|\"(?:\\\\.|[^\"\\\\\\n])*\"?|'(?:\\\\.|[^'\\\\\\n])*'?)",
            "(?<number>\\b\\d[\\d_]*(?:\\.\\d*)?(?:[eE][+-]?\\d+)?[fFdDlL]?\\b|\\.\\d+\\b)",
            "(?<annotation>@[\\w$]+)",
            "(?<word>[\\p{L}_$][\\w$]*)"));
    private static final Pattern SHELL_LINE = Pattern.compile("\\A\\s*(/[A-Za-z]\\w*|%%?\\w+)");

    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "var", "record", "yield", "sealed",
            "permits", "true", "false", "null");

    private static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    private static final AttributedStyle LITERAL = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle COMMENT =
            AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);
    private static final AttributedStyle ANNOTATION = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        var text = new AttributedStringBuilder(buffer.length());
        int done = 0;
        Matcher shell = SHELL_LINE.matcher(buffer);
        if (shell.find()) {
            text.append(buffer.substring(0, shell.end()), COMMAND);
            done = shell.end();
        }
        Matcher token = TOKEN.matcher(buffer);
        while (done < buffer.length() && token.find(done)) {
            text.append(buffer.substring(done, token.start()));
            text.append(token.group(), style(token));
            done = token.end();
        }
        text.append(buffer.substring(done));
        return text.toAttributedString();
    }

    private static AttributedStyle style(Matcher token) {
        if (token.group("comment") != null) {
            return COMMENT;
        } else if (token.group("string") != null) {
            return LITERAL;
        } else if (token.group("number") != null) {
            return NUMBER;
        } else if (token.group("annotation") != null) {
            return ANNOTATION;
        }
        return KEYWORDS.contains(token.group("word")) ? KEYWORD : AttributedStyle.DEFAULT;
    }
}
