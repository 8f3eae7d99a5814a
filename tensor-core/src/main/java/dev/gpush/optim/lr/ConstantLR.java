package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.Map;

/**
 * Multiplies the lr by a constant {@code factor} until epoch {@code totalIters}, then restores it, as PyTorch's
 * {@code ConstantLR} (a simple warmup for {@link SequentialLR}).
 */
public class ConstantLR extends LRScheduler {
    private double factor;
    private int totalIters;

    /** {@code factor} 1/3 for 5 epochs. */
    public ConstantLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 5); }

    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        if (factor > 1.0 || factor < 0)
            throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1, got " + factor);
        this.factor = factor;
        this.totalIters = totalIters;
        super(optimizer);
    }

    @Override protected double[] getLr() {
        if (lastEpoch == 0) return fromCurrent(lr -> lr * factor);
        if (lastEpoch != totalIters) return groupLrs();
        return fromCurrent(lr -> lr * (1.0 / factor));
    }

    @Override protected double[] closedFormLr() {
        return fromBase(base -> base * (factor + (lastEpoch >= totalIters ? 1 - factor : 0)));
    }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("factor", factor);
        out.put("total_iters", totalIters);
    }

    @Override protected void loadHyperparameters(Map<String, ?> state) {
        factor = number(state, "factor", factor);
        totalIters = (int) number(state, "total_iters", totalIters);
    }
}
