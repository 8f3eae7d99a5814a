package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.Map;

/** Multiplies the lr by {@code gamma} every {@code stepSize} epochs, as PyTorch's {@code StepLR}. */
public class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /** {@code gamma} 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1); }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override protected double[] getLr() {
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return groupLrs();
        return fromCurrent(lr -> lr * gamma);
    }

    @Override protected double[] closedFormLr() {
        return fromBase(base -> base * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize)));
    }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("step_size", stepSize);
        out.put("gamma", gamma);
    }

    @Override protected void loadHyperparameters(Map<String, ?> state) {
        stepSize = (int) number(state, "step_size", stepSize);
        gamma = number(state, "gamma", gamma);
    }
}
