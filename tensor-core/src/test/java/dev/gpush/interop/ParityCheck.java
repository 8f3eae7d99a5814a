package dev.gpush.interop;

import dev.gpush.nn.Module;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The comparison every module fixture goes through: PyTorch's state loads strictly into the gpush module made with
 * the same arguments (so the names and shapes agree), and then its outputs, the gradients of
 * {@code L = sum_k sum(output_k * probe_k)} with respect to every floating point input and every parameter, and
 * the state after the forward (BatchNorm's running statistics) agree with PyTorch's.
 */
final class ParityCheck {
    private ParityCheck() {}

    /** float64 all the way, in gpush and in the fixture: only rounding may differ. */
    static final double FLOAT64 = 1e-12;

    static void matchesPyTorch(String name) { matchesPyTorch(name, FLOAT64); }

    static void matchesPyTorch(String name, double tol) {
        Fixture f = Fixture.load(name);
        Module m = TorchModules.build(f);
        m.to(DType.FLOAT64);
        m.loadStateDict(f.state(), true);
        m.train(f.training());

        List<Tensor> outs = TorchModules.forward(m, f);
        List<String> names = f.outputNames();
        assertEquals(names.size(), outs.size(), f + ": number of outputs " + names);
        Tensor loss = null;
        for (int i = 0; i < outs.size(); i++) {
            String n = names.get(i);
            assertClose(f, "output " + n, f.get("output." + n), outs.get(i), tol);
            Tensor term = outs.get(i).mul(f.get("probe." + n)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();

        Map<String, Tensor> inputGrads = f.withPrefix("grad.input.");
        assertEquals(new TreeSet<>(inputGrads.keySet()), new TreeSet<>(floatingLeaves(f)),
                f + ": the inputs with PyTorch gradients are the floating point inputs the forward used");
        inputGrads.forEach((n, g) -> {
            Tensor got = f.leaves().get(n).grad();
            assertNotNull(got, f + ": no gradient for input " + n);
            assertClose(f, "gradient of input " + n, g, got, tol);
        });

        Map<String, Tensor> paramGrads = f.withPrefix("grad.state.");
        Map<String, Tensor> params = m.namedParameters();
        assertEquals(new TreeSet<>(paramGrads.keySet()), new TreeSet<>(params.keySet()),
                f + ": gpush's parameters are PyTorch's");
        paramGrads.forEach((n, g) -> {
            Tensor got = params.get(n).grad();
            assertNotNull(got, f + ": no gradient for parameter " + n);
            assertClose(f, "gradient of parameter " + n, g, got, tol);
        });

        Map<String, Tensor> after = f.withPrefix("after.");
        if (!after.isEmpty()) {
            Map<String, Tensor> state = m.stateDict();
            assertEquals(new TreeSet<>(after.keySet()), new TreeSet<>(state.keySet()), f + ": state after forward");
            after.forEach((n, t) -> assertClose(f, "state after forward " + n, t, state.get(n), tol));
        }
    }

    private static List<String> floatingLeaves(Fixture f) {
        return f.leaves().entrySet().stream().filter(e -> e.getValue().isFloatingPoint()
                && f.has("grad.input." + e.getKey())).map(Map.Entry::getKey).toList();
    }

    /**
     * Same shape, and each element within {@code tol} of PyTorch's, absolutely for |expected| <= 1 and relatively
     * above; integer tensors (num_batches_tracked) exactly, with the same dtype.
     */
    static void assertClose(Fixture f, String what, Tensor expected, Tensor actual, double tol) {
        assertNotNull(actual, f + ": " + what + " is missing");
        assertArrayEquals(expected.shape(), actual.shape(), f + ": shape of " + what + ", expected "
                + Shapes.str(expected.shapeRef()) + " got " + Shapes.str(actual.shapeRef()));
        if (!expected.isFloatingPoint()) {
            assertEquals(expected.dtype(), actual.dtype(), f + ": dtype of " + what);
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), f + ": " + what);
            return;
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i]));
            boolean bad = Double.isNaN(e[i]) != Double.isNaN(a[i]) || err > tol || Double.isNaN(err) && e[i] != a[i];
            if (bad && (worst < 0 || !(err <= worstRatio))) { worst = i; worstRatio = err; }
        }
        if (worst >= 0)
            fail(f + ": " + what + " differs from PyTorch's at flat index " + worst + ": expected " + e[worst]
                    + " but got " + a[worst] + " (error " + worstRatio + ", tolerance " + tol + ", shape "
                    + Shapes.str(expected.shapeRef()) + ")");
    }
}
