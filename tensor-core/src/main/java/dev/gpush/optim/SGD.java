package dev.gpush.optim;

import dev.gpush.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, as PyTorch's {@code torch.optim.SGD}:
 * <pre>
 *   g = ±grad + weight_decay * p                      (minus when maximize)
 *   buf = g                                           at the first step (momentum != 0)
 *   buf = momentum * buf + (1 - dampening) * g        afterwards
 *   g = nesterov ? g + momentum * buf : buf
 *   p -= lr * g
 * </pre>
 * State: {@code momentum_buffer}, only when momentum is not zero.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1);
 * var opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9).nesterov(true));
 * }</pre>
 */
public class SGD extends Optimizer {

    /** The defaults of every group; change one with its wither ({@code options().momentum(0.9)}). */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                          boolean maximize) {
        public Options lr(double v) { return new Options(v, momentum, dampening, weightDecay, nesterov, maximize); }
        public Options momentum(double v) { return new Options(lr, v, dampening, weightDecay, nesterov, maximize); }
        public Options dampening(double v) { return new Options(lr, momentum, v, weightDecay, nesterov, maximize); }
        public Options weightDecay(double v) { return new Options(lr, momentum, dampening, v, nesterov, maximize); }
        public Options nesterov(boolean v) { return new Options(lr, momentum, dampening, weightDecay, v, maximize); }
        public Options maximize(boolean v) { return new Options(lr, momentum, dampening, weightDecay, nesterov, v); }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", lr);
            m.put("momentum", momentum);
            m.put("dampening", dampening);
            m.put("weight_decay", weightDecay);
            m.put("nesterov", nesterov);
            m.put("maximize", maximize);
            return m;
        }
    }

    /** PyTorch's defaults: lr 1e-3, no momentum, dampening or weight decay. */
    public static Options options() { return new Options(1e-3, 0, 0, 0, false, false); }

    public SGD(Iterable<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public SGD(Iterable<Tensor> params, Options options) { super(single(params), options.toMap()); }

    /** Several groups; each takes the options it does not set from {@code options}. */
    public SGD(List<ParamGroup> groups, Options options) { super(groups, options.toMap()); }

    @Override protected void validate(ParamGroup group) {
        super.validate(group);
        double momentum = group.getDouble("momentum"), wd = group.getDouble("weight_decay");
        if (!(momentum >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + momentum);
        if (!(wd >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + wd);
        if (group.getBoolean("nesterov") && (momentum <= 0 || group.getDouble("dampening") != 0))
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (momentum "
                    + momentum + ", dampening " + group.getDouble("dampening") + ")");
    }

    @Override protected void update(ParamGroup group, Tensor p, Tensor grad, Map<String, Object> state) {
        double lr = group.lr(), momentum = group.getDouble("momentum"), wd = group.getDouble("weight_decay");
        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        if (wd != 0) g = g.add(p, wd);
        if (momentum != 0) {
            Tensor buf = (Tensor) state.get("momentum_buffer");
            if (buf == null) {
                // the first buffer is the gradient itself; a temporary of this step can be kept instead of copied
                buf = keep(g == grad ? grad.clone() : g);
                state.put("momentum_buffer", buf);
            } else {
                double dampening = group.getDouble("dampening");
                if (dampening == 0) buf.mul_(momentum).add_(g);   // the same values, one pass fewer
                else buf.mul_(momentum).add_(g, 1 - dampening);
            }
            g = group.getBoolean("nesterov") ? g.add(buf, momentum) : buf;
        }
        p.add_(g, -lr);
    }
}
