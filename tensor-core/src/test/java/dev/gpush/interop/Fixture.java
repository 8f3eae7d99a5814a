package dev.gpush.interop;

import dev.gpush.io.SafeTensors;
import dev.gpush.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One file made by {@code src/test/resources/torch/make_fixtures.py}: PyTorch's state, inputs, outputs, probes and
 * gradients for one module (see the script for the layout), and its metadata, each value a JSON text.
 * Floating point inputs are handed out as leaves that require grad, one per name, so self-attention's
 * query, key and value are one tensor, as in PyTorch.
 */
final class Fixture {
    static final String DIR = "/torch/";

    final String name;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> leaves = new LinkedHashMap<>();

    private Fixture(String name, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.name = name;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    static Fixture load(String name) {
        Path file = path(name);
        try {
            return new Fixture(name, SafeTensors.load(file), SafeTensors.metadata(file));
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + ": " + e.getMessage(), e);
        }
    }

    static Path path(String name) {
        URL url = Fixture.class.getResource(DIR + name + ".safetensors");
        if (url == null) throw new IllegalArgumentException("no fixture " + DIR + name + ".safetensors on the class path "
                + "(make it with make_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of every fixture file, sorted. */
    static List<String> all() {
        Path dir = path("linear").getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors"))
                    .map(n -> n.substring(0, n.length() - ".safetensors".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- tensors

    boolean has(String key) { return tensors.containsKey(key); }

    Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) throw new IllegalArgumentException("fixture " + name + " has no tensor " + key + "; it has "
                + tensors.keySet());
        return t;
    }

    /** The tensors whose keys start with {@code prefix}, keyed by the rest. */
    Map<String, Tensor> withPrefix(String prefix) { return withPrefix(tensors, prefix); }

    static Map<String, Tensor> withPrefix(Map<String, Tensor> tensors, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    /** PyTorch's state dict. */
    Map<String, Tensor> state() { return withPrefix("state."); }

    /** The input {@code n}, or null when the forward had none by that name; floating point ones are leaves. */
    Tensor input(String n) {
        if (!has("input." + n)) return null;
        return leaves.computeIfAbsent(n, k -> {
            Tensor t = get("input." + k);
            return has("grad.input." + k) ? t.detach().requiresGrad(true) : t;
        });
    }

    /** The leaves handed out so far, by input name. */
    Map<String, Tensor> leaves() { return leaves; }

    // ---------------------------------------------------------------- metadata

    /** A metadata entry, parsed from JSON; absent entries are null. */
    Object meta(String key) {
        String text = metadata.get(key);
        return text == null ? null : MiniJson.parse(text);
    }

    String module() { return (String) meta("module"); }

    boolean training() { return "train".equals(meta("mode")); }

    @SuppressWarnings("unchecked")
    List<String> inputNames() { return (List<String>) meta("inputs"); }

    @SuppressWarnings("unchecked")
    List<String> outputNames() { return (List<String>) meta("outputs"); }

    @SuppressWarnings("unchecked")
    Map<String, Object> args() { return (Map<String, Object>) meta("args"); }

    @SuppressWarnings("unchecked")
    Map<String, Object> forwardArgs() { return (Map<String, Object>) meta("forward"); }

    Args arg() { return new Args(args()); }

    /** Typed reads of a JSON object of keyword arguments, with PyTorch's defaults given by the caller. */
    record Args(Map<String, Object> map) {
        boolean has(String k) { return map.containsKey(k); }

        int i(String k, int def) { return map.containsKey(k) ? ((Number) map.get(k)).intValue() : def; }

        double d(String k, double def) { return map.containsKey(k) ? ((Number) map.get(k)).doubleValue() : def; }

        /** A number, or null where the argument is None; {@code def} when absent. */
        Double nullableD(String k, Double def) {
            if (!map.containsKey(k)) return def;
            Object v = map.get(k);
            return v == null ? null : ((Number) v).doubleValue();
        }

        Integer nullableI(String k, Integer def) {
            if (!map.containsKey(k)) return def;
            Object v = map.get(k);
            return v == null ? null : ((Number) v).intValue();
        }

        boolean b(String k, boolean def) { return map.containsKey(k) ? (Boolean) map.get(k) : def; }

        String s(String k, String def) { return map.containsKey(k) ? (String) map.get(k) : def; }

        Object raw(String k) { return map.get(k); }

        /** An int or a list of ints (PyTorch's {@code _size_2_t} and shapes). */
        int[] ints(String k, int[] def) {
            if (!map.containsKey(k) || map.get(k) == null) return def;
            return MiniJson.ints(map.get(k));
        }

        /** An int or a pair, as a pair. */
        int[] pair(String k, int[] def) {
            int[] v = ints(k, def);
            return v == null || v.length == 2 ? v : new int[]{v[0], v[0]};
        }

        @SuppressWarnings("unchecked")
        Args sub(String k) { return new Args((Map<String, Object>) map.get(k)); }
    }

    @Override public String toString() { return name; }

    // ---------------------------------------------------------------- JSON

    /** Just enough JSON for the metadata: objects, arrays, strings without escapes, numbers, true, false, null. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) { this.s = s; }

        static Object parse(String text) {
            MiniJson p = new MiniJson(text);
            Object v = p.value();
            p.skip();
            if (p.i != text.length()) throw new IllegalArgumentException("trailing text in JSON: " + text);
            return v;
        }

        static int[] ints(Object v) {
            if (v instanceof Number n) return new int[]{n.intValue()};
            List<?> l = (List<?>) v;
            int[] out = new int[l.size()];
            for (int j = 0; j < out.length; j++) out[j] = ((Number) l.get(j)).intValue();
            return out;
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') { i++; return m; }
                do {
                    skip();
                    String k = (String) value();
                    skip();
                    expect(':');
                    m.put(k, value());
                    skip();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') throw error();
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') { i++; return l; }
                do {
                    l.add(value());
                    skip();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') throw error();
                return l;
            }
            if (c == '"') {
                int end = s.indexOf('"', i + 1);
                String v = s.substring(i + 1, end);
                if (v.indexOf('\\') >= 0) throw error();
                i = end + 1;
                return v;
            }
            for (String word : new String[]{"true", "false", "null"})
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            if (num.isEmpty()) throw error();
            return num.matches("-?\\d+") ? (Object) Long.valueOf(num) : (Object) Double.valueOf(num);
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) throw error();
        }

        private IllegalArgumentException error() {
            return new IllegalArgumentException("unexpected JSON at " + i + ": " + s);
        }
    }
}
