package dev.gpush.optim;

import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gpush.optim.Bowl.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SGD against PyTorch's documented update, written out in doubles below ({@link #reference}), on the quadratic
 * bowl: plain, momentum with dampening, weight decay, nesterov and maximize.
 */
class SGDTest {

    /** PyTorch's SGD (torch.optim.SGD, foreach=False): the parameter after each of {@code steps} steps. */
    static double[][] reference(int steps, double lr, double momentum, double dampening, double wd,
                                boolean nesterov, boolean maximize) {
        double[] p = Bowl.START.clone(), buf = null;
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double[] g = Bowl.grad(p);
            for (int i = 0; i < p.length; i++) {
                if (maximize) g[i] = -g[i];
                g[i] += wd * p[i];
            }
            if (momentum != 0) {
                if (buf == null) buf = g.clone();
                else for (int i = 0; i < p.length; i++) buf[i] = momentum * buf[i] + (1 - dampening) * g[i];
                for (int i = 0; i < p.length; i++) g[i] = nesterov ? g[i] + momentum * buf[i] : buf[i];
            }
            for (int i = 0; i < p.length; i++) p[i] -= lr * g[i];
            out[t] = p.clone();
        }
        return out;
    }

    private static void assertMatchesReference(SGD.Options o) {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), o);
        double[][] expected = reference(5, o.lr(), o.momentum(), o.dampening(), o.weightDecay(), o.nesterov(), o.maximize());
        for (double[] e : expected) {
            Bowl.train(opt, p);
            assertClose(e, p, 1e-13);
        }
    }

    @Test void plainStepSubtractsLrTimesGradient() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), 0.1);
        Bowl.train(opt, p);
        // grad = 2 w (p - c) = [4, 18, -2]
        assertClose(new double[]{3 - 0.4, 1 - 1.8, -1.5 + 0.2}, p, 1e-15);
        assertTrue(opt.state(p).isEmpty(), "no momentum, no state");
        assertMatchesReference(SGD.options().lr(0.1));
    }

    @Test void momentumBufferStartsAsTheGradientThenAccumulatesWithDampening() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), SGD.options().lr(0.1).momentum(0.9));
        Bowl.train(opt, p);
        assertClose(new double[]{4, 18, -2}, (Tensor) opt.state(p).get("momentum_buffer"), 1e-15);
        assertMatchesReference(SGD.options().lr(0.05).momentum(0.9));
        assertMatchesReference(SGD.options().lr(0.05).momentum(0.8).dampening(0.3));
    }

    @Test void weightDecayAddsL2ToTheGradient() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), SGD.options().lr(0.1).weightDecay(0.5));
        Bowl.train(opt, p);
        // g = [4 + 1.5, 18 + 0.5, -2 - 0.75]
        assertClose(new double[]{3 - 0.55, 1 - 1.85, -1.5 + 0.275}, p, 1e-15);
        assertMatchesReference(SGD.options().lr(0.05).momentum(0.9).weightDecay(0.1));
    }

    @Test void nesterovLooksAheadAlongTheBuffer() {
        assertMatchesReference(SGD.options().lr(0.05).momentum(0.9).nesterov(true));
        assertMatchesReference(SGD.options().lr(0.05).momentum(0.5).nesterov(true).weightDecay(0.01));
    }

    @Test void maximizeClimbs() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), SGD.options().lr(0.1).maximize(true));
        Bowl.train(opt, p);
        assertClose(new double[]{3.4, 2.8, -1.7}, p, 1e-15);
        assertMatchesReference(SGD.options().lr(0.01).momentum(0.9).maximize(true).weightDecay(0.1));
    }

    @Test void nesterovWithoutMomentumOrWithDampeningIsAnError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(Bowl.param()), SGD.options().lr(0.1).nesterov(true)));
        assertTrue(e.getMessage().contains("Nesterov momentum requires a momentum and zero dampening"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(Bowl.param()), SGD.options().momentum(0.9).dampening(0.1).nesterov(true)));
    }

    @Test void negativeOptionsAreRejectedWithTheirValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Bowl.param()), -0.1));
        assertEquals("Invalid learning rate: -0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Bowl.param()), SGD.options().momentum(-1)));
        assertEquals("Invalid momentum value: -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Bowl.param()), SGD.options().weightDecay(-1)));
        assertEquals("Invalid weight_decay value: -1.0", e.getMessage());
    }

    @Test void stateDictRoundTripContinuesIdentically() {
        SGD.Options o = SGD.options().lr(0.02).momentum(0.9).nesterov(true);
        Tensor a = Bowl.param();
        SGD optA = new SGD(List.of(a), o);
        for (int i = 0; i < 3; i++) Bowl.train(optA, a);

        Tensor b = a.detach().clone().requiresGrad(true);
        SGD optB = new SGD(List.of(b), SGD.options());
        optB.loadStateDict(optA.stateDict());
        assertEquals(0.02, optB.paramGroups().getFirst().lr());
        assertTrue(optB.paramGroups().getFirst().getBoolean("nesterov"));
        for (int i = 0; i < 4; i++) {
            Bowl.train(optA, a);
            Bowl.train(optB, b);
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
        }
    }

    @Test void convergesToTheBottomOfTheBowl() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), SGD.options().lr(0.02).momentum(0.9));
        for (int i = 0; i < 400; i++) Bowl.train(opt, p);
        assertClose(Bowl.C, p, 1e-6);
        assertTrue(Bowl.loss(p).item() < 1e-10);
    }

    @Test void toStringListsEachGroupsOptionsLikePyTorch() {
        SGD opt = new SGD(List.of(Bowl.param()), SGD.options().lr(0.1).momentum(0.9));
        assertEquals("SGD (\nParameter Group 0\n    dampening: 0.0\n    lr: 0.1\n    maximize: False\n"
                + "    momentum: 0.9\n    nesterov: False\n    weight_decay: 0.0\n)", opt.toString());
    }
}
