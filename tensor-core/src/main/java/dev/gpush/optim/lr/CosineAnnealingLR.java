package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.Map;

/**
 * Cosine annealing from the base lr down to {@code etaMin} over {@code tMax} epochs, as PyTorch's
 * {@code CosineAnnealingLR}: {@code etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}, computed
 * recursively from the current lr exactly as PyTorch does (so it composes with other changes to the lr); past
 * {@code tMax} it rises again with period {@code 2 * tMax}.
 */
public class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** {@code etaMin} 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0.0); }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer);
    }

    @Override protected double[] getLr() {
        if (initial) return groupLrs();
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr();
        double[] lrs = groupLrs();
        for (int i = 0; i < lrs.length; i++) {
            if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0)
                lrs[i] = lrs[i] + (baseLrs.get(i) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            else
                lrs[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lrs[i] - etaMin) + etaMin;
        }
        return lrs;
    }

    @Override protected double[] closedFormLr() {
        return fromBase(base -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2);
    }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("T_max", tMax);
        out.put("eta_min", etaMin);
    }

    @Override protected void loadHyperparameters(Map<String, ?> state) {
        tMax = (int) number(state, "T_max", tMax);
        etaMin = number(state, "eta_min", etaMin);
    }
}
