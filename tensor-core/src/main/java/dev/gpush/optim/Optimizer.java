package dev.gpush.optim;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The base of the optimizers, as PyTorch's {@code torch.optim.Optimizer}: parameter groups with their own options,
 * per-parameter state, {@link #step()}, {@link #zeroGrad()} and state dicts.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #step()} runs under no-grad and updates each parameter in place; a parameter whose gradient is
 *       null is skipped (and gets no state). The update's temporaries are freed when the step ends.</li>
 *   <li>State tensors (momentum buffers, Adam's moments and step counts) are taken out of every {@link Scope}
 *       when made or loaded: a training step inside a scope frees its temporaries, never the optimizer's state.</li>
 *   <li>State is made lazily, at a parameter's first step, and is keyed by the parameter itself.</li>
 *   <li>Options are read from the group at every step, so schedulers and users may change them (lr, momentum,
 *       betas) between steps.</li>
 *   <li>A state dict is PyTorch's structure: {@code {"state": {index: {name: tensor or number}}, "param_groups":
 *       [{options..., "params": [indices]}]}}, parameters numbered across the groups in order. Loading copies the
 *       state onto this optimizer's parameters by index, cast to each parameter's dtype and device (the
 *       {@code step} count stays float32).</li>
 * </ul>
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    /** {@code defaults} are the options a group takes when it does not name them (PyTorch's names). */
    protected Optimizer(List<ParamGroup> paramGroups, Map<String, Object> defaults) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        if (paramGroups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (ParamGroup g : paramGroups) addParamGroup(g);
    }

    /** One group of {@code params}, for the constructors that take a plain parameter list. */
    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        ParamGroup g = ParamGroup.of(params);
        if (g.params().isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        return List.of(g);
    }

    // ---------------------------------------------------------------- groups

    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    public Map<String, Object> defaults() { return defaults; }

    /**
     * Adds a group (fine-tuning a new head, unfreezing layers). Options it does not name come from the defaults.
     * Its parameters must be leaves and appear in no other group.
     */
    public void addParamGroup(ParamGroup group) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) seen.addAll(g.params());
        List<Tensor> ps = group.params();
        for (int i = 0; i < ps.size(); i++) {
            Tensor p = ps.get(i);
            if (p == null) throw new IllegalArgumentException("parameter " + i + " of the group is null");
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor (parameter " + i
                    + " of the group, shape " + Shapes.str(p.shapeRef()) + ")");
            if (!seen.add(p)) throw new IllegalArgumentException("some parameters appear more than once in the "
                    + "parameter groups (parameter " + i + " of the new group, shape " + Shapes.str(p.shapeRef()) + ")");
        }
        for (String key : group.options().keySet()) {
            String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
            if (!defaults.containsKey(key) && defaults.containsKey(snake))
                throw new IllegalArgumentException("unknown option '" + key + "' for " + getClass().getSimpleName()
                        + "; options use PyTorch's names: '" + snake + "'");
        }
        defaults.forEach(group::putIfAbsent);
        validate(group);
        groups.add(group);
    }

    /** Checks a group's options (negative learning rate, betas out of range, ...) when it is added. */
    protected void validate(ParamGroup group) {
        double lr = group.lr();
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
    }

    // ---------------------------------------------------------------- stepping

    /** One update of every parameter that has a gradient. */
    public void step() {
        try (GradMode noGrad = GradMode.disable(); Scope temporaries = Scope.open()) {
            for (ParamGroup group : groups)
                for (Tensor p : group.params()) {
                    Tensor grad = p.grad();
                    if (grad != null) update(group, p, grad, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
                }
        }
    }

    /** Re-evaluates the loss with {@code closure} (with grad enabled), steps, and returns the loss. */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (GradMode on = GradMode.enable()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * Updates {@code param} in place from {@code grad} under {@code group}'s options. Runs under no-grad inside a
     * scope that frees what it makes; tensors put in {@code state} must be taken out of it with
     * {@link Scope#escape} (see {@link #keep}).
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state);

    /** A new state tensor: escapes the step's scope and every other. */
    protected static Tensor keep(Tensor t) { return Scope.escape(t); }

    /** Drops every parameter's gradient, closing it (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() { zeroGrad(true); }

    /** With {@code setToNone == false}, zeroes the gradients in place instead of dropping them. */
    public void zeroGrad(boolean setToNone) {
        try (GradMode noGrad = GradMode.disable()) {
            for (ParamGroup group : groups)
                for (Tensor p : group.params()) {
                    Tensor g = p.grad();
                    if (g == null) continue;
                    if (setToNone) {
                        p.setGrad(null);
                        g.close();
                    } else {
                        g.detach_();
                        g.zero_();
                    }
                }
        }
    }

    /** The state of one parameter (PyTorch's {@code optimizer.state[p]}), read-only; empty before its first step. */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    // ---------------------------------------------------------------- state dicts

    /**
     * PyTorch's {@code state_dict()}: {@code "state"} maps a parameter's index to its state (tensors as detached
     * views of the live state, numbers as they are); {@code "param_groups"} lists each group's options with
     * {@code "params"}, the indices of its parameters.
     */
    public Map<String, Object> stateDict() {
        LinkedHashMap<Integer, Object> packedState = new LinkedHashMap<>();
        List<Object> packedGroups = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            LinkedHashMap<String, Object> packed = new LinkedHashMap<>(g.options());
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) {
                    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
                    s.forEach((k, v) -> copy.put(k, v instanceof Tensor t ? t.detach() : v));
                    packedState.put(index, copy);
                }
                ids.add(index++);
            }
            packed.put("params", ids);
            packedGroups.add(packed);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("state", packedState);
        out.put("param_groups", packedGroups);
        return out;
    }

    /**
     * PyTorch's {@code load_state_dict}: the groups' options are replaced by the saved ones, and the saved state is
     * copied onto this optimizer's parameters by index. The number of groups and of parameters in each must match,
     * and state tensors (except {@code step}) must have their parameter's shape; on a mismatch nothing changes.
     */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, ?> stateDict) {
        List<?> saved = OptimizerStateDict.groups(stateDict);
        OptimizerStateDict.checkGroups(groups, saved);
        Map<Tensor, Map<String, Object>> loaded = OptimizerStateDict.copyState(OptimizerStateDict.state(stateDict), saved, groups);
        for (int i = 0; i < groups.size(); i++) {
            // options a saved group lacks (an older format) fall back to the defaults, as PyTorch's __setstate__ does
            groups.get(i).replaceOptions((Map<String, ?>) saved.get(i));
            defaults.forEach(groups.get(i)::putIfAbsent);
        }
        for (Map<String, Object> old : state.values())
            for (Object v : old.values()) if (v instanceof Tensor t) t.close();
        state.clear();
        state.putAll(loaded);
    }

    /** PyTorch's listing: each group's options in sorted order. */
    @Override public String toString() {
        StringBuilder b = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            b.append("\nParameter Group ").append(i).append('\n');
            new java.util.TreeMap<>(groups.get(i).options()).forEach((k, v) -> b.append("    ").append(k).append(": ")
                    .append(v instanceof Boolean f ? (f ? "True" : "False")
                            : v instanceof List<?> l ? l.toString().replace('[', '(').replace(']', ')') : v).append('\n'));
        }
        return b.append(")").toString();
    }
}
