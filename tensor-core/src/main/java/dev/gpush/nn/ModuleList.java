package dev.gpush.nn;

import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of submodules, registered under "0", "1", ..., as PyTorch's {@code nn.ModuleList}. It has no forward:
 * the owner iterates over it. It prints as PyTorch's does, folding runs of equal modules ({@code (0-5): 6 x ...}).
 */
public class ModuleList extends Module implements Iterable<Module> {
    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList(Iterable<? extends Module> modules) { addAll(modules); }

    /** Appends {@code m}; returns this (PyTorch's {@code append}). */
    public ModuleList add(Module m) {
        registerModule(String.valueOf(size()), m);
        return this;
    }

    /** Appends each of {@code modules}; returns this (PyTorch's {@code extend}). */
    public ModuleList addAll(Iterable<? extends Module> modules) {
        for (Module m : modules) add(m);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    @SuppressWarnings("unchecked")
    public <M extends Module> M get(int index) {
        return (M) children().get(Sequential.position(index, size(), "ModuleList"));
    }

    public int size() { return namedChildren().size(); }

    public boolean isEmpty() { return size() == 0; }

    @Override public Iterator<Module> iterator() { return children().iterator(); }

    @Override public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward: iterate over its modules instead");
    }

    /** PyTorch's ModuleList repr: consecutive modules that print the same are folded into one line. */
    @Override public String toString() {
        List<String> reprs = new ArrayList<>();
        for (Module m : this) reprs.add(String.valueOf(m));
        String name = getClass().getSimpleName();
        if (reprs.isEmpty()) return name + "()";
        List<String> lines = new ArrayList<>();
        for (int start = 0; start < reprs.size(); ) {
            int end = start;
            while (end + 1 < reprs.size() && reprs.get(end + 1).equals(reprs.get(start))) end++;
            String block = reprs.get(start);
            String line = start == end ? "(" + start + "): " + block
                    : "(" + start + "-" + end + "): " + (end - start + 1) + " x " + block;
            lines.add(line.replace("\n", "\n  "));
            start = end + 1;
        }
        return name + "(\n  " + String.join("\n  ", lines) + "\n)";
    }
}
