package dev.gpush.amp;

import dev.gpush.autograd.GradMode;
import dev.gpush.optim.Optimizer;
import dev.gpush.optim.ParamGroup;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic loss scaling for float16 training, as PyTorch's {@code torch.amp.GradScaler}, on any device:
 * <pre>{@code
 * var scaler = new GradScaler();
 * try (var ac = Autocast.enable(DType.FLOAT16)) { loss = lossFn.apply(model.forward(x), y); }
 * scaler.scale(loss).backward();
 * scaler.step(optimizer);      // unscales, and skips the step if a gradient is inf or NaN
 * scaler.update();             // halves the scale after an overflow, doubles it after growthInterval clean steps
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>The scale is a float32 number, {@code initScale} until the first {@link #scale}. {@link #scale} multiplies
 *       by it as a float32 0-dim tensor on the output's device, so float16 gradients keep small values from
 *       flushing to zero.</li>
 *   <li>{@link #unscale_} multiplies each gradient of the optimizer's parameters in place by {@code 1/scale}
 *       (exact when the scale is a power of two) and records whether any element was inf or NaN. It runs at
 *       most once per optimizer between updates; {@link #step} calls it when the user did not (to clip
 *       unscaled gradients, call it first). float16 gradients are refused: parameters should stay float32.</li>
 *   <li>{@link #step} runs {@code optimizer.step()} unless that optimizer's gradients had an inf or NaN, and says
 *       whether it did. A skipped step leaves the parameters and the optimizer's state untouched.</li>
 *   <li>{@link #update} ends the iteration: after any overflow the scale is multiplied by {@code backoffFactor}
 *       and the count of clean steps restarts; after {@code growthInterval} clean steps in a row it is multiplied
 *       by {@code growthFactor} (unless that overflows float32).</li>
 *   <li>Disabled, {@link #scale} returns its input, {@link #step} just steps and the rest does nothing, so one
 *       training loop serves both precisions.</li>
 * </ul>
 */
public final class GradScaler {

    /** The options, PyTorch's defaults from {@link #options()}; change one with its wither. */
    public record Options(double initScale, double growthFactor, double backoffFactor, int growthInterval,
                          boolean enabled) {
        public Options initScale(double v) { return new Options(v, growthFactor, backoffFactor, growthInterval, enabled); }
        public Options growthFactor(double v) { return new Options(initScale, v, backoffFactor, growthInterval, enabled); }
        public Options backoffFactor(double v) { return new Options(initScale, growthFactor, v, growthInterval, enabled); }
        public Options growthInterval(int v) { return new Options(initScale, growthFactor, backoffFactor, v, enabled); }
        public Options enabled(boolean v) { return new Options(initScale, growthFactor, backoffFactor, growthInterval, v); }
    }

    /** initScale 2^16, growthFactor 2, backoffFactor 0.5, growthInterval 2000, enabled. */
    public static Options options() { return new Options(65536.0, 2.0, 0.5, 2000, true); }

    private enum Stage { READY, UNSCALED, STEPPED }

    /** Where one optimizer is in the current iteration, and whether its gradients overflowed. */
    private static final class PerOptimizer {
        Stage stage = Stage.READY;
        Boolean foundInf;   // null until unscale_
    }

    private final boolean enabled;
    private final double initScale;
    private double growthFactor, backoffFactor;
    private int growthInterval;
    private Float scale;            // null until the first scale(), as PyTorch's lazily made _scale
    private int growthTracker;      // clean steps since the last change of scale
    private final Map<Optimizer, PerOptimizer> perOptimizer = new IdentityHashMap<>();

    public GradScaler() { this(options()); }

    public GradScaler(boolean enabled) { this(options().enabled(enabled)); }

    public GradScaler(Options options) {
        checkGrowthFactor(options.growthFactor());
        checkBackoffFactor(options.backoffFactor());
        checkGrowthInterval(options.growthInterval());
        if (!(options.initScale() > 0) || !Float.isFinite((float) options.initScale()))
            throw new IllegalArgumentException("GradScaler: initScale must be a positive finite float32, got "
                    + options.initScale());
        this.enabled = options.enabled();
        this.initScale = options.initScale();
        this.growthFactor = options.growthFactor();
        this.backoffFactor = options.backoffFactor();
        this.growthInterval = options.growthInterval();
    }

    // ---------------------------------------------------------------- the iteration

    /** {@code output * scale}; {@code output} itself when disabled. */
    public Tensor scale(Tensor output) {
        if (!enabled) return output;
        if (scale == null) scale = (float) initScale;
        return output.mul(Tensor.full(new int[0], scale, DType.FLOAT32, output.device()));
    }

    /** Each output times the scale (several losses backpropagated together). */
    public List<Tensor> scale(List<Tensor> outputs) {
        List<Tensor> r = new ArrayList<>(outputs.size());
        for (Tensor o : outputs) r.add(scale(o));
        return r;
    }

    /**
     * Divides the gradients of {@code optimizer}'s parameters by the scale, in place, and records whether any was
     * inf or NaN. Call it before clipping or inspecting gradients; at most once per optimizer per iteration.
     */
    public void unscale_(Optimizer optimizer) {
        if (!enabled) return;
        checkScaled("unscale_");
        PerOptimizer st = perOptimizer.computeIfAbsent(optimizer, k -> new PerOptimizer());
        if (st.stage == Stage.UNSCALED)
            throw new IllegalStateException("unscale_() has already been called on this optimizer since the last update().");
        if (st.stage == Stage.STEPPED)
            throw new IllegalStateException("unscale_() is being called after step().");
        st.foundInf = unscaleGrads(optimizer, (float) (1.0 / scale));
        st.stage = Stage.UNSCALED;
    }

    /**
     * Unscales (unless {@link #unscale_} already did) and runs {@code optimizer.step()} when no gradient was inf or
     * NaN. Returns whether the optimizer stepped.
     */
    public boolean step(Optimizer optimizer) {
        if (!enabled) {
            optimizer.step();
            return true;
        }
        checkScaled("step");
        PerOptimizer st = perOptimizer.computeIfAbsent(optimizer, k -> new PerOptimizer());
        if (st.stage == Stage.STEPPED)
            throw new IllegalStateException("step() has already been called since the last update().");
        if (st.stage == Stage.READY) unscale_(optimizer);
        boolean stepped = !st.foundInf;
        if (stepped) optimizer.step();
        st.stage = Stage.STEPPED;
        return stepped;
    }

    /**
     * Adjusts the scale for the next iteration (backoff after an overflow in any optimizer, growth after
     * {@code growthInterval} clean iterations) and starts a new iteration. Call it once per iteration, after
     * {@link #step} for every optimizer.
     */
    public void update() {
        if (!enabled) return;
        checkScaled("update");
        boolean anyChecked = false, overflow = false;
        for (PerOptimizer st : perOptimizer.values()) {
            if (st.foundInf == null) continue;
            anyChecked = true;
            overflow |= st.foundInf;
        }
        if (!anyChecked)
            throw new IllegalStateException("No inf checks were recorded prior to update(): call step(optimizer) "
                    + "(or unscale_(optimizer)) before update()");
        if (overflow) {
            scale = (float) (scale * backoffFactor);
            growthTracker = 0;
        } else if (growthTracker + 1 == growthInterval) {
            float grown = (float) (scale * growthFactor);
            if (Float.isFinite(grown)) scale = grown;
            growthTracker = 0;
        } else {
            growthTracker++;
        }
        perOptimizer.clear();
    }

    /** Sets the scale to {@code newScale} and starts a new iteration (PyTorch's {@code update(new_scale)}). */
    public void update(double newScale) {
        if (!enabled) return;
        checkScaled("update");
        if (!(newScale > 0) || !Float.isFinite((float) newScale))
            throw new IllegalArgumentException("GradScaler.update: the new scale must be a positive finite float32, got "
                    + newScale);
        scale = (float) newScale;
        perOptimizer.clear();
    }

    /** Multiplies the gradients by {@code inv} in place; true when any element was inf or NaN before. */
    private static boolean unscaleGrads(Optimizer optimizer, float inv) {
        Map<Device, Tensor> nonFinite = new LinkedHashMap<>();   // per device: 0, or NaN once an inf/NaN was seen
        try (GradMode ng = GradMode.disable(); Scope temporaries = Scope.open()) {
            IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
            for (ParamGroup group : optimizer.paramGroups())
                for (Tensor p : group.params()) {
                    Tensor g = p.grad();
                    if (g == null || seen.put(g, true) != null) continue;
                    if (g.dtype() == DType.FLOAT16)
                        throw new IllegalArgumentException("Attempting to unscale FP16 gradients (parameter of shape "
                                + Shapes.str(p.shapeRef()) + "): keep the parameters float32 and let Autocast cast "
                                + "them for the forward");
                    // 0 * x is 0 for finite x and NaN for inf or NaN, so the sum is NaN exactly when one was present
                    nonFinite.merge(g.device(), g.mul(0.0).sum().to(DType.FLOAT32), Tensor::add);
                    g.mul_(Tensor.full(new int[0], inv, DType.FLOAT32, g.device()));
                }
            boolean found = false;
            for (Tensor flag : nonFinite.values()) found |= Double.isNaN(flag.item());
            return found;
        }
    }

    private void checkScaled(String what) {
        if (scale == null)
            throw new IllegalStateException("Attempted " + what + " but the scale was never used. This may indicate "
                    + "your script did not use scaler.scale(loss or outputs) earlier in the iteration.");
    }

    // ---------------------------------------------------------------- options and state

    public boolean isEnabled() { return enabled; }

    /** The current scale: initScale before the first {@link #scale}, 1 when disabled. */
    public double getScale() {
        if (!enabled) return 1.0;
        return scale == null ? (float) initScale : scale;
    }

    public double getGrowthFactor() { return growthFactor; }
    public void setGrowthFactor(double v) { checkGrowthFactor(v); growthFactor = v; }
    public double getBackoffFactor() { return backoffFactor; }
    public void setBackoffFactor(double v) { checkBackoffFactor(v); backoffFactor = v; }
    public int getGrowthInterval() { return growthInterval; }
    public void setGrowthInterval(int v) { checkGrowthInterval(v); growthInterval = v; }
    /** Clean iterations since the scale last changed. */
    public int getGrowthTracker() { return growthTracker; }

    /**
     * PyTorch's {@code state_dict()}: {@code scale}, {@code growth_factor}, {@code backoff_factor} (Doubles),
     * {@code growth_interval} and {@code _growth_tracker} (Integers); empty when disabled.
     */
    public Map<String, Object> stateDict() {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        if (!enabled) return d;
        d.put("scale", getScale());
        d.put("growth_factor", growthFactor);
        d.put("backoff_factor", backoffFactor);
        d.put("growth_interval", growthInterval);
        d.put("_growth_tracker", growthTracker);
        return d;
    }

    /** Restores what {@link #stateDict} saved; does nothing when disabled. */
    public void loadStateDict(Map<String, ?> state) {
        if (!enabled) return;
        if (state.isEmpty())
            throw new IllegalArgumentException("The source state dict is empty, possibly because it was saved from a "
                    + "disabled instance of GradScaler.");
        double s = number(state, "scale").doubleValue();
        if (!(s > 0) || !Float.isFinite((float) s))
            throw new IllegalArgumentException("GradScaler state dict: scale must be a positive finite float32, got " + s);
        double gf = number(state, "growth_factor").doubleValue(), bf = number(state, "backoff_factor").doubleValue();
        int gi = number(state, "growth_interval").intValue(), gt = number(state, "_growth_tracker").intValue();
        checkGrowthFactor(gf);
        checkBackoffFactor(bf);
        checkGrowthInterval(gi);
        scale = (float) s;
        growthFactor = gf;
        backoffFactor = bf;
        growthInterval = gi;
        growthTracker = gt;
    }

    private static Number number(Map<String, ?> state, String key) {
        Object v = state.get(key);
        if (!(v instanceof Number n))
            throw new IllegalArgumentException("GradScaler state dict: expected a number under '" + key + "', got "
                    + (v == null ? "nothing" : v + " (" + v.getClass().getSimpleName() + ")"));
        return n;
    }

    private static void checkGrowthFactor(double v) {
        if (!(v > 1.0)) throw new IllegalArgumentException("The growth factor must be > 1.0, got " + v);
    }

    private static void checkBackoffFactor(double v) {
        if (!(v < 1.0 && v > 0)) throw new IllegalArgumentException("The backoff factor must be in (0, 1), got " + v);
    }

    private static void checkGrowthInterval(int v) {
        if (v <= 0) throw new IllegalArgumentException("The growth interval must be a positive integer, got " + v);
    }

    @Override public String toString() {
        return "GradScaler(scale=" + getScale() + ", growthFactor=" + growthFactor + ", backoffFactor=" + backoffFactor
                + ", growthInterval=" + growthInterval + ", enabled=" + enabled + ")";
    }
}
