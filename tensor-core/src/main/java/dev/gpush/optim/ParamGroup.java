package dev.gpush.optim;

import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of an optimizer's parameter groups: a list of parameters and the options they are updated with
 * (PyTorch's {@code {"params": [...], "lr": 0.01, ...}} dict).
 *
 * <p>Options are keyed by PyTorch's names ({@code lr}, {@code momentum}, {@code weight_decay}, {@code betas},
 * ...), so a state dict reads like PyTorch's and schedulers can add their own entries ({@code initial_lr},
 * {@code max_lr}). Values are Java numbers, booleans, or lists of numbers for tuples ({@code betas}). A group
 * made by the user names only the options it overrides; the optimizer fills in the rest from its defaults when
 * the group is added.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final LinkedHashMap<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params} that takes every option from the optimizer's defaults until {@link #set} says otherwise. */
    public static ParamGroup of(Iterable<Tensor> params) {
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : params) list.add(p);
        return new ParamGroup(list);
    }

    /** A group of {@code params} with the given options (PyTorch's names) over the optimizer's defaults. */
    public static ParamGroup of(Iterable<Tensor> params, Map<String, ?> options) {
        ParamGroup g = of(params);
        options.forEach(g::set);
        return g;
    }

    public List<Tensor> params() { return params; }

    /** The options, read-only; change them with {@link #set}. */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    public boolean has(String key) { return options.containsKey(key); }

    public Object get(String key) {
        Object v = options.get(key);
        if (v == null && !options.containsKey(key))
            throw new IllegalArgumentException("parameter group has no option '" + key + "' (it has " + options.keySet() + ")");
        return v;
    }

    public double getDouble(String key) {
        Object v = get(key);
        if (!(v instanceof Number n))
            throw new IllegalArgumentException("option '" + key + "' is " + v + ", not a number");
        return n.doubleValue();
    }

    public boolean getBoolean(String key) {
        Object v = get(key);
        if (!(v instanceof Boolean b))
            throw new IllegalArgumentException("option '" + key + "' is " + v + ", not a boolean");
        return b;
    }

    /** A tuple option ({@code betas}) as doubles. */
    public double[] getDoubles(String key) {
        Object v = get(key);
        if (v instanceof double[] a) return a.clone();
        if (v instanceof List<?> list) {
            double[] r = new double[list.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(list.get(i) instanceof Number n))
                    throw new IllegalArgumentException("option '" + key + "' is " + v + ", not a list of numbers");
                r[i] = n.doubleValue();
            }
            return r;
        }
        throw new IllegalArgumentException("option '" + key + "' is " + v + ", not a list of numbers");
    }

    /** Sets an option; a {@code double[]} is stored as an unmodifiable list (a tuple). Returns this group. */
    public ParamGroup set(String key, Object value) {
        if (key.equals("params"))
            throw new IllegalArgumentException("'params' is not an option: a group's parameters are fixed when it is made");
        options.put(key, value instanceof double[] a ? tuple(a) : value instanceof List<?> l ? List.copyOf(l) : value);
        return this;
    }

    /** The learning rate (schedulers change it with {@link #setLr}). */
    public double lr() { return getDouble("lr"); }

    public ParamGroup setLr(double lr) { return set("lr", lr); }

    void putIfAbsent(String key, Object value) {
        if (!options.containsKey(key)) set(key, value);
    }

    /** Replaces every option (loading a state dict). */
    void replaceOptions(Map<String, ?> source) {
        options.clear();
        source.forEach((k, v) -> { if (!k.equals("params")) set(k, v); });
    }

    static List<Double> tuple(double... values) {
        List<Double> r = new ArrayList<>(values.length);
        for (double v : values) r.add(v);
        return Collections.unmodifiableList(r);
    }

    @Override public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
