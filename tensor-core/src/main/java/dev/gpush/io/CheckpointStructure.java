package dev.gpush.io;

import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint's object tree as JSON plus a flat map of tensors, and back.
 *
 * <p>Rules:
 * <ul>
 *   <li>Maps (string keys, or integer keys as optimizer state has), lists, strings, booleans and null become
 *       JSON as they are; Integer and finite Double become JSON numbers. Values JSON cannot tell apart are tagged
 *       with a one-key object: {@code {"__tensor__": key}}, {@code {"__array__": key}} (a primitive array, stored as
 *       a 1-d tensor), {@code {"__long__": n}}, {@code {"__float__": "0.1"}}, {@code {"__double__": "NaN"}},
 *       {@code {"__intmap__": {...}}}. A user map that itself has a single {@code __x__} key is wrapped in
 *       {@code {"__map__": {...}}}, so the encoding is unambiguous and every value comes back with its Java
 *       type.</li>
 *   <li>A tensor's key is its path in the tree joined with '/' ({@code model/layers.0.weight},
 *       {@code optimizer/state/0/exp_avg}), made unique with a {@code ~n} suffix if two paths collide. The same
 *       tensor object reached twice is stored once and comes back as one object.</li>
 *   <li>Decoding refuses a tag it does not know, a reference to a missing tensor, and a tensor nothing refers
 *       to, so a damaged structure never yields a partial checkpoint.</li>
 * </ul>
 */
final class CheckpointStructure {
    static final String TENSOR = "__tensor__", ARRAY = "__array__", LONG = "__long__", FLOAT = "__float__",
            DOUBLE = "__double__", INT_MAP = "__intmap__", MAP = "__map__";
    private static final Set<String> TAGS = Set.of(TENSOR, ARRAY, LONG, FLOAT, DOUBLE, INT_MAP, MAP);
    private static final String SUPPORTED = "a checkpoint holds tensors, maps with String or Integer keys, lists, "
            + "Strings, Booleans, Integers, Longs, Floats, Doubles, primitive arrays and null";

    final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private final IdentityHashMap<Object, String> keys = new IdentityHashMap<>();

    // ---------------------------------------------------------------- encoding

    /** The JSON form of {@code value}; tensors and arrays go to {@link #tensors}. */
    Object encode(Object value, String path) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> Map.of(LONG, l);
            case Double d -> Double.isFinite(d) ? d : Map.of(DOUBLE, d.toString());
            case Float f -> Map.of(FLOAT, f.toString());
            case Tensor t -> Map.of(TENSOR, store(t, t, path));
            case double[] a -> Map.of(ARRAY, store(a, Tensor.of(a), path));
            case float[] a -> Map.of(ARRAY, store(a, Tensor.of(a), path));
            case long[] a -> Map.of(ARRAY, store(a, Tensor.of(a), path));
            case int[] a -> Map.of(ARRAY, store(a, Tensor.of(a), path));
            case boolean[] a -> Map.of(ARRAY, store(a, Tensor.of(a), path));
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) out.add(encode(list.get(i), join(path, i)));
                yield out;
            }
            case Map<?, ?> map -> encodeMap(map, path);
            default -> throw new IllegalArgumentException("entry '" + path + "' is a " + value.getClass().getName()
                    + ", which cannot be stored: " + SUPPORTED);
        };
    }

    private Object encodeMap(Map<?, ?> map, String path) {
        boolean integerKeys = !map.isEmpty() && map.keySet().iterator().next() instanceof Integer;
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object k = e.getKey();
            if (integerKeys ? !(k instanceof Integer) : !(k instanceof String))
                throw new IllegalArgumentException("map '" + path + "' has key " + k + " ("
                        + (k == null ? "null" : k.getClass().getSimpleName()) + "): map keys must be all Strings or all "
                        + "Integers");
            String name = k.toString();
            out.put(name, encode(e.getValue(), join(path, name)));
        }
        if (integerKeys) return Map.of(INT_MAP, out);
        if (out.size() == 1 && looksLikeTag(out.keySet().iterator().next())) return Map.of(MAP, out);
        return out;
    }

    private static String join(String path, Object name) {
        return path.isEmpty() ? name.toString() : path + "/" + name;
    }

    private static boolean looksLikeTag(String key) {
        return key.length() > 4 && key.startsWith("__") && key.endsWith("__");
    }

    private String store(Object identity, Tensor t, String path) {
        String known = keys.get(identity);
        if (known != null) return known;
        String key = path;
        for (int n = 2; tensors.containsKey(key); n++) key = path + "~" + n;
        tensors.put(key, t);
        keys.put(identity, key);
        return key;
    }

    // ---------------------------------------------------------------- decoding

    /** The object tree of {@code json}, with tensors from {@code stored}; every stored tensor must be used. */
    static Object decode(Object json, Map<String, Tensor> stored) {
        Decoder d = new Decoder(stored);
        Object tree = d.decode(json, "");
        List<String> unused = new ArrayList<>();
        for (String k : stored.keySet()) if (!d.used.contains(k)) unused.add(k);
        if (!unused.isEmpty())
            throw new IllegalArgumentException("the file holds tensors the structure never mentions: " + unused);
        return tree;
    }

    private static final class Decoder {
        final Map<String, Tensor> stored;
        final Set<String> used = new java.util.HashSet<>();

        Decoder(Map<String, Tensor> stored) { this.stored = stored; }

        Object decode(Object json, String path) {
            return switch (json) {
                case null -> null;
                case String s -> s;
                case Boolean b -> b;
                case Long l -> l == l.intValue() ? (Object) l.intValue() : l;
                case Double d -> d;
                case List<?> list -> {
                    List<Object> out = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) out.add(decode(list.get(i), join(path, i)));
                    yield out;
                }
                case Map<?, ?> map -> map.size() == 1 && looksLikeTag((String) map.keySet().iterator().next())
                        ? tagged((String) map.keySet().iterator().next(), map.values().iterator().next(), path)
                        : fields(map, path);
                default -> throw new IllegalStateException("unexpected JSON value " + json);
            };
        }

        private LinkedHashMap<String, Object> fields(Map<?, ?> map, String path) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) out.put((String) e.getKey(), decode(e.getValue(), join(path, e.getKey())));
            return out;
        }

        private Object tagged(String tag, Object v, String path) {
            String where = "entry '" + path + "': ";
            switch (tag) {
                case TENSOR, ARRAY -> {
                    if (!(v instanceof String key) || !stored.containsKey(key))
                        throw new IllegalArgumentException(where + "refers to tensor " + Json.write(v) + ", which the file lacks");
                    used.add(key);
                    return tag.equals(TENSOR) ? stored.get(key) : array(stored.get(key), where);
                }
                case LONG -> {
                    if (v instanceof Long l) return l;
                }
                case FLOAT, DOUBLE -> {
                    if (v instanceof String s) {
                        try {
                            return tag.equals(FLOAT) ? (Object) Float.parseFloat(s) : (Object) Double.parseDouble(s);
                        } catch (NumberFormatException bad) { /* reported below */ }
                    }
                }
                case INT_MAP -> {
                    if (v instanceof Map<?, ?> m) {
                        LinkedHashMap<Integer, Object> out = new LinkedHashMap<>();
                        for (Map.Entry<?, ?> e : m.entrySet()) {
                            int k;
                            try {
                                k = Integer.parseInt((String) e.getKey());
                            } catch (NumberFormatException bad) {
                                throw new IllegalArgumentException(where + "integer-keyed map has key \"" + e.getKey() + "\"");
                            }
                            out.put(k, decode(e.getValue(), join(path, k)));
                        }
                        return out;
                    }
                }
                case MAP -> {
                    if (v instanceof Map<?, ?> m) return fields(m, path);
                }
                default -> throw new IllegalArgumentException(where + "unknown tag \"" + tag + "\" (written by a newer gpush?)");
            }
            throw new IllegalArgumentException(where + "malformed " + tag + " value " + Json.write(v));
        }

        private static Object array(Tensor t, String where) {
            if (t.dim() != 1) throw new IllegalArgumentException(where + "a stored array must be 1-d, got a tensor of "
                    + t.dim() + " dims");
            return switch (t.dtype()) {
                case FLOAT64 -> t.toDoubleArray();
                case FLOAT32 -> t.toFloatArray();
                case INT64 -> t.toLongArray();
                case INT32 -> t.toIntArray();
                case BOOL -> t.toBooleanArray();
                case FLOAT16, BFLOAT16 -> throw new IllegalArgumentException(where + "no Java array holds " + t.dtype());
            };
        }
    }
}
