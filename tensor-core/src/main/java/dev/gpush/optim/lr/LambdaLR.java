package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;

import java.util.Collections;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's lr to its base lr times {@code lrLambda(epoch)}, as PyTorch's {@code LambdaLR}. The functions
 * are not part of the state dict (PyTorch saves plain functions as None too).
 */
public class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** One function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this.lambdas = Collections.nCopies(optimizer.paramGroups().size(), lrLambda);
        super(optimizer);
    }

    /** One function per group, in order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        if (lrLambdas.size() != optimizer.paramGroups().size())
            throw new IllegalArgumentException("Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got "
                    + lrLambdas.size());
        this.lambdas = List.copyOf(lrLambdas);
        super(optimizer);
    }

    @Override protected double[] getLr() {
        double[] r = new double[baseLrs.size()];
        for (int i = 0; i < r.length; i++) r[i] = baseLrs.get(i) * lambdas.get(i).applyAsDouble(lastEpoch);
        return r;
    }
}
