package dev.gpush.optim;

import dev.gpush.backend.AdamStep;
import dev.gpush.ops.Creation;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, as PyTorch's {@code torch.optim.Adam} (and, with decoupled weight decay, {@link AdamW}):
 * <pre>
 *   t += 1
 *   g = ±grad                                  (minus when maximize)
 *   p *= 1 - lr * weight_decay                 decoupled (AdamW)
 *   g += weight_decay * p                      otherwise (L2, Adam)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g²
 *   v_max = max(v_max, v)                      amsgrad: v_max replaces v below
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * State per parameter: {@code step} (a float32 0-dim tensor, counted per parameter), {@code exp_avg},
 * {@code exp_avg_sq} and, with amsgrad, {@code max_exp_avg_sq}. A step is one fused backend pass per parameter
 * where the backend has one (Note [fused Adam]), else a composite of tensor ops; the two agree to the bit.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * var opt = new Adam(model.parameters(), Adam.options().lr(3e-4).betas(0.9, 0.98).amsgrad(true));
 * }</pre>
 */
public class Adam extends Optimizer {

    /** The defaults of every group; change one with its wither ({@code options().betas(0.9, 0.98)}). */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                          boolean maximize, boolean decoupledWeightDecay) {
        public Options lr(double v) { return new Options(v, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay); }
        public Options betas(double b1, double b2) { return new Options(lr, b1, b2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay); }
        public Options eps(double v) { return new Options(lr, beta1, beta2, v, weightDecay, amsgrad, maximize, decoupledWeightDecay); }
        public Options weightDecay(double v) { return new Options(lr, beta1, beta2, eps, v, amsgrad, maximize, decoupledWeightDecay); }
        public Options amsgrad(boolean v) { return new Options(lr, beta1, beta2, eps, weightDecay, v, maximize, decoupledWeightDecay); }
        public Options maximize(boolean v) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, v, decoupledWeightDecay); }
        /** {@code true} makes this AdamW: weight decay shrinks the parameter instead of adding to the gradient. */
        public Options decoupledWeightDecay(boolean v) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, v); }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("betas", ParamGroup.tuple(beta1, beta2));
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("amsgrad", amsgrad);
            m.put("maximize", maximize);
            m.put("decoupled_weight_decay", decoupledWeightDecay);
            return m;
        }
    }

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Options options() { return new Options(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false); }

    public Adam(Iterable<Tensor> params) { this(params, options()); }

    public Adam(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public Adam(Iterable<Tensor> params, Options options) { super(single(params), options.toMap()); }

    /** Several groups; each takes the options it does not set from {@code options}. */
    public Adam(List<ParamGroup> groups, Options options) { super(groups, options.toMap()); }

    @Override protected void validate(ParamGroup group) {
        super.validate(group);
        double eps = group.getDouble("eps"), wd = group.getDouble("weight_decay");
        double[] betas = group.getDoubles("betas");
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        if (betas.length != 2) throw new IllegalArgumentException("betas must be a pair, got " + group.get("betas"));
        for (int i = 0; i < 2; i++)
            if (!(betas[i] >= 0 && betas[i] < 1))
                throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas[i]);
        if (!(wd >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + wd);
    }

    @Override protected void update(ParamGroup group, Tensor p, Tensor grad, Map<String, Object> state) {
        double[] betas = group.getDoubles("betas");
        boolean amsgrad = group.getBoolean("amsgrad");
        if (state.isEmpty()) {
            state.put("step", keep(Tensor.scalar(0.0f)));
            state.put("exp_avg", keep(Tensor.zerosLike(p)));
            state.put("exp_avg_sq", keep(Tensor.zerosLike(p)));
        }
        if (amsgrad && !state.containsKey("max_exp_avg_sq")) state.put("max_exp_avg_sq", keep(Tensor.zerosLike(p)));
        Tensor stepCount = (Tensor) state.get("step"), m = (Tensor) state.get("exp_avg"), v = (Tensor) state.get("exp_avg_sq");
        Tensor vMax = amsgrad ? (Tensor) state.get("max_exp_avg_sq") : null;
        AdamStep s = new AdamStep(group.lr(), betas[0], betas[1], group.getDouble("eps"), group.getDouble("weight_decay"),
                group.getBoolean("decoupled_weight_decay"), amsgrad, group.getBoolean("maximize"),
                stepCount.add_(1).item());
        if (!fusable(p, grad, m, v, vMax) || !Creation.backend(p).adamStep(p, grad, m, v, vMax, s))
            composite(s, p, grad, m, v, vMax);
    }

    /**
     * Note [fused Adam]: a float32 or float64 parameter whose gradient and state are contiguous and of its dtype,
     * shape and device runs the backend's fused step (one pass where the composite makes about ten); anything else,
     * or a backend without one, runs {@link #composite}. Both do AdamStep's operations with the same roundings, so
     * they agree to the bit (AdamFusedTest).
     */
    static boolean fusable(Tensor p, Tensor grad, Tensor m, Tensor v, Tensor vMax) {
        DType dt = p.dtype();
        if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || p.numel() == 0) return false;
        for (Tensor t : new Tensor[]{p, grad, m, v, vMax})
            if (t != null && (t.dtype() != dt || !t.isContiguous() || !t.device().equals(p.device())
                    || !Arrays.equals(t.shapeRef(), p.shapeRef()))) return false;
        return true;
    }

    /** AdamStep's update in tensor ops, on any device and dtype. */
    static void composite(AdamStep s, Tensor p, Tensor grad, Tensor m, Tensor v, Tensor vMax) {
        Tensor g = s.maximize() ? grad.neg() : grad;
        if (s.weightDecay() != 0) {
            if (s.decoupled()) p.mul_(s.decay());
            else g = g.add(p, s.weightDecay());
        }
        m.add_(g.sub(m).mul(1 - s.beta1()));             // PyTorch's exp_avg.lerp_(g, 1 - beta1)
        v.add_(g.mul(g).sub(v).mul(1 - s.beta2()));      // v + (1 - beta2)(g² - v): beta2 v + (1 - beta2) g²
        Tensor second = vMax == null ? v : vMax.copy_(vMax.maximum(v));
        p.add_(m.div(second.sqrt().add(s.epsTerm())), -s.stepSize());
    }
}
