package dev.gpush.optim;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gpush.optim.Bowl.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Adam and AdamW against PyTorch's documented update, written out in doubles below ({@link #reference}), on the
 * quadratic bowl: L2 and decoupled weight decay, amsgrad, maximize, bias correction per step.
 */
class AdamTest {

    /** PyTorch's Adam/AdamW (foreach=False): the parameter after each of {@code steps} steps. */
    static double[][] reference(int steps, Adam.Options o) {
        double[] p = Bowl.START.clone();
        int n = p.length;
        double[] m = new double[n], v = new double[n], vMax = new double[n];
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = Bowl.grad(p);
            for (int i = 0; i < n; i++) {
                if (o.maximize()) g[i] = -g[i];
                if (o.decoupledWeightDecay()) p[i] *= 1 - o.lr() * o.weightDecay();
                else g[i] += o.weightDecay() * p[i];
                m[i] = o.beta1() * m[i] + (1 - o.beta1()) * g[i];
                v[i] = o.beta2() * v[i] + (1 - o.beta2()) * g[i] * g[i];
                vMax[i] = Math.max(vMax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(o.beta1(), t));
                double second = o.amsgrad() ? vMax[i] : v[i];
                double denom = Math.sqrt(second) / Math.sqrt(1 - Math.pow(o.beta2(), t)) + o.eps();
                p[i] -= o.lr() * mHat / denom;
            }
            out[t - 1] = p.clone();
        }
        return out;
    }

    private static void assertMatchesReference(Adam.Options o, boolean adamW) {
        Tensor p = Bowl.param();
        Adam opt = adamW ? new AdamW(List.of(p), o) : new Adam(List.of(p), o);
        for (double[] e : reference(6, adamW ? o.decoupledWeightDecay(true) : o)) {
            Bowl.train(opt, p);
            assertClose(e, p, 1e-12);
        }
    }

    @Test void firstStepMovesEachParameterByLrAgainstItsGradientsSign() {
        Tensor p = Bowl.param();
        Adam opt = new Adam(List.of(p), 0.1);
        Bowl.train(opt, p);
        // m̂ = g and v̂ = g², so the step is lr * g / (|g| + eps): grad [4, 18, -2]
        assertClose(new double[]{3 - 0.1 * 4 / (4 + 1e-8), 1 - 0.1 * 18 / (18 + 1e-8), -1.5 + 0.1 * 2 / (2 + 1e-8)}, p, 1e-15);
        assertEquals(1.0, ((Tensor) opt.state(p).get("step")).item());
        assertEquals(DType.FLOAT32, ((Tensor) opt.state(p).get("step")).dtype());
        assertClose(new double[]{0.4, 1.8, -0.2}, (Tensor) opt.state(p).get("exp_avg"), 1e-15);
        assertClose(new double[]{0.016, 0.324, 0.004}, (Tensor) opt.state(p).get("exp_avg_sq"), 1e-13);
        assertFalse(opt.state(p).containsKey("max_exp_avg_sq"));
    }

    @Test void defaultsArePyTorchs() {
        Adam.Options o = Adam.options();
        assertEquals(1e-3, o.lr());
        assertEquals(0.9, o.beta1());
        assertEquals(0.999, o.beta2());
        assertEquals(1e-8, o.eps());
        assertEquals(0, o.weightDecay());
        assertEquals(1e-2, AdamW.options().weightDecay());
        Adam opt = new AdamW(List.of(Bowl.param()));
        assertEquals(List.of(0.9, 0.999), opt.paramGroups().getFirst().get("betas"));
        assertEquals(0.01, opt.paramGroups().getFirst().getDouble("weight_decay"));
    }

    @Test void biasCorrectedStepsMatchTheReference() {
        assertMatchesReference(Adam.options().lr(0.1), false);
        assertMatchesReference(Adam.options().lr(0.05).betas(0.8, 0.99).eps(1e-3), false);
    }

    @Test void adamAddsWeightDecayToTheGradient() {
        assertMatchesReference(Adam.options().lr(0.1).weightDecay(0.3), false);
    }

    @Test void adamWShrinksTheParameterBeforeTheUpdate() {
        Tensor p = Bowl.param();
        AdamW opt = new AdamW(List.of(p), AdamW.options().lr(0.1).weightDecay(0.5));
        Bowl.train(opt, p);
        // p * (1 - 0.05), then the sign step of the first update
        assertClose(new double[]{3 * 0.95 - 0.1 * 4 / (4 + 1e-8), 0.95 - 0.1 * 18 / (18 + 1e-8),
                -1.5 * 0.95 + 0.1 * 2 / (2 + 1e-8)}, p, 1e-15);
        assertMatchesReference(AdamW.options().lr(0.1).weightDecay(0.3), true);
        // AdamW made from Adam's options still decouples
        assertMatchesReference(Adam.options().lr(0.1).weightDecay(0.3), true);
    }

    @Test void amsgradUsesTheLargestSecondMomentSoFar() {
        Tensor p = Bowl.param();
        Adam opt = new Adam(List.of(p), Adam.options().lr(0.3).amsgrad(true));
        for (int i = 0; i < 4; i++) Bowl.train(opt, p);
        Tensor v = (Tensor) opt.state(p).get("exp_avg_sq"), vMax = (Tensor) opt.state(p).get("max_exp_avg_sq");
        double[] vs = v.toDoubleArray(), maxes = vMax.toDoubleArray();
        for (int i = 0; i < vs.length; i++) assertTrue(maxes[i] >= vs[i]);
        assertMatchesReference(Adam.options().lr(0.3).amsgrad(true), false);
        assertMatchesReference(AdamW.options().lr(0.3).amsgrad(true), true);
    }

    @Test void maximizeClimbs() {
        assertMatchesReference(Adam.options().lr(0.1).maximize(true), false);
        assertMatchesReference(AdamW.options().lr(0.1).maximize(true).amsgrad(true), true);
    }

    @Test void stepIsCountedPerParameter() {
        Tensor a = Bowl.param(), b = Tensor.of(1.0, 2.0).requiresGrad(true);
        Adam opt = new Adam(List.of(a, b), 0.1);
        Bowl.train(opt, a);            // b has no gradient: skipped, no state
        assertTrue(opt.state(b).isEmpty());
        Bowl.train(opt, a);
        b.sum().backward();
        opt.step();
        assertEquals(3.0, ((Tensor) opt.state(a).get("step")).item());
        assertEquals(1.0, ((Tensor) opt.state(b).get("step")).item());
        // b's first step is a full sign step despite a's later count: lr * 1 / (1 + eps)
        assertClose(new double[]{1 - 0.1 / (1 + 1e-8), 2 - 0.1 / (1 + 1e-8)}, b, 1e-15);
    }

    @Test void betasOutOfRangeAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(Bowl.param()), Adam.options().betas(0.9, 1.0)));
        assertEquals("Invalid beta parameter at index 1: 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(Bowl.param()), Adam.options().eps(-1)));
        assertEquals("Invalid epsilon value: -1.0", e.getMessage());
    }

    @Test void stateDictRoundTripContinuesIdentically() {
        Adam.Options o = AdamW.options().lr(0.05).amsgrad(true);
        Tensor a = Bowl.param();
        AdamW optA = new AdamW(List.of(a), o);
        for (int i = 0; i < 3; i++) Bowl.train(optA, a);

        Tensor b = a.detach().clone().requiresGrad(true);
        AdamW optB = new AdamW(List.of(b));
        optB.loadStateDict(optA.stateDict());
        assertEquals(3.0, ((Tensor) optB.state(b).get("step")).item());
        for (int i = 0; i < 4; i++) {
            Bowl.train(optA, a);
            Bowl.train(optB, b);
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
        }
        // the loaded state is a copy: the two optimizers no longer share tensors
        assertNotSame(optA.state(a).get("exp_avg"), optB.state(b).get("exp_avg"));
    }

    @Test void float32ParametersStayFloat32AndMatchTheReference() {
        Tensor p = Tensor.of(Bowl.START).to(DType.FLOAT32).requiresGrad(true);
        Adam opt = new Adam(List.of(p), 0.1);
        double[][] expected = reference(5, Adam.options().lr(0.1));
        for (double[] e : expected) {
            opt.zeroGrad();
            Bowl.loss(p).backward();
            opt.step();
            assertEquals(DType.FLOAT32, p.dtype());
            assertClose(e, p, 1e-5);
        }
        assertEquals(DType.FLOAT32, ((Tensor) opt.state(p).get("exp_avg")).dtype());
    }

    @Test void convergesToTheBottomOfTheBowl() {
        Tensor p = Bowl.param();
        Adam opt = new Adam(List.of(p), 0.05);
        for (int i = 0; i < 1500; i++) Bowl.train(opt, p);
        assertClose(Bowl.C, p, 1e-4);
    }
}
