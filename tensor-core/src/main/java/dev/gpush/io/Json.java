package dev.gpush.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that safetensors headers and checkpoint structures need, read and written strictly (RFC 8259).
 *
 * <p>Rules:
 * <ul>
 *   <li>Reading gives {@code LinkedHashMap<String, Object>} (in file order), {@code ArrayList<Object>},
 *       {@code String}, {@code Boolean}, {@code null}, and numbers as {@code Long} when written without a fraction
 *       or exponent and in range, {@code Double} otherwise.</li>
 *   <li>A duplicate key, trailing garbage, a raw control character in a string, or nesting deeper than
 *       {@value #MAX_DEPTH} is an error: {@link IllegalArgumentException} naming the character offset. Malformed
 *       input never overflows the stack or reads past the end.</li>
 *   <li>Writing is compact and escapes as serde_json does (the safetensors reference writer): quote, backslash
 *       and the control characters with short escapes (b f n r t) take those, other control characters take a
 *       four-digit lowercase hex escape, everything else is written as is. Map keys must be strings; doubles
 *       must be finite.</li>
 * </ul>
 */
public final class Json {
    static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;

    private Json(String text) { this.text = text; }

    /** Parses one JSON value; only whitespace may follow it. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("unexpected '" + text.charAt(p.pos) + "' after the end of the JSON value");
        return v;
    }

    // ---------------------------------------------------------------- reading

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " (at character " + pos + ")");
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
        if (pos >= text.length()) throw error("unexpected end of JSON");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Object literal(String word, Object result) {
        if (!text.startsWith(word, pos)) throw error("invalid literal (expected " + word + ")");
        pos += word.length();
        return result;
    }

    private Map<String, Object> object(int depth) {
        pos++; // '{'
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') { pos++; return map; }
        while (true) {
            skipWhitespace();
            if (pos >= text.length()) throw error("unexpected end of JSON, expected a string key");
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth + 1));
            skipWhitespace();
            char c = next("',' or '}'");
            if (c == '}') return map;
            if (c != ',') { pos--; throw error("expected ',' or '}' but found '" + c + "'"); }
        }
    }

    private List<Object> array(int depth) {
        pos++; // '['
        ArrayList<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') { pos++; return list; }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = next("',' or ']'");
            if (c == ']') return list;
            if (c != ',') { pos--; throw error("expected ',' or ']' but found '" + c + "'"); }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next("a closing '\"'");
            if (c == '"') return sb.toString();
            if (c < 0x20) { pos--; throw error("raw control character U+" + String.format("%04X", (int) c) + " in a string"); }
            if (c != '\\') { sb.append(c); continue; }
            char e = next("an escape");
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("unexpected end of JSON in a \\u escape");
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(pos + i), 16);
                        if (d < 0) throw error("invalid \\u escape");
                        code = code * 16 + d;
                    }
                    pos += 4;
                    sb.append((char) code);
                }
                default -> { pos--; throw error("invalid escape '\\" + e + "'"); }
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') pos++;
        else if (!digits()) throw error("invalid number");
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) throw error("invalid number: expected digits after '.'");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') pos++;
            if (!digits()) throw error("invalid number: expected digits in the exponent");
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) { /* falls through to a double */ }
        }
        return Double.parseDouble(s);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
        return pos > start;
    }

    private char peek() { return pos < text.length() ? text.charAt(pos) : '\0'; }

    private char next(String expected) {
        if (pos >= text.length()) throw error("unexpected end of JSON, expected " + expected);
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    // ---------------------------------------------------------------- writing

    /** The compact JSON text of a value made of maps with string keys, lists, strings, numbers, booleans and null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            case Double d -> {
                if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no " + d);
                sb.append(d);
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k))
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    if (!first) sb.append(',');
                    first = false;
                    quote(sb, k);
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(sb, l.get(i));
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
