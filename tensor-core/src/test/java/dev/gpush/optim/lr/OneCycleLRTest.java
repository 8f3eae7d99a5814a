package dev.gpush.optim.lr;

import dev.gpush.optim.Adam;
import dev.gpush.optim.ParamGroup;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.gpush.optim.lr.SchedulerTest.assertLrs;
import static org.junit.jupiter.api.Assertions.*;

/**
 * OneCycleLR against the phase formulas of PyTorch's documentation: lr and momentum (or beta1) over every step,
 * two and three phases, cosine and linear annealing.
 */
class OneCycleLRTest {
    static final int TOTAL = 20;

    static double cos(double start, double end, double pct) { return end + (start - end) / 2 * (1 + Math.cos(Math.PI * pct)); }

    static double lin(double start, double end, double pct) { return start + (end - start) * pct; }

    /** The lr or momentum at {@code step} given the phase ends and the values at each phase boundary. */
    static double phased(int step, double[] ends, double[] values, boolean cosine) {
        double start = 0;
        for (int k = 0; k < ends.length; k++) {
            if (step <= ends[k] || k == ends.length - 1) {
                double pct = (step - start) / (ends[k] - start);
                return cosine ? cos(values[k], values[k + 1], pct) : lin(values[k], values[k + 1], pct);
            }
            start = ends[k];
        }
        throw new AssertionError();
    }

    /** Steps {@code s} to the end of the cycle, checking the group's lr and momentum (key, index) at each step. */
    static void assertCycle(OneCycleLR s, double[] ends, double[] lrs, double[] momenta, boolean cosine, String key) {
        ParamGroup g = s.optimizer().paramGroups().getFirst();
        for (int step = 0; step <= TOTAL; step++) {
            if (step > 0) s.step();
            assertEquals(phased(step, ends, lrs, cosine), g.lr(), 1e-15, "lr at step " + step);
            double m = key.equals("betas") ? g.getDoubles("betas")[0] : g.getDouble("momentum");
            assertEquals(phased(step, ends, momenta, cosine), m, 1e-15, "momentum at step " + step);
        }
    }

    static SGD sgd() { return new SGD(List.of(Tensor.of(1.0).requiresGrad(true)), SGD.options().lr(0.5).momentum(0.9)); }

    @Test void twoPhasesRiseToMaxLrThenAnnealToTheMinimum() {
        OneCycleLR s = new OneCycleLR(sgd(), 0.1, TOTAL);
        // pct_start 0.3: the rise ends at step 0.3 * 20 - 1 = 5; initial 0.1 / 25, minimum initial / 1e4
        assertEquals(0.004, s.getLastLr().getFirst(), 1e-17);
        assertCycle(s, new double[]{5, 19}, new double[]{0.004, 0.1, 4e-7}, new double[]{0.95, 0.85, 0.95}, true, "momentum");
        var group = s.optimizer().paramGroups().getFirst();
        assertEquals(0.004, group.getDouble("initial_lr"), 1e-17);
        assertEquals(0.1, group.getDouble("max_lr"));
        assertEquals(4e-7, group.getDouble("min_lr"), 1e-22);
        var e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("Tried to step 21 times. The specified number of total steps is 20", e.getMessage());
    }

    @Test void literalValuesAtThePhaseBoundaries() {
        OneCycleLR s = new OneCycleLR(sgd(), 0.1, TOTAL);
        double[] lrs = SchedulerTest.run(s, 19);
        assertEquals(0.004, lrs[0], 1e-17);
        assertEquals(0.1, lrs[5], 1e-17);
        assertEquals(4e-7, lrs[19], 1e-20);
        assertEquals(0.0500002, lrs[12], 1e-16);   // halfway down (step 12 of 5..19): (0.1 + 4e-7) / 2
    }

    @Test void threePhasesComeBackToTheInitialLrBeforeTheMinimum() {
        OneCycleLR s = new OneCycleLR(sgd(), OneCycleLR.options(0.1, TOTAL).threePhase(true));
        // ends: 0.3*20-1 = 5, 2*0.3*20-2 = 10, 19
        assertCycle(s, new double[]{5, 10, 19}, new double[]{0.004, 0.1, 0.004, 4e-7},
                new double[]{0.95, 0.85, 0.95, 0.95}, true, "momentum");
    }

    @Test void linearAnnealingWithOtherFactorsAndPctStart() {
        OneCycleLR s = new OneCycleLR(sgd(), OneCycleLR.options(1.0, TOTAL).pctStart(0.25)
                .annealStrategy(OneCycleLR.AnnealStrategy.LINEAR).divFactor(10).finalDivFactor(100)
                .baseMomentum(0.8).maxMomentum(0.9));
        assertCycle(s, new double[]{4, 19}, new double[]{0.1, 1.0, 0.001}, new double[]{0.9, 0.8, 0.9}, false, "momentum");
    }

    @Test void adamsBeta1CyclesAndBeta2Stays() {
        Adam opt = new Adam(List.of(Tensor.of(1.0).requiresGrad(true)), Adam.options().betas(0.9, 0.99));
        OneCycleLR s = new OneCycleLR(opt, 0.01, TOTAL);
        assertCycle(s, new double[]{5, 19}, new double[]{0.0004, 0.01, 4e-8}, new double[]{0.95, 0.85, 0.95}, true, "betas");
        assertEquals(0.99, opt.paramGroups().getFirst().getDoubles("betas")[1]);
    }

    @Test void withoutCycleMomentumTheMomentumIsLeftAlone() {
        SGD opt = sgd();
        OneCycleLR s = new OneCycleLR(opt, OneCycleLR.options(0.1, TOTAL).cycleMomentum(false));
        for (int i = 0; i < 7; i++) s.step();
        assertEquals(0.9, opt.paramGroups().getFirst().getDouble("momentum"));
        assertFalse(opt.paramGroups().getFirst().has("max_momentum"));
    }

    @Test void perGroupMaxLrs() {
        Tensor a = Tensor.of(1.0).requiresGrad(true), b = Tensor.of(1.0).requiresGrad(true);
        SGD opt = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), Map.of("lr", 0.3))), SGD.options().lr(0.1));
        OneCycleLR s = new OneCycleLR(opt, OneCycleLR.options(0.1, TOTAL).maxLr(0.1, 1.0));
        for (int i = 0; i < 5; i++) s.step();
        assertEquals(List.of(0.1, 1.0), s.getLastLr().stream().map(v -> Math.round(v * 1e12) / 1e12).toList());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new OneCycleLR(opt, OneCycleLR.options(0.1, TOTAL).maxLr(0.1, 1.0, 2.0)));
        assertTrue(e.getMessage().contains("max_lr has 3 values, param_groups has 2"), e.getMessage());
    }

    @Test void epochsTimesStepsPerEpochGivesTheTotal() {
        OneCycleLR s = new OneCycleLR(sgd(), OneCycleLR.options(0.1, 4, 5));
        double[] lrs = SchedulerTest.run(s, TOTAL);
        double[] expected = new double[TOTAL + 1];
        for (int i = 0; i <= TOTAL; i++) expected[i] = phased(i, new double[]{5, 19}, new double[]{0.004, 0.1, 4e-7}, true);
        assertLrs(expected, lrs, 1e-14);
    }

    @Test void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(sgd(), 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(sgd(), OneCycleLR.options(0.1, 10).pctStart(1.5)));
        // a rise of zero steps (0.1 * 10 - 1 = 0) is PyTorch's division by zero; here a clear error
        var e = assertThrows(IllegalStateException.class, () -> new OneCycleLR(sgd(), OneCycleLR.options(0.1, 10).pctStart(0.1)));
        assertTrue(e.getMessage().contains("phase 0 has no steps"), e.getMessage());
    }
}
