package dev.gpush.optim.lr;

import dev.gpush.optim.Optimizer;
import dev.gpush.optim.ParamGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy, as PyTorch's {@code OneCycleLR}, stepped once per batch. The lr rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then falls to
 * {@code initial / finalDivFactor}; with {@code threePhase} it falls back to the initial lr symmetrically first and
 * then anneals to the minimum. With {@code cycleMomentum} the momentum (SGD) or beta1 (Adam) moves the opposite
 * way between {@code maxMomentum} and {@code baseMomentum}. Each group records {@code initial_lr}, {@code max_lr},
 * {@code min_lr} (and {@code max_momentum}, {@code base_momentum}) as PyTorch's do.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, OneCycleLR.options(0.01, 1000).pctStart(0.25).threePhase(true));
 * }</pre>
 */
public class OneCycleLR extends LRScheduler {

    public enum AnnealStrategy {
        COS, LINEAR;

        double anneal(double start, double end, double pct) {
            return this == COS ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
        }
    }

    /** The settings; per-group values ({@code maxLr}, momenta) take one number for all groups or one per group. */
    public record Options(double[] maxLr, int totalSteps, double pctStart, AnnealStrategy annealStrategy,
                          boolean cycleMomentum, double[] baseMomentum, double[] maxMomentum, double divFactor,
                          double finalDivFactor, boolean threePhase) {
        public Options maxLr(double... v) { return new Options(v, totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options totalSteps(int v) { return new Options(maxLr, v, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options pctStart(double v) { return new Options(maxLr, totalSteps, v, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options annealStrategy(AnnealStrategy v) { return new Options(maxLr, totalSteps, pctStart, v, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options cycleMomentum(boolean v) { return new Options(maxLr, totalSteps, pctStart, annealStrategy, v, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options baseMomentum(double... v) { return new Options(maxLr, totalSteps, pctStart, annealStrategy, cycleMomentum, v, maxMomentum, divFactor, finalDivFactor, threePhase); }
        public Options maxMomentum(double... v) { return new Options(maxLr, totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, v, divFactor, finalDivFactor, threePhase); }
        public Options divFactor(double v) { return new Options(maxLr, totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, v, finalDivFactor, threePhase); }
        public Options finalDivFactor(double v) { return new Options(maxLr, totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, v, threePhase); }
        public Options threePhase(boolean v) { return new Options(maxLr, totalSteps, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, v); }
    }

    /** PyTorch's defaults: pct_start 0.3, cosine, momentum cycled between 0.85 and 0.95, div factors 25 and 1e4. */
    public static Options options(double maxLr, int totalSteps) {
        return new Options(new double[]{maxLr}, totalSteps, 0.3, AnnealStrategy.COS, true, new double[]{0.85},
                new double[]{0.95}, 25.0, 1e4, false);
    }

    /** {@code totalSteps = epochs * stepsPerEpoch}. */
    public static Options options(double maxLr, int epochs, int stepsPerEpoch) {
        if (epochs <= 0) throw new IllegalArgumentException("Expected positive integer epochs, but got " + epochs);
        if (stepsPerEpoch <= 0) throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got " + stepsPerEpoch);
        return options(maxLr, epochs * stepsPerEpoch);
    }

    /** One phase: the lr and momentum anneal between two group entries until {@code endStep}. */
    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private int totalSteps;
    private List<Phase> phases;
    private AnnealStrategy anneal;
    private boolean cycleMomentum, useBeta1;

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) { this(optimizer, options(maxLr, totalSteps)); }

    public OneCycleLR(Optimizer optimizer, Options o) {
        if (o.totalSteps() <= 0) throw new IllegalArgumentException("Expected positive integer total_steps, but got " + o.totalSteps());
        if (o.pctStart() < 0 || o.pctStart() > 1)
            throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + o.pctStart());
        this.totalSteps = o.totalSteps();
        this.phases = phases(o.pctStart(), o.totalSteps(), o.threePhase());
        this.anneal = o.annealStrategy();
        this.cycleMomentum = o.cycleMomentum();
        this.useBeta1 = optimizer.defaults().containsKey("betas");
        setUp(optimizer, o);
        super(optimizer);
    }

    private static List<Phase> phases(double pctStart, int total, boolean threePhase) {
        double rise = pctStart * total - 1;
        if (threePhase)
            return List.of(new Phase(rise, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        return List.of(new Phase(rise, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
    }

    /** Writes the cycle's bounds into each group, and the starting momentum (PyTorch does this before its super call). */
    private static void setUp(Optimizer optimizer, Options o) {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup("max_lr", o.maxLr(), groups.size());
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            g.set("initial_lr", maxLrs[i] / o.divFactor());
            g.set("max_lr", maxLrs[i]);
            g.set("min_lr", maxLrs[i] / o.divFactor() / o.finalDivFactor());
        }
        if (!o.cycleMomentum()) return;
        boolean beta1 = optimizer.defaults().containsKey("betas");
        if (!beta1 && !optimizer.defaults().containsKey("momentum"))
            throw new IllegalArgumentException("optimizer must support momentum or beta1 with `cycle_momentum` option enabled ("
                    + optimizer.getClass().getSimpleName() + " has neither)");
        double[] maxM = perGroup("max_momentum", o.maxMomentum(), groups.size());
        double[] baseM = perGroup("base_momentum", o.baseMomentum(), groups.size());
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            setMomentum(g, beta1, maxM[i]);
            g.set("max_momentum", maxM[i]);
            g.set("base_momentum", baseM[i]);
        }
    }

    private static double[] perGroup(String name, double[] values, int groups) {
        if (values.length == 1) {
            double[] r = new double[groups];
            java.util.Arrays.fill(r, values[0]);
            return r;
        }
        if (values.length != groups)
            throw new IllegalArgumentException(name + " must have the same length as optimizer.param_groups. " + name
                    + " has " + values.length + " values, param_groups has " + groups + ".");
        return values.clone();
    }

    private static void setMomentum(ParamGroup g, boolean beta1, double m) {
        if (beta1) g.set("betas", new double[]{m, g.getDoubles("betas")[1]});
        else g.set("momentum", m);
    }

    @Override protected double[] getLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps)
            throw new IllegalStateException("Tried to step " + stepNum + " times. The specified number of total steps is " + totalSteps);
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = groups.get(i);
            double startStep = 0;
            for (int k = 0; k < phases.size(); k++) {
                Phase phase = phases.get(k);
                if (stepNum <= phase.endStep() || k == phases.size() - 1) {
                    if (phase.endStep() == startStep)
                        throw new IllegalStateException("OneCycleLR: phase " + k + " has no steps (it ends at step "
                                + phase.endStep() + " where it starts); raise total_steps or pct_start");
                    double pct = (stepNum - startStep) / (phase.endStep() - startStep);
                    lrs[i] = anneal.anneal(g.getDouble(phase.startLr()), g.getDouble(phase.endLr()), pct);
                    if (cycleMomentum)
                        setMomentum(g, useBeta1, anneal.anneal(g.getDouble(phase.startMomentum()),
                                g.getDouble(phase.endMomentum()), pct));
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }

    @Override protected void saveHyperparameters(Map<String, Object> out) {
        out.put("total_steps", totalSteps);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (Phase p : phases)
            ps.add(Map.of("end_step", p.endStep(), "start_lr", p.startLr(), "end_lr", p.endLr(),
                    "start_momentum", p.startMomentum(), "end_momentum", p.endMomentum()));
        out.put("_schedule_phases", ps);
        out.put("_anneal_func_type", anneal == AnnealStrategy.COS ? "cos" : "linear");
        out.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) out.put("use_beta1", useBeta1);
    }

    @Override protected void loadHyperparameters(Map<String, ?> state) {
        totalSteps = (int) number(state, "total_steps", totalSteps);
        if (state.get("_schedule_phases") instanceof List<?> ps) {
            List<Phase> loaded = new ArrayList<>();
            for (Object o : ps) {
                Map<?, ?> p = (Map<?, ?>) o;
                loaded.add(new Phase(((Number) p.get("end_step")).doubleValue(), (String) p.get("start_lr"),
                        (String) p.get("end_lr"), (String) p.get("start_momentum"), (String) p.get("end_momentum")));
            }
            phases = List.copyOf(loaded);
        }
        if (state.get("_anneal_func_type") instanceof String s) anneal = s.equals("cos") ? AnnealStrategy.COS : AnnealStrategy.LINEAR;
        if (state.get("cycle_momentum") instanceof Boolean b) cycleMomentum = b;
        if (state.get("use_beta1") instanceof Boolean b) useBeta1 = b;
    }
}
