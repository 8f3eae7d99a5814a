package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.Map;

/** Multiplies the lr by {@code gamma} every epoch, as PyTorch's {@code ExponentialLR}. */
public class ExponentialLR extends LRScheduler {
    private double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        this.gamma = gamma;
        super(optimizer);
    }

    @Override protected double[] getLr() {
        // the constructor's step leaves the lr as it is (so a resumed optimizer is not decayed twice)
        if (initial) return groupLrs();
        return fromCurrent(lr -> lr * gamma);
    }

    @Override protected double[] closedFormLr() { return fromBase(base -> base * Math.pow(gamma, lastEpoch)); }

    @Override protected void saveHyperparameters(Map<String, Object> out) { out.put("gamma", gamma); }

    @Override protected void loadHyperparameters(Map<String, ?> state) { gamma = number(state, "gamma", gamma); }
}
