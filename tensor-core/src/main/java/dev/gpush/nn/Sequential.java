package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

import java.util.Iterator;
import java.util.Map;

/**
 * Modules applied in order, as PyTorch's {@code nn.Sequential}: each one's output is the next one's input.
 * Children are named "0", "1", ... (or by the given names), so parameters read {@code 0.weight}, {@code 2.bias}.
 */
public class Sequential extends Module implements Iterable<Module> {
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Children with the given names, in the map's order (PyTorch's {@code Sequential(OrderedDict(...))}). */
    public Sequential(Map<String, ? extends Module> named) {
        named.forEach(this::registerModule);
    }

    /** Appends {@code m}, named by its position; returns this. */
    public Sequential add(Module m) {
        registerModule(String.valueOf(size()), m);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    @SuppressWarnings("unchecked")
    public <M extends Module> M get(int index) {
        return (M) children().get(position(index, size(), "Sequential"));
    }

    public int size() { return namedChildren().size(); }

    @Override public Iterator<Module> iterator() { return children().iterator(); }

    @Override public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : namedChildren().values()) x = m.forward(x);
        return x;
    }

    /** {@code index} in {@code [0, size)}, counting negative ones from the end; an error naming the container. */
    static int position(int index, int size, String container) {
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a " + container + " of "
                    + size + " modules");
        return index < 0 ? index + size : index;
    }
}
