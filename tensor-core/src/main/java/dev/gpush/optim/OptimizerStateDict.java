package dev.gpush.optim;

import dev.gpush.autograd.GradMode;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading an optimizer state dict back ({@link Optimizer#loadStateDict}): checking its structure against the
 * optimizer's groups, then copying its state onto the parameters. Everything is checked before anything is
 * copied, so a bad state dict leaves the optimizer as it was.
 */
final class OptimizerStateDict {
    private OptimizerStateDict() {}

    static List<?> groups(Map<String, ?> stateDict) {
        if (!(stateDict.get("param_groups") instanceof List<?> groups))
            throw new IllegalArgumentException("not an optimizer state dict: no 'param_groups' list (keys " + stateDict.keySet() + ")");
        for (int i = 0; i < groups.size(); i++)
            if (!(groups.get(i) instanceof Map<?, ?> g) || !(g.get("params") instanceof List<?>))
                throw new IllegalArgumentException("not an optimizer state dict: param_groups[" + i + "] is not a map with a 'params' list");
        return groups;
    }

    static Map<?, ?> state(Map<String, ?> stateDict) {
        Object s = stateDict.get("state");
        if (s == null) return Map.of();
        if (!(s instanceof Map<?, ?> m))
            throw new IllegalArgumentException("not an optimizer state dict: 'state' is a " + s.getClass().getSimpleName() + ", not a map");
        return m;
    }

    static void checkGroups(List<ParamGroup> groups, List<?> saved) {
        if (groups.size() != saved.size())
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups: it has "
                    + saved.size() + ", the optimizer has " + groups.size());
        for (int i = 0; i < groups.size(); i++) {
            int n = savedParams(saved, i).size(), here = groups.get(i).params().size();
            if (n != here)
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the "
                        + "size of optimizer's group: group " + i + " has " + n + " parameters saved and " + here + " here");
        }
    }

    /** Copies of the saved state, keyed by this optimizer's parameters (saved ids map to parameters in group order). */
    static Map<Tensor, Map<String, Object>> copyState(Map<?, ?> savedState, List<?> saved, List<ParamGroup> groups) {
        Map<Long, Tensor> byId = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            List<?> ids = savedParams(saved, i);
            for (int j = 0; j < ids.size(); j++) byId.put(id(ids.get(j)), groups.get(i).params().get(j));
        }
        for (var e : savedState.entrySet()) {
            Tensor p = byId.get(id(e.getKey()));
            if (p == null) continue; // PyTorch ignores state for ids no group lists
            if (!(e.getValue() instanceof Map<?, ?> s))
                throw new IllegalArgumentException("state of parameter " + e.getKey() + " is not a map: " + e.getValue());
            for (var v : s.entrySet())
                if (v.getValue() instanceof Tensor t && !"step".equals(v.getKey()) && !Arrays.equals(t.shapeRef(), p.shapeRef()))
                    throw new IllegalArgumentException("loaded state '" + v.getKey() + "' of parameter " + e.getKey()
                            + " has shape " + Shapes.str(t.shapeRef()) + " but the parameter has shape " + Shapes.str(p.shapeRef()));
        }
        Map<Tensor, Map<String, Object>> out = new IdentityHashMap<>();
        try (GradMode noGrad = GradMode.disable(); Scope temporaries = Scope.open()) {
            for (var e : savedState.entrySet()) {
                Tensor p = byId.get(id(e.getKey()));
                if (p == null) continue;
                LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
                ((Map<?, ?>) e.getValue()).forEach((k, v) -> copy.put(String.valueOf(k), v instanceof Tensor t ? copyOf(t, p, "step".equals(k)) : v));
                out.put(p, copy);
            }
        }
        return out;
    }

    /** A fresh state tensor: the step count keeps its dtype and device, the rest take the parameter's. */
    private static Tensor copyOf(Tensor t, Tensor param, boolean isStep) {
        Tensor dst = isStep ? Tensor.zeros(t.shape(), t.dtype(), t.device())
                : Tensor.zeros(t.shape(), param.isFloatingPoint() ? param.dtype() : t.dtype(), param.device());
        dst.copy_(t);
        return Scope.escape(dst);
    }

    private static List<?> savedParams(List<?> saved, int i) {
        return (List<?>) ((Map<?, ?>) saved.get(i)).get("params");
    }

    private static long id(Object key) {
        if (key instanceof Number n) return n.longValue();
        try {
            return Long.parseLong(String.valueOf(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter ids in an optimizer state dict are integers, got '" + key + "'");
        }
    }
}
