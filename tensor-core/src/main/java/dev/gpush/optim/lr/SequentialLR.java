package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;
import dev.gpush.optim.ParamGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the milestone epochs, as PyTorch's {@code SequentialLR} (a
 * warmup followed by the main schedule):
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var cosine = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warmup, cosine), List.of(5));
 * }</pre>
 * On construction the lrs go back to each group's {@code initial_lr}, the steps the schedulers took when they
 * were made are undone, and the first one takes its initial step again. At a milestone the next scheduler
 * restarts at epoch 0 from its closed form (its base lr); between milestones the current one steps as usual.
 */
public class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private int[] milestones;

    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones) {
        super(optimizer, schedulers);
        if (milestones.size() != schedulers.size() - 1)
            throw new IllegalArgumentException("SequentialLR expects number of schedulers provided to be one more than "
                    + "the number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.size());
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.stream().mapToInt(Integer::intValue).toArray();
        this.lastEpoch = 0;
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) undo(s);
        this.schedulers.getFirst().initialStep();
        setLastLr(this.schedulers.getFirst().getLastLr());
    }

    /** Takes back the step each scheduler made when it was made (nested SequentialLRs included). */
    private static void undo(LRScheduler s) {
        if (s instanceof SequentialLR seq) for (LRScheduler inner : seq.schedulers) undo(inner);
        else s.lastEpoch--;
    }

    @Override public void step() {
        lastEpoch++;
        int idx = bisectRight(milestones, lastEpoch);
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.jumpTo(0);
        else s.step();
        setLastLr(s.getLastLr());
    }

    @Override protected void initialStep() {
        throw new UnsupportedOperationException("SequentialLR cannot restart; make a new one");
    }

    @Override void jumpTo(int epoch) {
        throw new UnsupportedOperationException("SequentialLR has no closed form to jump to epoch " + epoch);
    }

    @Override protected double[] getLr() {
        throw new UnsupportedOperationException("SequentialLR's lr comes from the scheduler it is running");
    }

    private static int bisectRight(int[] sorted, int x) {
        int i = 0;
        while (i < sorted.length && sorted[i] <= x) i++;
        return i;
    }

    public List<LRScheduler> schedulers() { return schedulers; }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("_milestones", Arrays.stream(milestones).boxed().toList());
        List<Object> inner = new ArrayList<>();
        for (LRScheduler s : schedulers) inner.add(s.stateDict());
        out.put("_schedulers", inner);
    }

    @SuppressWarnings("unchecked")
    @Override protected void loadHyperparameters(Map<String, ?> state) {
        if (state.get("_milestones") instanceof List<?> m) milestones = m.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        if (state.get("_schedulers") instanceof List<?> inner) {
            if (inner.size() != schedulers.size())
                throw new IllegalArgumentException("SequentialLR state has " + inner.size() + " schedulers, this one has "
                        + schedulers.size());
            for (int i = 0; i < inner.size(); i++) schedulers.get(i).loadStateDict((Map<String, ?>) inner.get(i));
        }
    }
}
