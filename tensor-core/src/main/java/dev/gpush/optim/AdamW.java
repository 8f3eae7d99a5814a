package dev.gpush.optim;

import dev.gpush.tensor.Tensor;

import java.util.List;

/**
 * AdamW, as PyTorch's {@code torch.optim.AdamW}: {@link Adam} with decoupled weight decay
 * ({@code p *= 1 - lr * weight_decay} before the Adam update) and a default weight decay of 1e-2.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), 1e-3);
 * var opt = new AdamW(model.parameters(), AdamW.options().lr(3e-4).weightDecay(0.05).amsgrad(true));
 * }</pre>
 * Options made with {@link Adam#options()} carry Adam's weight decay of 0; start from {@link #options()} for
 * AdamW's defaults. Weight decay is always decoupled here, whatever the options say.
 */
public class AdamW extends Adam {

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
    public static Options options() { return Adam.options().weightDecay(1e-2).decoupledWeightDecay(true); }

    public AdamW(Iterable<Tensor> params) { this(params, options()); }

    public AdamW(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public AdamW(Iterable<Tensor> params, Options options) { super(params, options.decoupledWeightDecay(true)); }

    /** Several groups; each takes the options it does not set from {@code options}. */
    public AdamW(List<ParamGroup> groups, Options options) { super(groups, options.decoupledWeightDecay(true)); }
}
