package dev.gpush.optim.lr;

import dev.gpush.optim.ParamGroup;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each scheduler's lr over 20 epochs against the closed forms in PyTorch's documentation (the schedulers compute
 * PyTorch's chainable, recursive forms), with a few literal values.
 */
class SchedulerTest {
    static final int EPOCHS = 20;

    static SGD sgd(double lr) { return new SGD(List.of(Tensor.of(1.0).requiresGrad(true)), lr); }

    /** The lr of group 0 at epochs 0..epochs: after construction, then after each step. */
    static double[] run(LRScheduler s, int epochs) {
        double[] lrs = new double[epochs + 1];
        lrs[0] = s.getLastLr().getFirst();
        for (int e = 1; e <= epochs; e++) {
            s.step();
            lrs[e] = s.getLastLr().getFirst();
            assertEquals(lrs[e], s.optimizer().paramGroups().getFirst().lr(), "getLastLr is the group's lr");
        }
        return lrs;
    }

    static double[] closedForm(int epochs, IntToDoubleFunction f) {
        double[] r = new double[epochs + 1];
        for (int e = 0; e <= epochs; e++) r[e] = f.applyAsDouble(e);
        return r;
    }

    static void assertLrs(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int e = 0; e < expected.length; e++)
            assertEquals(expected[e], actual[e], tol * Math.max(1e-3, Math.abs(expected[e])), "lr at epoch " + e);
    }

    @Test void stepLRDecaysEveryStepSizeEpochs() {
        double[] lrs = run(new StepLR(sgd(0.1), 3, 0.5), EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> 0.1 * Math.pow(0.5, e / 3)), lrs, 1e-14);
        assertEquals(0.1, lrs[2]);
        assertEquals(0.05, lrs[3]);
        assertLrs(closedForm(EPOCHS, e -> 0.1 * Math.pow(0.1, e / 7)), run(new StepLR(sgd(0.1), 7), EPOCHS), 1e-14);
    }

    @Test void multiStepLRDecaysAtMilestonesCountingRepeats() {
        List<Integer> milestones = List.of(2, 5, 5, 9);
        double[] lrs = run(new MultiStepLR(sgd(1.0), milestones, 0.5), EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> Math.pow(0.5, milestones.stream().filter(m -> m <= e).count())), lrs, 1e-14);
        assertEquals(0.5, lrs[4]);
        assertEquals(0.125, lrs[5]);
        assertEquals(0.0625, lrs[9]);
    }

    @Test void exponentialLRMultipliesEveryEpoch() {
        double[] lrs = run(new ExponentialLR(sgd(0.1), 0.9), EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> 0.1 * Math.pow(0.9, e)), lrs, 1e-13);
        assertEquals(0.1, lrs[0]);
        assertEquals(0.081, lrs[2], 1e-16);
    }

    @Test void cosineAnnealingFollowsTheCosineAndRisesAgainPastTMax() {
        double[] lrs = run(new CosineAnnealingLR(sgd(0.1), 10), EPOCHS);
        assertEquals(0.1, lrs[0]);
        assertEquals(0.09755282581475769, lrs[1], 1e-16);
        assertEquals(0.09045084971874738, lrs[2], 1e-16);
        assertEquals(0.05, lrs[5], 1e-16);
        assertEquals(0.0, lrs[10]);
        assertEquals(0.0024471741852423234, lrs[11], 1e-16);
        assertLrs(closedForm(EPOCHS, e -> 0.05 * (1 + Math.cos(Math.PI * e / 10))), lrs, 1e-12);

        double[] withMin = run(new CosineAnnealingLR(sgd(0.1), 7, 0.01), EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> 0.01 + 0.09 * (1 + Math.cos(Math.PI * e / 7)) / 2), withMin, 1e-12);
    }

    @Test void linearLRWarmsUpThenHolds() {
        double[] lrs = run(new LinearLR(sgd(0.1), 0.25, 1.0, 4), EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> 0.1 * (0.25 + 0.75 * Math.min(4, e) / 4)), lrs, 1e-14);
        assertEquals(0.025, lrs[0], 1e-17);
        assertEquals(0.1, lrs[4], 1e-16);
        // PyTorch's defaults: from 1/3 to 1 over 5 epochs; and a decay
        assertLrs(closedForm(EPOCHS, e -> 0.05 * (1.0 / 3 + (1 - 1.0 / 3) * Math.min(5, e) / 5)), run(new LinearLR(sgd(0.05)), EPOCHS), 1e-13);
        assertLrs(closedForm(EPOCHS, e -> 0.1 * (1.0 + (0.1 - 1.0) * Math.min(10, e) / 10)), run(new LinearLR(sgd(0.1), 1.0, 0.1, 10), EPOCHS), 1e-13);
    }

    @Test void constantLRScalesUntilTotalIters() {
        double[] lrs = run(new ConstantLR(sgd(0.1), 0.5, 4), EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> e < 4 ? 0.05 : 0.1), lrs, 1e-15);
    }

    @Test void lambdaLRMultipliesTheBaseLrPerGroup() {
        Tensor a = Tensor.of(1.0).requiresGrad(true), b = Tensor.of(1.0).requiresGrad(true);
        SGD opt = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), Map.of("lr", 1.0))), SGD.options().lr(0.1));
        LambdaLR s = new LambdaLR(opt, List.of(e -> Math.pow(0.95, e), e -> e / 3));
        for (int e = 0; e <= EPOCHS; e++) {
            int epoch = e;
            assertEquals(0.1 * Math.pow(0.95, e), s.getLastLr().get(0), 1e-15, () -> "group 0 at epoch " + epoch);
            assertEquals(1.0 * (e / 3), s.getLastLr().get(1), 1e-15, () -> "group 1 at epoch " + epoch);
            s.step();
        }
        var err = assertThrows(IllegalArgumentException.class, () -> new LambdaLR(opt, List.of(e -> 1.0)));
        assertEquals("Expected 2 lr_lambdas, but got 1", err.getMessage());
    }

    @Test void groupsKeepTheirOwnBaseLrs() {
        Tensor a = Tensor.of(1.0).requiresGrad(true), b = Tensor.of(1.0).requiresGrad(true);
        SGD opt = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), Map.of("lr", 0.02))), SGD.options().lr(0.1));
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 10);
        assertEquals(List.of(0.1, 0.02), s.baseLrs());
        assertEquals(0.02, opt.paramGroups().get(1).getDouble("initial_lr"));
        for (int i = 0; i < 3; i++) s.step();
        assertEquals(0.02 * (1 + Math.cos(Math.PI * 3 / 10)) / 2, s.getLastLr().get(1), 1e-15);
    }

    @Test void sequentialLRWarmsUpLinearlyThenAnnealsFromTheBaseLr() {
        SGD opt = sgd(0.1);
        LinearLR warmup = new LinearLR(opt, 0.1, 1.0, 5);
        CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 15);
        SequentialLR s = new SequentialLR(opt, List.of(warmup, cosine), List.of(5));
        double[] lrs = run(s, EPOCHS);
        assertLrs(closedForm(EPOCHS, e -> e < 5 ? 0.1 * (0.1 + 0.9 * e / 5) : 0.05 * (1 + Math.cos(Math.PI * (e - 5) / 15))), lrs, 1e-12);
        assertEquals(0.01, lrs[0], 1e-17);
        assertEquals(0.028, lrs[1], 1e-16);
        assertEquals(0.1, lrs[5]);
        assertEquals(0.0, lrs[20], 1e-17);
    }

    @Test void sequentialLRChainsAConstantWarmupIntoAnExponentialDecay() {
        // PyTorch's documented example: 0.005 until epoch 20, then 0.05, 0.045, 0.0405, ...
        SGD opt = sgd(0.05);
        SequentialLR s = new SequentialLR(opt, List.of(new ConstantLR(opt, 0.1, 20), new ExponentialLR(opt, 0.9)), List.of(20));
        double[] lrs = run(s, 25);
        assertLrs(closedForm(25, e -> e < 20 ? 0.005 : 0.05 * Math.pow(0.9, e - 20)), lrs, 1e-13);
    }

    @Test void sequentialLRNeedsOneMilestoneBetweenEachPairAndOneOptimizer() {
        SGD opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(opt, List.of(new ConstantLR(opt), new ExponentialLR(opt, 0.9)), List.of(2, 4)));
        assertTrue(e.getMessage().contains("number of schedulers 2 and the number of milestones to be equal to 2"), e.getMessage());
        SGD other = sgd(0.1);
        e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(opt, List.of(new ConstantLR(opt), new ExponentialLR(other, 0.9)), List.of(2)));
        assertTrue(e.getMessage().contains("same optimizer"), e.getMessage());
    }

    @Test void stateDictRoundTripResumesTheSchedule() {
        double[] full = run(new CosineAnnealingLR(sgd(0.1), 12, 0.001), EPOCHS);

        SGD opt = sgd(0.1);
        CosineAnnealingLR first = new CosineAnnealingLR(opt, 12, 0.001);
        for (int i = 0; i < 7; i++) first.step();
        Map<String, Object> sd = first.stateDict();
        assertEquals(7, sd.get("last_epoch"));
        assertEquals(12, sd.get("T_max"));
        assertEquals(List.of(0.1), sd.get("base_lrs"));
        Map<String, Object> optState = opt.stateDict();

        SGD opt2 = sgd(0.1);
        CosineAnnealingLR resumed = new CosineAnnealingLR(opt2, 99);
        opt2.loadStateDict(optState);
        resumed.loadStateDict(sd);
        assertEquals(full[7], resumed.getLastLr().getFirst());
        for (int e = 8; e <= EPOCHS; e++) {
            resumed.step();
            assertEquals(full[e], resumed.getLastLr().getFirst(), 1e-15, "epoch " + e);
        }
    }

    @Test void sequentialStateDictCarriesItsSchedulers() {
        SGD opt = sgd(0.1);
        SequentialLR s = new SequentialLR(opt, List.of(new LinearLR(opt, 0.5, 1.0, 3), new StepLR(opt, 2, 0.5)), List.of(3));
        for (int i = 0; i < 6; i++) s.step();
        Map<String, Object> sd = s.stateDict();
        assertEquals(List.of(3), sd.get("_milestones"));
        assertEquals(2, ((List<?>) sd.get("_schedulers")).size());

        SGD opt2 = sgd(0.1);
        SequentialLR t = new SequentialLR(opt2, List.of(new LinearLR(opt2, 0.5, 1.0, 3), new StepLR(opt2, 2, 0.5)), List.of(3));
        opt2.loadStateDict(opt.stateDict());
        t.loadStateDict(sd);
        for (int i = 0; i < 8; i++) {
            s.step();
            t.step();
            assertEquals(s.getLastLr(), t.getLastLr());
        }
    }

    @Test void schedulersDriveTheOptimizersSteps() {
        Tensor p = Tensor.of(0.0).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 1.0);
        StepLR s = new StepLR(opt, 1, 0.5);
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            p.setGrad(Tensor.of(1.0));
            opt.step();
            expected -= Math.pow(0.5, i);
            s.step();
        }
        assertEquals(expected, p.item(), 1e-15);
    }
}
