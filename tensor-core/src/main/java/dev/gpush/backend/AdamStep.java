package dev.gpush.backend;

/**
 * The scalars of one Adam or AdamW step of one parameter ({@code step} is its count after this step, from 1), and
 * the derived ones the update uses. The optimizer's composite and every backend's fused step take them from here,
 * so the two paths cannot drift apart. The update (dev.gpush.optim.Adam), element by element:
 * <pre>
 *   g = maximize ? -grad : grad
 *   p = p * decay()                          decoupled weight decay (AdamW), when weightDecay != 0
 *   g = g + p * weightDecay                  L2 weight decay (Adam), when weightDecay != 0
 *   m = m + (g - m) * (1 - beta1)
 *   v = v + (g * g - v) * (1 - beta2)
 *   vMax = max(vMax, v)                      amsgrad: vMax replaces v below
 *   p = p + (m / (sqrt(v) + epsTerm())) * -stepSize()
 * </pre>
 * Each operation rounds to the parameter's dtype, and a scalar meets a float32 tensor rounded to float32.
 */
public record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                       boolean amsgrad, boolean maximize, double step) {

    /** {@code sqrt(1 - beta2^step)}. */
    public double biasCorrection2Sqrt() { return Math.sqrt(1 - Math.pow(beta2, step)); }

    /**
     * {@code lr / (1 - beta1^step) * sqrt(1 - beta2^step)}: PyTorch's {@code lr / bc1 * m / (sqrt(v) / sqrt(bc2) +
     * eps)} with {@code sqrt(bc2)} moved out of the denominator, which saves two passes over the parameter.
     */
    public double stepSize() { return lr / (1 - Math.pow(beta1, step)) * biasCorrection2Sqrt(); }

    /** {@code eps * sqrt(1 - beta2^step)}, eps moved with {@code sqrt(bc2)}. */
    public double epsTerm() { return eps * biasCorrection2Sqrt(); }

    /** The decoupled weight decay's factor, {@code 1 - lr * weightDecay}. */
    public double decay() { return 1 - lr * weightDecay; }
}
