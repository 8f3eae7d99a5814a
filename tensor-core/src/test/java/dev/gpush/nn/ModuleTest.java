package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Module behaviour on models built from the basic layers: PyTorch's parameter and state dict names and order,
 * loading (strict and not), modes, moving to another dtype in place, zeroGrad, apply, printing, and a small MLP
 * trained end to end by plain SGD.
 */
class ModuleTest {
    /** A model with its own parameter, a float and an integer buffer, and nested submodules. */
    static final class Net extends Module {
        final Sequential body;
        final Tensor scale;
        final Linear head;

        Net() {
            body = registerModule("body", new Sequential(new Linear(4, 8), new ReLU()));
            scale = registerParameter("scale", Tensor.ones(1));
            head = registerModule("head", new Linear(8, 2));
            registerBuffer("running", Tensor.zeros(2));
            registerBuffer("steps", Tensor.zeros(DType.INT64, 1));
        }

        @Override public Tensor forward(Tensor x) { return head.forward(body.forward(x)).mul(scale); }
    }

    private static Net net(long seed) {
        Tensor.manualSeed(seed);
        return new Net();
    }

    private static Sequential mlp() {
        return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
    }

    // ---------------------------------------------------------------- names

    @Test void parametersAreNamedWithDotsOwnFirstThenSubmodulesInOrder() {
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(mlp().namedParameters().keySet()));
        assertEquals(List.of("scale", "body.0.weight", "body.0.bias", "head.weight", "head.bias"),
                List.copyOf(net(0).namedParameters().keySet()));
        assertEquals(List.of("", "body", "body.0", "body.1", "head"), List.copyOf(net(0).namedModules().keySet()));
    }

    @Test void aSharedParameterIsListedOnce() {
        Linear shared = new Linear(3, 3);
        Sequential tied = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(tied.namedParameters().keySet()));
        assertEquals(12, tied.numParameters());
    }

    @Test void numParametersCountsElements() {
        assertEquals(4 * 8 + 8 + 8 * 2 + 2, mlp().numParameters());
        assertEquals(4 * 8 + 8 + 1 + 8 * 2 + 2, net(0).numParameters());
    }

    // ---------------------------------------------------------------- state dict

    @Test void stateDictHoldsParametersThenBuffersPerModuleAsDetachedViews() {
        Net n = net(0);
        LinkedHashMap<String, Tensor> state = n.stateDict();
        assertEquals(List.of("scale", "running", "steps", "body.0.weight", "body.0.bias", "head.weight", "head.bias"),
                List.copyOf(state.keySet()));
        assertFalse(state.get("head.weight").requiresGrad());
        try (var ng = Autograd.noGrad()) {
            n.head.weight.fill_(3);
        }
        assertEquals(3, state.get("head.weight").max().item(), "a view of the live parameter");
    }

    @Test void loadStateDictCopiesValuesIntoTheSameTensors() {
        Net target = net(1), source = net(2);
        Tensor weightBefore = target.head.weight;
        try (var ng = Autograd.noGrad()) {
            source.namedBuffers().get("running").fill_(5);
        }
        Module.LoadResult r = target.loadStateDict(source.stateDict());
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        assertSame(weightBefore, target.head.weight);
        assertTrue(target.head.weight.requiresGrad());
        for (var e : source.stateDict().entrySet())
            assertTrue(e.getValue().equal(target.stateDict().get(e.getKey())), e.getKey());
        assertArrayEquals(new float[]{5, 5}, target.namedBuffers().get("running").toFloatArray());
    }

    @Test void loadStateDictCastsToTheModulesDtype() {
        Sequential m = mlp();
        Map<String, Tensor> state = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> state.put(k, Tensor.onesLike(v).to(DType.FLOAT64)));
        m.loadStateDict(state);
        assertEquals(DType.FLOAT32, m.<Linear>get(0).weight.dtype());
        assertEquals(32, m.<Linear>get(0).weight.sum().item());
    }

    @Test void strictLoadingNamesMissingAndUnexpectedKeysAndChangesNothing() {
        Net target = net(1);
        float[] before = target.head.weight.toFloatArray();
        Map<String, Tensor> state = new LinkedHashMap<>(net(2).stateDict());
        state.remove("head.bias");
        state.put("extra.weight", Tensor.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing keys [head.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [extra.weight]"), e.getMessage());
        assertArrayEquals(before, target.head.weight.toFloatArray(), "nothing loaded");

        Module.LoadResult r = target.loadStateDict(state, false);
        assertEquals(List.of("head.bias"), r.missingKeys());
        assertEquals(List.of("extra.weight"), r.unexpectedKeys());
        assertArrayEquals(state.get("head.weight").toFloatArray(), target.head.weight.toFloatArray(), "the rest loaded");
    }

    @Test void aShapeMismatchNamesTheKeyAndBothShapes() {
        Map<String, Tensor> state = new LinkedHashMap<>(net(0).stateDict());
        state.put("head.weight", Tensor.zeros(3, 8));
        var e = assertThrows(IllegalArgumentException.class, () -> net(1).loadStateDict(state, false));
        assertTrue(e.getMessage().contains("head.weight") && e.getMessage().contains("[3, 8]")
                && e.getMessage().contains("[2, 8]"), e.getMessage());
    }

    // ---------------------------------------------------------------- modes, moving, gradients

    @Test void trainAndEvalReachEverySubmoduleAndSwitchDropout() {
        Sequential m = new Sequential(new Linear(16, 16), new Sequential(new Dropout(0.5)));
        m.eval();
        for (Module sub : m.namedModules().values()) assertFalse(sub.isTraining(), sub.toString());
        Tensor x = Tensor.randn(new Generator(1), 8, 16);
        Tensor plain = m.<Linear>get(0).forward(x);
        assertTrue(m.forward(x).equal(plain), "eval: dropout passes through");
        m.train();
        for (Module sub : m.namedModules().values()) assertTrue(sub.isTraining(), sub.toString());
        Tensor dropped = m.forward(x);
        assertTrue(dropped.eq(0).sum().item() > 20, "train: about half of 128 zeroed");
        Tensor kept = dropped.ne(0);
        assertTrue(dropped.maskedSelect(kept).allclose(plain.mul(2).maskedSelect(kept), 1e-5, 1e-6), "survivors doubled");
    }

    @Test void toDoubleKeepsParameterIdentitySoEarlierListsSeeTheNewDtype() {
        Net n = net(0);
        List<Tensor> params = n.parameters(); // as an optimizer made before the move would hold them
        float[] w = n.head.weight.toFloatArray();
        n.to(DType.FLOAT64);
        List<Tensor> after = n.parameters();
        for (int i = 0; i < params.size(); i++) {
            assertSame(params.get(i), after.get(i));
            assertEquals(DType.FLOAT64, params.get(i).dtype());
            assertTrue(params.get(i).requiresGrad() && params.get(i).isLeaf());
        }
        assertArrayEquals(w, n.head.weight.toFloatArray(), "values kept");
        assertEquals(DType.FLOAT64, n.namedBuffers().get("running").dtype());
        assertEquals(DType.INT64, n.namedBuffers().get("steps").dtype(), "integer buffers keep their dtype");
        n.forward(Tensor.randn(new Generator(1), 3, 4).to(DType.FLOAT64)).sum().backward();
        for (Tensor p : params) assertEquals(DType.FLOAT64, p.grad().dtype());
    }

    @Test void zeroGradDropsEveryGradient() {
        Net n = net(0);
        n.forward(Tensor.randn(new Generator(1), 3, 4)).sum().backward();
        for (Tensor p : n.parameters()) assertNotNull(p.grad());
        n.zeroGrad();
        for (Tensor p : n.parameters()) assertNull(p.grad());
    }

    @Test void applyVisitsChildrenBeforeParentsAndCanInitialise() {
        Net n = net(0);
        List<String> visited = new ArrayList<>();
        n.apply(m -> visited.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "ReLU", "Sequential", "Linear", "Net"), visited);
        n.apply(m -> { if (m instanceof Linear l) Init.constant_(l.weight, 0.5); });
        assertEquals(0.5, n.body.<Linear>get(0).weight.min().item());
        assertEquals(0.5, n.head.weight.max().item());
    }

    // ---------------------------------------------------------------- printing

    @Test void printsLikePyTorch() {
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=4, out_features=8, bias=True)
                  (1): ReLU()
                  (2): Linear(in_features=8, out_features=2, bias=True)
                )""", mlp().toString());
        assertEquals("""
                Net(
                  (body): Sequential(
                    (0): Linear(in_features=4, out_features=8, bias=True)
                    (1): ReLU()
                  )
                  (head): Linear(in_features=8, out_features=2, bias=True)
                )""", net(0).toString());
    }

    @Test void extraReprsSpellNumbersAsPythonDoes() {
        // Python's repr(float) for each value on the left
        String[][] cases = {{"1e-05", "1e-5"}, {"1e-12", "1e-12"}, {"2.5e-07", "2.5e-7"}, {"0.0001", "1e-4"},
                {"0.001", "0.001"}, {"0.1", "0.1"}, {"1.0", "1"}, {"-0.5", "-0.5"}, {"0.0", "0"}, {"123.0", "123"},
                {"1234567890123456.0", "1234567890123456"}, {"1e+16", "1e16"}, {"1.2345678901234568e+16", "12345678901234567"},
                {"inf", "Infinity"}, {"nan", "NaN"}};
        for (String[] c : cases) assertEquals(c[0], Repr.pyFloat(Double.parseDouble(c[1])), c[1]);
        assertEquals("(4,)", Repr.pyTuple(new int[]{4}));
        assertEquals("(2, 3)", Repr.pyTuple(new int[]{2, 3}));
        assertEquals("()", Repr.pyTuple(new int[0]));
        assertEquals("True", Repr.pyBool(true));
    }

    // ---------------------------------------------------------------- end to end

    /** Points from a standard normal, labelled by whether they fall inside the circle holding half the mass. */
    private static Tensor[] circles(Generator g, int n) {
        Tensor x = Tensor.randn(g, n, 2);
        Tensor y = x.square().sum(1).lt(2 * Math.log(2)).long_();
        return new Tensor[]{x, y};
    }

    private static Tensor crossEntropy(Tensor logits, Tensor y) {
        return logits.logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
    }

    private static double accuracy(Module m, Tensor x, Tensor y) {
        try (var ng = Autograd.noGrad()) {
            return m.forward(x).argmax(1).eq(y).to(DType.FLOAT32).mean().item();
        }
    }

    @Test void aSmallMlpLearnsANonlinearBoundaryWithPlainSgd() {
        Generator g = new Generator(0);
        Tensor[] train = circles(g, 512), test = circles(g, 512);
        Tensor.manualSeed(0);
        Sequential model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));
        List<Tensor> params = model.parameters();
        double lr = 0.5, firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < 500; step++) {
            try (Scope s = Scope.open()) {
                model.zeroGrad();
                Tensor loss = crossEntropy(model.forward(train[0]), train[1]);
                loss.backward();
                try (var ng = Autograd.noGrad()) {
                    for (Tensor p : params) p.sub_(p.grad().mul(lr));
                }
                lastLoss = loss.item();
                if (step == 0) firstLoss = lastLoss;
            }
        }
        assertTrue(lastLoss < firstLoss / 4, "loss fell from " + firstLoss + " to " + lastLoss);
        double acc = accuracy(model, test[0], test[1]);
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
    }
}
