package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;
import dev.gpush.optim.ParamGroup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of the learning-rate schedulers, as PyTorch's {@code torch.optim.lr_scheduler.LRScheduler}.
 *
 * <p>Rules (PyTorch's):
 * <ul>
 *   <li>Making a scheduler records each group's {@code initial_lr} (if the group has none yet) as its base lr,
 *       and takes the initial step: {@code lastEpoch} goes from -1 to 0 and the lr becomes the schedule's value
 *       at 0.</li>
 *   <li>{@link #step()} is called once per epoch (or per batch for {@link OneCycleLR}) after
 *       {@code optimizer.step()}. It increments {@code lastEpoch} and sets each group's lr from the
 *       <em>chainable</em> form {@link #getLr()}, which mostly updates the group's current lr (so schedulers can be
 *       combined); {@link #closedFormLr()} gives the value from the base lr alone and is used when a
 *       {@link SequentialLR} restarts a scheduler at epoch 0.</li>
 *   <li>{@link #getLastLr()} is the lr of each group after the last step.</li>
 *   <li>A state dict holds PyTorch's keys ({@code base_lrs}, {@code last_epoch}, {@code _step_count},
 *       {@code _last_lr} and the scheduler's hyperparameters); loading it restores all of them.</li>
 * </ul>
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected List<Double> baseLrs;
    protected int lastEpoch;
    protected int stepCount;
    /** True during the step the constructor takes (PyTorch's {@code _is_initial}). */
    protected boolean initial;
    private List<Double> lastLr = List.of();

    /**
     * Sets up the base lrs and takes the initial step. Subclasses assign the fields their schedule reads before
     * calling it (a flexible constructor body), as PyTorch's subclasses set theirs before {@code super().__init__}.
     */
    protected LRScheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException("a scheduler needs an optimizer");
        this.optimizer = optimizer;
        for (ParamGroup g : optimizer.paramGroups()) if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
        baseLrs = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) baseLrs.add(g.getDouble("initial_lr"));
        lastEpoch = -1;
        initialStep();
    }

    /** A scheduler that drives {@code children} (all of one optimizer) and takes no step of its own here. */
    protected LRScheduler(Optimizer optimizer, List<? extends LRScheduler> children) {
        if (optimizer == null) throw new IllegalArgumentException("a scheduler needs an optimizer");
        String name = getClass().getSimpleName();
        if (children.isEmpty()) throw new IllegalArgumentException(name + " expects at least one scheduler, but got none");
        for (int i = 0; i < children.size(); i++)
            if (children.get(i).optimizer != optimizer)
                throw new IllegalArgumentException(name + " expects all schedulers to belong to the same optimizer, but "
                        + "scheduler " + children.get(i).getClass().getSimpleName() + " at index " + i
                        + " has a different one");
        this.optimizer = optimizer;
    }

    /** The step made on construction. */
    protected void initialStep() {
        stepCount = 0;
        initial = true;
        try {
            step();
        } finally {
            initial = false;
        }
    }

    public void step() {
        stepCount++;
        advance();
    }

    /** {@code lastEpoch + 1} and the chainable lrs. */
    void advance() {
        lastEpoch++;
        apply(getLr());
    }

    /** Jumps to {@code epoch} with the closed form where there is one (PyTorch's {@code _update_lr(epoch)}). */
    void jumpTo(int epoch) {
        lastEpoch = epoch;
        double[] closed = closedFormLr();
        apply(closed != null ? closed : getLr());
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        List<Double> last = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lrs[i]);
            last.add(groups.get(i).lr());
        }
        lastLr = Collections.unmodifiableList(last);
    }

    /** The chainable form: each group's lr at {@code lastEpoch}, usually from its current lr. */
    protected abstract double[] getLr();

    /** The lrs at {@code lastEpoch} from the base lrs alone, or null where the schedule has no closed form. */
    protected double[] closedFormLr() { return null; }

    /** The lr of each group after the last step. */
    public List<Double> getLastLr() { return lastLr; }

    protected void setLastLr(List<Double> lrs) { lastLr = List.copyOf(lrs); }

    public int lastEpoch() { return lastEpoch; }

    public List<Double> baseLrs() { return Collections.unmodifiableList(baseLrs); }

    public Optimizer optimizer() { return optimizer; }

    /** The current lr of every group (for the chainable forms). */
    protected double[] groupLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] r = new double[groups.size()];
        for (int i = 0; i < r.length; i++) r[i] = groups.get(i).lr();
        return r;
    }

    /** {@code f(base lr)} for every group. */
    protected double[] fromBase(java.util.function.DoubleUnaryOperator f) {
        double[] r = new double[baseLrs.size()];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(baseLrs.get(i));
        return r;
    }

    /** {@code f(current lr)} for every group. */
    protected double[] fromCurrent(java.util.function.DoubleUnaryOperator f) {
        double[] r = groupLrs();
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(r[i]);
        return r;
    }

    // ---------------------------------------------------------------- state

    public Map<String, Object> stateDict() {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (baseLrs != null) out.put("base_lrs", List.copyOf(baseLrs));
        out.put("last_epoch", lastEpoch);
        out.put("_step_count", stepCount);
        out.put("_last_lr", lastLr);
        saveHyperparameters(out);
        return out;
    }

    public void loadStateDict(Map<String, ?> state) {
        if (state.get("base_lrs") instanceof List<?> b) baseLrs = doubles(b);
        if (state.get("last_epoch") instanceof Number n) lastEpoch = n.intValue();
        if (state.get("_step_count") instanceof Number n) stepCount = n.intValue();
        if (state.get("_last_lr") instanceof List<?> l) lastLr = Collections.unmodifiableList(doubles(l));
        loadHyperparameters(state);
    }

    /** Adds the scheduler's own settings to a state dict, under PyTorch's names. */
    protected void saveHyperparameters(Map<String, Object> out) {}

    /** Restores what {@link #saveHyperparameters} wrote, for each key present. */
    protected void loadHyperparameters(Map<String, ?> state) {}

    protected static List<Double> doubles(List<?> values) {
        List<Double> r = new ArrayList<>(values.size());
        for (Object v : values) r.add(((Number) v).doubleValue());
        return r;
    }

    protected static double number(Map<String, ?> state, String key, double otherwise) {
        return state.get(key) instanceof Number n ? n.doubleValue() : otherwise;
    }

    @Override public String toString() {
        return getClass().getSimpleName() + "(last_epoch=" + lastEpoch + ", last_lr=" + lastLr + ")";
    }
}
