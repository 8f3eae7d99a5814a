package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multiplies the lr by {@code gamma} at each milestone epoch, as PyTorch's {@code MultiStepLR}; a milestone
 * listed twice multiplies by {@code gamma²}.
 */
public class MultiStepLR extends LRScheduler {
    private TreeMap<Integer, Integer> milestones;   // epoch -> how many times it is listed (PyTorch's Counter)
    private double gamma;

    /** {@code gamma} 0.1. */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones) { this(optimizer, milestones, 0.1); }

    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        this.milestones = count(milestones);
        this.gamma = gamma;
        super(optimizer);
    }

    private static TreeMap<Integer, Integer> count(List<?> epochs) {
        TreeMap<Integer, Integer> c = new TreeMap<>();
        for (Object e : epochs) c.merge(((Number) e).intValue(), 1, Integer::sum);
        return c;
    }

    @Override protected double[] getLr() {
        Integer times = milestones.get(lastEpoch);
        if (times == null) return groupLrs();
        return fromCurrent(lr -> lr * Math.pow(gamma, times));
    }

    /** {@code base * gamma^(milestones passed)}, counting repeats (PyTorch's {@code bisect_right}). */
    @Override protected double[] closedFormLr() {
        int passed = 0;
        for (var e : milestones.headMap(lastEpoch, true).values()) passed += e;
        int n = passed;
        return fromBase(base -> base * Math.pow(gamma, n));
    }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("milestones", new TreeMap<>(milestones));
        out.put("gamma", gamma);
    }

    @Override protected void loadHyperparameters(Map<String, ?> state) {
        if (state.get("milestones") instanceof Map<?, ?> m) {
            TreeMap<Integer, Integer> c = new TreeMap<>();
            m.forEach((k, v) -> c.put(((Number) k).intValue(), ((Number) v).intValue()));
            milestones = c;
        }
        gamma = number(state, "gamma", gamma);
    }
}
