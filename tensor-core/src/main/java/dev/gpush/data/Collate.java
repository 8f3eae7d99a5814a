package dev.gpush.data;

import dev.gpush.tensor.Tensor;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a list of samples into a batch (PyTorch's {@code default_collate}), by the type of the first sample:
 * <ul>
 *   <li>{@code Tensor}: stacked along a new first dim ({@code [batch, ...]}); all must have one shape.</li>
 *   <li>{@code Double} and {@code Float}: a float64 tensor {@code [batch]}; other numbers an int64 tensor;
 *       {@code Boolean} a bool tensor.</li>
 *   <li>a primitive array ({@code float[]}, {@code long[][]}, ...): one tensor with the batch as its first dim,
 *       of the array's dtype ({@link Tensor#of(Object)}).</li>
 *   <li>strings: left as a {@code List} of the strings.</li>
 *   <li>{@code List}: collated position by position into a {@code List} (all samples the same length), so a
 *       {@link TensorDataset}'s rows give a {@code List<Tensor>} of stacked tensors.</li>
 *   <li>{@code Map}: collated key by key into a {@code LinkedHashMap} with the first sample's key order.</li>
 *   <li>a record: collated component by component into the same record type; a component whose batch does not
 *       fit its declared type (an {@code int} label becomes a {@code Tensor}) is an error naming it.</li>
 * </ul>
 */
public final class Collate {
    private Collate() {}

    /**
     * The DataLoader's default: the batch has the samples' type (samples that are tensors, lists, maps or
     * records). Samples of other types collate into another type, which the loader must be told:
     * {@code .collate(Collate::toTensor)} for numbers or arrays.
     */
    @SuppressWarnings("unchecked")
    public static <T> T sameType(List<T> samples) {
        Object first = samples.isEmpty() ? null : samples.getFirst();
        if (first != null && !(first instanceof Tensor || first instanceof List || first instanceof Map
                || first.getClass().isRecord()))
            throw new IllegalArgumentException("the default collate keeps the sample type for tensors, lists, maps "
                    + "and records, but samples of " + first.getClass().getSimpleName() + " collate into another type: "
                    + "give the DataLoader .collate(Collate::toTensor) (numbers, arrays) or a collate function");
        return (T) collate(samples);
    }

    /** Samples of tensors, numbers, booleans or primitive arrays, as one tensor. */
    public static Tensor toTensor(List<?> samples) {
        Object batch = collate(samples);
        if (!(batch instanceof Tensor t))
            throw new IllegalArgumentException("Collate.toTensor: samples of " + samples.getFirst().getClass().getSimpleName()
                    + " collate into a " + batch.getClass().getSimpleName() + ", not a Tensor");
        return t;
    }

    /** The rule above, for any sample type. */
    public static Object collate(List<?> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("collate: the batch is empty");
        Object first = samples.getFirst();
        if (first == null) throw new IllegalArgumentException("collate: sample 0 is null");
        Class<?> kind = first instanceof Tensor ? Tensor.class : first instanceof Number ? Number.class
                : first instanceof CharSequence ? CharSequence.class : first instanceof List ? List.class
                : first instanceof Map ? Map.class : first.getClass();
        for (int i = 1; i < samples.size(); i++)
            if (!kind.isInstance(samples.get(i)))
                throw new IllegalArgumentException("collate: sample " + i + " is " + describe(samples.get(i))
                        + " but sample 0 is " + describe(first));
        if (first instanceof Tensor) return Tensor.stack(cast(samples), 0);
        if (first instanceof Number n) return numbers(samples, n instanceof Double || n instanceof Float);
        if (first instanceof Boolean) {
            boolean[] v = new boolean[samples.size()];
            for (int i = 0; i < v.length; i++) v[i] = (Boolean) samples.get(i);
            return Tensor.of(v);
        }
        if (first instanceof CharSequence) return new ArrayList<>(samples);
        if (first instanceof List<?> l) return lists(samples, l.size());
        if (first instanceof Map<?, ?> m) return maps(samples, m);
        if (first.getClass().isRecord()) return record(samples, first.getClass());
        if (first.getClass().isArray() && leaf(first.getClass()).isPrimitive()) {
            Object arrays = Array.newInstance(first.getClass(), samples.size());
            for (int i = 0; i < samples.size(); i++) Array.set(arrays, i, samples.get(i));
            return Tensor.of(arrays);
        }
        throw new IllegalArgumentException("collate: cannot batch samples of " + first.getClass().getName()
                + "; the default collate takes tensors, numbers, booleans, strings, primitive arrays, lists, maps "
                + "and records: give the DataLoader a collate function");
    }

    @SuppressWarnings("unchecked")
    private static List<Tensor> cast(List<?> samples) { return (List<Tensor>) samples; }

    private static Tensor numbers(List<?> samples, boolean floating) {
        int n = samples.size();
        if (floating) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = ((Number) samples.get(i)).doubleValue();
            return Tensor.of(v);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = ((Number) samples.get(i)).longValue();
        return Tensor.of(v);
    }

    private static List<Object> lists(List<?> samples, int length) {
        for (int i = 0; i < samples.size(); i++)
            if (((List<?>) samples.get(i)).size() != length)
                throw new IllegalArgumentException("collate: each list in the batch should be of equal size, but sample 0 has "
                        + length + " entries and sample " + i + " has " + ((List<?>) samples.get(i)).size());
        List<Object> batch = new ArrayList<>(length);
        for (int j = 0; j < length; j++) {
            List<Object> column = new ArrayList<>(samples.size());
            for (Object s : samples) column.add(((List<?>) s).get(j));
            batch.add(collate(column));
        }
        return batch;
    }

    private static Map<Object, Object> maps(List<?> samples, Map<?, ?> first) {
        Map<Object, Object> batch = new LinkedHashMap<>();
        for (Object key : first.keySet()) {
            List<Object> column = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                Map<?, ?> m = (Map<?, ?>) samples.get(i);
                if (!m.containsKey(key))
                    throw new IllegalArgumentException("collate: sample " + i + " has no key '" + key + "' (sample 0 has " + first.keySet() + ")");
                column.add(m.get(key));
            }
            batch.put(key, collate(column));
        }
        return batch;
    }

    private static Object record(List<?> samples, Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int c = 0; c < components.length; c++) {
                var accessor = components[c].getAccessor();
                accessor.setAccessible(true);
                List<Object> column = new ArrayList<>(samples.size());
                for (Object s : samples) column.add(accessor.invoke(s));
                values[c] = collate(column);
                types[c] = components[c].getType();
                if (!types[c].isInstance(values[c]))
                    throw new IllegalArgumentException("collate: record " + type.getSimpleName() + " declares component '"
                            + components[c].getName() + "' as " + types[c].getSimpleName() + " but its batch is a "
                            + values[c].getClass().getSimpleName() + ": declare it as " + values[c].getClass().getSimpleName()
                            + " (or Object), or give the DataLoader a collate function");
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("collate: cannot rebuild record " + type.getName() + ": " + e, e);
        }
    }

    private static Class<?> leaf(Class<?> c) {
        while (c.isArray()) c = c.getComponentType();
        return c;
    }

    private static String describe(Object o) { return o == null ? "null" : "a " + o.getClass().getSimpleName(); }
}
