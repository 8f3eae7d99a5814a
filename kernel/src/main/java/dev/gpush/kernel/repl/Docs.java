package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.Engine;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Documentation from the engine, as IPython gives it: a line {@code ?name} or {@code name?}, and a second Tab.
 *
 * <p>Rules: a request is one name or member chain ({@code Tensor.randn}, {@code x.matmul}), optionally with an open
 * parenthesis, before or after one question mark. A magic's {@code %name?} is not one: the magics answer it. A lookup
 * asks the engine at the cursor and, when it finds nothing there, asks again with an open parenthesis at the cursor,
 * because JShell documents a method only inside its call.
 */
final class Docs {

    private static final Pattern REQUEST = Pattern.compile("\\?\\s*([\\w$.]+\\(?)|([\\w$.]+\\(?)\\s*\\?");

    private Docs() {}

    static boolean isRequest(String trimmed) {
        return REQUEST.matcher(trimmed).matches();
    }

    /** The documentation asked for by a request line, or a sentence saying there is none. */
    static String answer(Engine engine, String trimmed) {
        Matcher request = REQUEST.matcher(trimmed);
        if (!request.matches()) {
            throw new IllegalArgumentException("not a documentation request: " + trimmed);
        }
        String name = request.group(1) != null ? request.group(1) : request.group(2);
        return lookup(engine, name, name.length()).orElse("no documentation found for " + name);
    }

    /** The signatures and Javadoc of what is named at {@code cursor} in {@code code}. */
    static Optional<String> lookup(Engine engine, String code, int cursor) {
        var docs = engine.inspect(code, cursor);
        if (docs.isEmpty() && (cursor == 0 || code.charAt(cursor - 1) != '(')) {
            docs = engine.inspect(code.substring(0, cursor) + "(" + code.substring(cursor), cursor + 1);
        }
        return docs.map(String::strip);
    }
}
