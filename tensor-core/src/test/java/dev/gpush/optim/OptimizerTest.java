package dev.gpush.optim;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.gpush.optim.Bowl.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/** What every optimizer shares: parameter groups, zeroGrad, scopes, state dicts and their errors. */
class OptimizerTest {

    @Test void eachGroupStepsWithItsOwnOptions() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true), b = Tensor.of(new double[]{3.0}).requiresGrad(true);
        SGD opt = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), Map.of("lr", 0.01, "momentum", 0.5))),
                SGD.options().lr(0.1));
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.0, opt.paramGroups().get(0).getDouble("momentum"));
        assertEquals(0.01, opt.paramGroups().get(1).lr());
        a.sum().backward();
        b.sum().backward();
        opt.step();
        assertClose(new double[]{0.9, 1.9}, a, 1e-15);
        assertClose(new double[]{2.99}, b, 1e-15);
        assertTrue(opt.state(a).isEmpty());
        assertTrue(opt.state(b).containsKey("momentum_buffer"));
    }

    @Test void changingAGroupsLrChangesTheNextStep() {
        Tensor p = Tensor.of(new double[]{1.0}).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 0.1);
        opt.paramGroups().getFirst().setLr(0.5);
        p.sum().backward();
        opt.step();
        assertClose(new double[]{0.5}, p, 1e-15);
    }

    @Test void addParamGroupFillsDefaultsAndRefusesSharedParameters() {
        Tensor a = Tensor.of(new double[]{1.0}).requiresGrad(true), b = Tensor.of(new double[]{2.0}).requiresGrad(true);
        Adam opt = new Adam(List.of(a), Adam.options().lr(0.01).betas(0.8, 0.9));
        opt.addParamGroup(ParamGroup.of(List.of(b)).set("lr", 0.1));
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(1).lr());
        assertEquals(List.of(0.8, 0.9), opt.paramGroups().get(1).get("betas"));
        var e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(List.of(a))));
        assertTrue(e.getMessage().contains("appear more than once"), e.getMessage());
    }

    @Test void groupOptionsUsePyTorchsNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(
                List.of(ParamGroup.of(List.of(Bowl.param()), Map.of("weightDecay", 0.1))), SGD.options()));
        assertTrue(e.getMessage().contains("'weight_decay'"), e.getMessage());
    }

    @Test void nonLeafAndMissingParametersAreRejected() {
        Tensor leaf = Bowl.param();
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(leaf.mul(2)), 0.1));
        assertTrue(e.getMessage().contains("can't optimize a non-leaf Tensor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.<Tensor>of(), 0.1));
        assertEquals("optimizer got an empty parameter list", e.getMessage());
    }

    @Test void zeroGradDropsAndClosesTheGradients() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), 0.1);
        Bowl.backward(p);
        Tensor g = p.grad();
        opt.zeroGrad();
        assertNull(p.grad());
        assertTrue(g.isClosed());
        opt.step(); // no gradient: nothing moves
        assertClose(Bowl.START, p, 0);

        Bowl.backward(p);
        Tensor kept = p.grad();
        opt.zeroGrad(false);
        assertSame(kept, p.grad());
        assertClose(new double[]{0, 0, 0}, p.grad(), 0);
    }

    @Test void stepsInsideAScopeKeepTheStateAliveAndLeaveNothingInTheScope() {
        Tensor p = Bowl.param();
        Adam opt = new Adam(List.of(p), Adam.options().lr(0.1).amsgrad(true));
        for (int i = 0; i < 3; i++) {
            try (Scope s = Scope.open()) {
                opt.zeroGrad();
                Bowl.backward(p);
                int before = s.size();
                opt.step();
                assertEquals(before, s.size(), "the step's temporaries and state are not left in the caller's scope");
            }
        }
        for (Object v : opt.state(p).values()) assertFalse(((Tensor) v).isClosed());
        assertFalse(p.isClosed());
        double[][] expected = AdamTest.reference(4, Adam.options().lr(0.1).amsgrad(true));
        Bowl.train(opt, p);
        assertClose(expected[3], p, 1e-12);
    }

    @Test void momentumBufferMadeInsideAScopeSurvivesIt() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), SGD.options().lr(0.1).momentum(0.9).weightDecay(0.1));
        try (Scope s = Scope.open()) {
            Bowl.train(opt, p);
        }
        assertFalse(((Tensor) opt.state(p).get("momentum_buffer")).isClosed());
        Bowl.train(opt, p);
        assertClose(SGDTest.reference(2, 0.1, 0.9, 0, 0.1, false, false)[1], p, 1e-13);
    }

    @Test void closureIsEvaluatedWithGradAndItsLossReturned() {
        Tensor p = Bowl.param();
        SGD opt = new SGD(List.of(p), 0.1);
        Tensor loss = opt.step(() -> {
            opt.zeroGrad();
            Tensor l = Bowl.loss(p);
            l.backward();
            return l;
        });
        assertEquals(4 + 27 + 2, loss.item(), 1e-12);
        assertClose(new double[]{2.6, -0.8, -1.3}, p, 1e-15);
    }

    @Test void stateDictHasPyTorchsStructure() {
        Tensor a = Bowl.param(), b = Tensor.of(1.0).requiresGrad(true), c = Tensor.of(5.0).requiresGrad(true);
        Adam opt = new Adam(List.of(ParamGroup.of(List.of(a, b)), ParamGroup.of(List.of(c), Map.of("lr", 0.5))), Adam.options());
        Bowl.backward(a);
        c.sum().backward();
        opt.step();
        Map<String, Object> sd = opt.stateDict();
        Map<?, ?> state = (Map<?, ?>) sd.get("state");
        assertEquals(List.of(0, 2), List.copyOf(state.keySet()), "b has no gradient, so no state");
        Map<?, ?> s0 = (Map<?, ?>) state.get(0);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(s0.keySet()));
        List<?> groups = (List<?>) sd.get("param_groups");
        Map<?, ?> g0 = (Map<?, ?>) groups.get(0), g1 = (Map<?, ?>) groups.get(1);
        assertEquals(List.of(0, 1), g0.get("params"));
        assertEquals(List.of(2), g1.get("params"));
        assertEquals(0.001, g0.get("lr"));
        assertEquals(0.5, g1.get("lr"));
        assertEquals(List.of(0.9, 0.999), g0.get("betas"));
        assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay", "params"),
                List.copyOf(g0.keySet()));
    }

    @Test void loadingChecksGroupCountsSizesAndShapesAndChangesNothingOnError() {
        Tensor a = Bowl.param(), b = Tensor.of(1.0).requiresGrad(true);
        Adam source = new Adam(List.of(a, b), 0.5);
        Bowl.backward(a);
        b.sum().backward();
        source.step();
        Map<String, Object> sd = source.stateDict();

        Adam twoGroups = new Adam(List.of(ParamGroup.of(List.of(Bowl.param())), ParamGroup.of(List.of(Tensor.of(1.0).requiresGrad(true)))), Adam.options());
        var e = assertThrows(IllegalArgumentException.class, () -> twoGroups.loadStateDict(sd));
        assertTrue(e.getMessage().contains("different number of parameter groups: it has 1, the optimizer has 2"), e.getMessage());

        Adam oneParam = new Adam(List.of(Bowl.param()), 0.1);
        e = assertThrows(IllegalArgumentException.class, () -> oneParam.loadStateDict(sd));
        assertTrue(e.getMessage().contains("group 0 has 2 parameters saved and 1 here"), e.getMessage());

        Tensor wrong = Tensor.of(1.0, 2.0).requiresGrad(true);
        Adam swapped = new Adam(List.of(wrong, Tensor.of(1.0).requiresGrad(true)), 0.1);
        e = assertThrows(IllegalArgumentException.class, () -> swapped.loadStateDict(sd));
        assertTrue(e.getMessage().contains("has shape [3] but the parameter has shape [2]"), e.getMessage());
        assertEquals(0.1, swapped.paramGroups().getFirst().lr(), "nothing changed");
        assertTrue(swapped.state(wrong).isEmpty());

        assertThrows(IllegalArgumentException.class, () -> oneParam.loadStateDict(Map.of("state", Map.of())));
    }

    @SuppressWarnings("unchecked")
    @Test void optionsASavedGroupLacksComeFromTheDefaults() {
        Tensor a = Bowl.param();
        Adam source = new Adam(List.of(a), 0.2);
        Bowl.train(source, a);
        Map<String, Object> sd = source.stateDict();
        Map<String, Object> older = new java.util.LinkedHashMap<>((Map<String, Object>) ((List<?>) sd.get("param_groups")).getFirst());
        older.remove("decoupled_weight_decay");
        older.remove("amsgrad");
        Tensor b = Bowl.param();
        AdamW target = new AdamW(List.of(b));
        target.loadStateDict(Map.of("state", sd.get("state"), "param_groups", List.of(older)));
        assertEquals(0.2, target.paramGroups().getFirst().lr());
        assertTrue(target.paramGroups().getFirst().getBoolean("decoupled_weight_decay"));
        assertFalse(target.paramGroups().getFirst().getBoolean("amsgrad"));
        Bowl.train(target, b);
    }

    @Test void loadingCastsStateToTheParametersDtype() {
        Tensor a = Bowl.param();
        SGD source = new SGD(List.of(a), SGD.options().lr(0.1).momentum(0.9));
        Bowl.train(source, a);
        Tensor f = Tensor.of(Bowl.START).to(DType.FLOAT32).requiresGrad(true);
        SGD target = new SGD(List.of(f), 0.1);
        target.loadStateDict(source.stateDict());
        Tensor buf = (Tensor) target.state(f).get("momentum_buffer");
        assertEquals(DType.FLOAT32, buf.dtype());
        assertClose(new double[]{4, 18, -2}, buf, 1e-6);
        assertEquals(0.9, target.paramGroups().getFirst().getDouble("momentum"));
    }
}
