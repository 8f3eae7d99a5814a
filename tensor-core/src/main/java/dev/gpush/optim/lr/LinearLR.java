package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.Map;

/**
 * Scales the lr by a factor that moves linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, then stays, as PyTorch's {@code LinearLR} (the usual warmup).
 */
public class LinearLR extends LRScheduler {
    private double startFactor, endFactor;
    private int totalIters;

    /** From 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5); }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (startFactor > 1.0 || startFactor <= 0)
            throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and less "
                    + "or equal to 1, got " + startFactor);
        if (endFactor > 1.0 || endFactor < 0)
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super(optimizer);
    }

    @Override protected double[] getLr() {
        if (lastEpoch == 0) return fromCurrent(lr -> lr * startFactor);
        if (initial || lastEpoch > totalIters) return groupLrs();
        double ratio = 1.0 + (endFactor - startFactor)
                / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        return fromCurrent(lr -> lr * ratio);
    }

    @Override protected double[] closedFormLr() {
        return fromBase(base -> base * (startFactor
                + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters));
    }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("start_factor", startFactor);
        out.put("end_factor", endFactor);
        out.put("total_iters", totalIters);
    }

    @Override protected void loadHyperparameters(Map<String, ?> state) {
        startFactor = number(state, "start_factor", startFactor);
        endFactor = number(state, "end_factor", endFactor);
        totalIters = (int) number(state, "total_iters", totalIters);
    }
}
