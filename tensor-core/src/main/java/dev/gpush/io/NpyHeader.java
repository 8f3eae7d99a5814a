package dev.gpush.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a NumPy {@code .npy} file: the magic {@code \x93NUMPY}, a version byte pair, the header length
 * (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline.
 *
 * <p>Reading accepts what {@code numpy.lib.format} accepts: versions 1.0, 2.0 and 3.0 (whose header is UTF-8
 * rather than Latin-1), exactly the three keys, a tuple shape of non-negative integers (Python 2's {@code 3L}
 * too). The literal is parsed, never evaluated. Writing produces NumPy's own bytes: keys sorted, the spare
 * spaces NumPy leaves for growing the first axis, and padding so the data starts at a multiple of
 * {@value #ALIGN} bytes; version 1.0 unless the header needs 2.0's longer length field.
 */
final class NpyHeader {
    static final int ALIGN = 64;                 // NumPy's ARRAY_ALIGN, in bytes
    private static final int GROWTH_DIGITS = 21; // NumPy's GROWTH_AXIS_MAX_DIGITS
    private static final int MAX_HEADER = 1 << 24; // bytes; far beyond any real header
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    final String descr;
    final boolean fortranOrder;
    final long[] shape;
    final long dataStart;   // file position of the first element

    private NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataStart) {
        this.descr = descr;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataStart = dataStart;
    }

    // ---------------------------------------------------------------- reading

    static NpyHeader read(Path file, FileChannel in) throws IOException {
        long size = in.size();
        if (size < 10) throw new TensorFileException(file, "file is " + size + " bytes, too short for an .npy file");
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (size < 12) pre.limit(10);
        ElementCodec.readFully(in, pre, 0);
        for (int i = 0; i < MAGIC.length; i++)
            if (pre.get(i) != MAGIC[i])
                throw new TensorFileException(file, "not an .npy file: it does not start with the magic string \\x93NUMPY");
        int major = pre.get(6) & 0xFF, minor = pre.get(7) & 0xFF;
        if ((major < 1 || major > 3) || minor != 0)
            throw new TensorFileException(file, "unsupported .npy format version " + major + "." + minor
                    + " (gpush reads 1.0, 2.0 and 3.0)");
        if (major > 1 && size < 12) throw new TensorFileException(file, "file is truncated inside the .npy preamble");
        long length = major == 1 ? pre.getShort(8) & 0xFFFF : pre.getInt(8) & 0xFFFFFFFFL;
        int prefix = major == 1 ? 10 : 12;
        if (prefix + length > size)
            throw new TensorFileException(file, "header length " + length + " runs past the end of the file (" + size
                    + " bytes): the file is truncated");
        if (length > MAX_HEADER) throw new TensorFileException(file, "header length " + length + " is implausibly large");
        ByteBuffer raw = ByteBuffer.allocate((int) length);
        ElementCodec.readFully(in, raw, prefix);
        String text;
        try {
            text = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).decode(raw.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new TensorFileException(file, "header is not valid UTF-8");
        }
        Object literal;
        try {
            literal = new Literal(text).parseAll();
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(file, "corrupt header: " + e.getMessage() + " in " + quoted(text));
        }
        if (!(literal instanceof Map<?, ?> d)) throw new TensorFileException(file, "header is not a dict: " + quoted(text));
        if (!d.keySet().equals(Set.of("descr", "fortran_order", "shape")))
            throw new TensorFileException(file, "header must have exactly the keys 'descr', 'fortran_order' and "
                    + "'shape', but has " + d.keySet());
        if (!(d.get("descr") instanceof String descr))
            throw new TensorFileException(file, "header 'descr' is " + d.get("descr")
                    + ": structured (record) arrays are not supported");
        if (!(d.get("fortran_order") instanceof Boolean fortran))
            throw new TensorFileException(file, "header 'fortran_order' must be True or False, got " + d.get("fortran_order"));
        if (!(d.get("shape") instanceof Tuple(List<Object> dims)))
            throw new TensorFileException(file, "header 'shape' must be a tuple of integers, got " + d.get("shape"));
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long v) || v < 0)
                throw new TensorFileException(file, "header 'shape' must hold non-negative integers, got " + dims);
            shape[i] = v;
        }
        return new NpyHeader(descr, fortran, shape, prefix + length);
    }

    private static String quoted(String header) {
        return "\"" + header.strip() + "\"";
    }

    /** The values of a header literal: dicts, tuples (a record, so they differ from lists), lists, str, bool, int. */
    private record Tuple(List<Object> items) {
        @Override public String toString() { return items.toString().replace('[', '(').replace(']', ')'); }
    }

    /** A parser for the few Python literals an .npy header holds; it accepts nothing else. */
    private static final class Literal {
        private final String s;
        private int pos;

        Literal(String s) { this.s = s; }

        Object parseAll() {
            Object v = value(0);
            skip();
            if (pos != s.length()) throw new IllegalArgumentException("unexpected text at character " + pos);
            return v;
        }

        private void skip() { while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++; }

        private Object value(int depth) {
            if (depth > 32) throw new IllegalArgumentException("literal nested too deeply");
            skip();
            if (pos >= s.length()) throw new IllegalArgumentException("unexpected end of header");
            char c = s.charAt(pos);
            if (c == '{') return dict(depth);
            if (c == '(') return new Tuple(sequence(')', depth));
            if (c == '[') return sequence(']', depth);
            if (c == '\'' || c == '"') return string(c);
            if (s.startsWith("True", pos)) { pos += 4; return Boolean.TRUE; }
            if (s.startsWith("False", pos)) { pos += 5; return Boolean.FALSE; }
            if (c == '-' || Character.isDigit(c)) return integer();
            throw new IllegalArgumentException("unexpected '" + c + "' at character " + pos);
        }

        private Map<Object, Object> dict(int depth) {
            pos++;
            Map<Object, Object> m = new LinkedHashMap<>();
            while (true) {
                skip();
                if (peek() == '}') { pos++; return m; }
                Object key = value(depth + 1);
                skip();
                if (peek() != ':') throw new IllegalArgumentException("expected ':' at character " + pos);
                pos++;
                if (m.containsKey(key)) throw new IllegalArgumentException("duplicate key " + key);
                m.put(key, value(depth + 1));
                skip();
                if (peek() == ',') pos++;
                else if (peek() != '}') throw new IllegalArgumentException("expected ',' or '}' at character " + pos);
            }
        }

        private List<Object> sequence(char close, int depth) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skip();
                if (peek() == close) { pos++; return items; }
                items.add(value(depth + 1));
                skip();
                if (peek() == ',') pos++;
                else if (peek() != close) throw new IllegalArgumentException("expected ',' or '" + close + "' at character " + pos);
            }
        }

        private String string(char quote) {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) return sb.toString();
                if (c == '\\' && pos < s.length()) c = s.charAt(pos++);
                sb.append(c);
            }
            throw new IllegalArgumentException("unterminated string");
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            String digits = s.substring(start, pos);
            if (peek() == 'L' || peek() == 'l') pos++; // Python 2 long
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad integer '" + digits + "'");
            }
        }

        private char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }
    }

    // ---------------------------------------------------------------- writing

    /** The full preamble and header NumPy writes for a C-order array of {@code descr} and {@code shape}. */
    static byte[] encode(String descr, int[] shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) dims.append(i == 0 ? "" : ", ").append(shape[i]);
        dims.append(shape.length == 1 ? ",)" : ")");
        StringBuilder h = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': ")
                .append(dims).append(", }");
        if (shape.length > 0) h.append(" ".repeat(GROWTH_DIGITS - String.valueOf(shape[0]).length()));
        byte[] v1 = wrap(h.toString(), 1);
        return v1 != null ? v1 : wrap(h.toString(), 2);
    }

    /** Magic, version, length and padded header; null when the header is too long for version {@code major}. */
    private static byte[] wrap(String header, int major) {
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int hlen = text.length + 1; // the final newline
        int pad = ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ALIGN);
        long total = (long) hlen + pad;
        if (major == 1 && total > 0xFFFF) return null;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + (int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) total); else b.putInt((int) total);
        b.put(text);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }
}
