package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A layer or a model: named parameters, buffers and submodules, as PyTorch's {@code nn.Module}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Names are registered in order and joined with dots, so state dict keys are PyTorch's
 *       ({@code layers.0.self_attn.in_proj_weight}). A null parameter or buffer (a Linear without bias) is
 *       registered but absent from the state dict, as in PyTorch.</li>
 *   <li>Parameters and buffers belong to the module for its lifetime: they are taken out of any {@link Scope}
 *       when registered, and {@link #to} and {@link #loadStateDict} re-point them in place
 *       ({@link Tensor#setData}), so optimizers made earlier keep working.</li>
 *   <li>A layer that takes one tensor overrides {@link #forward(Tensor)}; others (attention) declare their own
 *       {@code forward(...)}.</li>
 * </ul>
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
    protected boolean training = true;

    /** The one-tensor forward of most layers. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take a single tensor; "
                + "call its own forward(...)");
    }

    // ---------------------------------------------------------------- registration

    /** Registers {@code t} as a parameter (it will require grad); returns it. {@code t} may be null. */
    protected Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        if (t != null) {
            Scope.escape(t);
            if (!t.requiresGrad() && t.dtype().isFloatingPoint()) t.requiresGrad(true);
        }
        parameters.put(name, t);
        return t;
    }

    /** Registers state that is not trained (BatchNorm's running mean); it is saved and moved with the module. */
    protected Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        if (t != null) Scope.escape(t);
        buffers.put(name, t);
        return t;
    }

    protected <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        modules.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("invalid name '" + name + "': names are non-empty and have no dots");
        if (parameters.containsKey(name) || buffers.containsKey(name) || modules.containsKey(name))
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
    }

    // ---------------------------------------------------------------- traversal

    /** Direct submodules by name. */
    public Map<String, Module> namedChildren() { return java.util.Collections.unmodifiableMap(modules); }

    public List<Module> children() { return List.copyOf(modules.values()); }

    /** This module and every submodule, depth first, with dotted names ("" for this one). */
    public Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        out.put(prefix, this);
        modules.forEach((n, m) -> { if (m != null) m.collectModules(join(prefix, n), out); });
    }

    private static String join(String prefix, String name) { return prefix.isEmpty() ? name : prefix + "." + name; }

    /** Every parameter with its dotted name, each once even when shared. */
    public Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        namedModules().forEach((prefix, m) -> m.parameters.forEach((n, p) -> {
            if (p != null && seen.add(p)) out.put(join(prefix, n), p);
        }));
        return out;
    }

    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    public Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> m.buffers.forEach((n, b) -> { if (b != null) out.put(join(prefix, n), b); }));
        return out;
    }

    /** Runs {@code fn} on every submodule, then on this one (PyTorch's {@code apply}, used for init). */
    public Module apply(Consumer<Module> fn) {
        for (Module m : modules.values()) if (m != null) m.apply(fn);
        fn.accept(this);
        return this;
    }

    /** The number of parameter elements. */
    public long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    // ---------------------------------------------------------------- modes

    public Module train(boolean mode) {
        for (Module m : namedModules().values()) m.training = mode;
        return this;
    }

    public Module train() { return train(true); }

    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /** Drops every parameter's gradient, closing it (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            Tensor g = p.grad();
            p.setGrad(null);
            if (g != null) g.close();
        }
    }

    // ---------------------------------------------------------------- moving

    /** Moves parameters and buffers to {@code device}, in place. */
    public Module to(Device device) { return convert(device, null); }

    /** Casts floating point parameters and buffers to {@code dtype}, in place (integer buffers stay). */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("Module.to: expected a floating point dtype, got " + dtype);
        return convert(null, dtype);
    }

    public Module to(Device device, DType dtype) { return convert(device, dtype); }

    private Module convert(Device device, DType dtype) {
        try (GradMode g = GradMode.disable()) {
            for (Module m : namedModules().values()) {
                for (Map<String, Tensor> map : List.of(m.parameters, m.buffers))
                    for (Tensor t : map.values()) {
                        if (t == null) continue;
                        DType d = dtype != null && t.dtype().isFloatingPoint() ? dtype : t.dtype();
                        Tensor moved = t.to(device != null ? device : t.device(), d);
                        if (moved != t) t.setData(moved);
                    }
            }
        }
        return this;
    }

    // ---------------------------------------------------------------- state

    /** Parameters and buffers by dotted name: detached views of the live tensors. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> {
            m.parameters.forEach((n, p) -> { if (p != null) out.put(join(prefix, n), p.detach()); });
            m.buffers.forEach((n, b) -> { if (b != null) out.put(join(prefix, n), b.detach()); });
        });
        return out;
    }

    /** Keys a state dict lacked and keys it had that the module doesn't. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /**
     * Copies {@code state} into the parameters and buffers, casting to their dtype and device. With {@code strict},
     * any missing or unexpected key is an error (and nothing is changed); a shape mismatch always is.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> {
            m.parameters.forEach((n, p) -> { if (p != null) own.put(join(prefix, n), p); });
            m.buffers.forEach((n, b) -> { if (b != null) own.put(join(prefix, n), b); });
        });
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty()))
            throw new IllegalArgumentException("error(s) in loading state dict for " + getClass().getSimpleName()
                    + ": missing keys " + missing + ", unexpected keys " + unexpected);
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shapeRef(), e.getValue().shapeRef()))
                throw new IllegalArgumentException("size mismatch for " + e.getKey() + ": copying a param with shape "
                        + Shapes.str(src.shapeRef()) + ", the shape in the current model is "
                        + Shapes.str(e.getValue().shapeRef()));
        }
        try (GradMode g = GradMode.disable()) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    public LoadResult loadStateDict(Map<String, Tensor> state) { return loadStateDict(state, true); }

    // ---------------------------------------------------------------- printing

    /** The text inside this module's parentheses, as PyTorch's {@code extra_repr}. */
    protected String extraRepr() { return ""; }

    /** PyTorch's module tree: {@code Sequential(\n  (0): Linear(in_features=4, out_features=2, bias=True)\n)}. */
    @Override public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) lines.addAll(List.of(extra.split("\n")));
        modules.forEach((n, m) -> lines.add("(" + n + "): " + String.valueOf(m).replace("\n", "\n  ")));
        String name = getClass().getSimpleName();
        if (lines.isEmpty()) return name + "()";
        if (modules.isEmpty() && lines.size() == 1) return name + "(" + lines.getFirst() + ")";
        return name + "(\n  " + String.join("\n  ", lines) + "\n)";
    }

    /** The tree with a parameter count, for a quick look in a notebook. */
    public String summary() {
        return this + "\n" + String.format("%,d parameters", numParameters());
    }
}
