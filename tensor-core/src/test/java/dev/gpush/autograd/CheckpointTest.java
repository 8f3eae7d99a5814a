package dev.gpush.autograd;

import dev.gpush.amp.Autocast;
import dev.gpush.nn.Dropout;
import dev.gpush.nn.F;
import dev.gpush.nn.LayerNorm;
import dev.gpush.nn.Linear;
import dev.gpush.nn.Module;
import dev.gpush.nn.ReLU;
import dev.gpush.nn.Sequential;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Activation checkpointing gives the outputs and gradients (of inputs and of the parameters inside) of the plain
 * computation, with dropout masks replayed, while the graph holds fewer bytes.
 */
class CheckpointTest {

    private static Sequential mlp(long seed) {
        Tensor.manualSeed(seed);
        return new Sequential(new Linear(8, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, 8));
    }

    private static Tensor run(Module block, Tensor x, boolean checkpointed) {
        return checkpointed ? Checkpoint.apply(xs -> block.forward(xs.get(0)), x) : block.forward(x);
    }

    /** The output, the input's gradient and every parameter's gradient after {@code out.square().sum()} backward. */
    private static List<float[]> outputAndGradients(Module block, Tensor x, boolean checkpointed) {
        block.zeroGrad();
        Tensor leaf = x.detach().requiresGrad(true);
        Tensor out = run(block, leaf, checkpointed);
        out.square().sum().backward();
        List<float[]> r = new ArrayList<>();
        r.add(out.toFloatArray());
        r.add(leaf.grad().toFloatArray());
        for (Tensor p : block.parameters()) r.add(p.grad().toFloatArray());
        return r;
    }

    private static void assertSameArrays(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
            assertArrayEquals(expected.get(i), actual.get(i), 0f, i == 0 ? "output" : i == 1 ? "input gradient"
                    : "gradient of parameter " + (i - 2));
    }

    @Test void anMlpBlockGivesTheSameOutputAndGradients() {
        Sequential block = mlp(0);
        Tensor x = Tensor.randn(16, 8);
        assertSameArrays(outputAndGradients(block, x, false), outputAndGradients(block, x, true));
    }

    @Test void dropoutInsideDrawsTheSameMaskWhenRecomputed() {
        Tensor.manualSeed(3);
        Sequential block = new Sequential(new Linear(8, 32), new Dropout(0.5), new ReLU(), new Linear(32, 8));
        block.train();
        Tensor x = Tensor.randn(16, 8);
        Generator.manualSeed(11);
        List<float[]> plain = outputAndGradients(block, x, false);
        long plainOffset = Generator.defaultGenerator().offset();
        Generator.manualSeed(11);
        List<float[]> checkpointed = outputAndGradients(block, x, true);
        assertSameArrays(plain, checkpointed);
        assertEquals(plainOffset, Generator.defaultGenerator().offset(), "the generator is put back after recomputing");
    }

    @Test void withoutPreservingTheRandomStateTheRecomputedMaskDiffers() {
        Tensor.manualSeed(4);
        Module drop = new Dropout(0.5);
        Tensor x = Tensor.ones(64).requiresGrad(true);
        Tensor out = Checkpoint.apply(xs -> drop.forward(xs.get(0)), List.of(x), false);
        out.backward(Tensor.ones(64));
        // the gradient of dropout is its mask over (1 - p): with a fresh mask it no longer matches the output
        assertFalse(out.equal(x.grad()), "a fresh draw of 64 coin flips matched the forward's");
    }

    @Test void theGraphHoldsOnlyTheInputsOfTheCheckpointedBlock() {
        Sequential block = mlp(1);
        Tensor x = Tensor.randn(64, 8).requiresGrad(true);
        long plain = Checkpoint.savedBytes(run(block, x, false).sum());
        long checkpointed = Checkpoint.savedBytes(run(block, x, true).sum());
        assertEquals(64L * 8 * 4, checkpointed, "the checkpointed graph keeps just x");
        assertTrue(checkpointed * 4 < plain, "checkpointed " + checkpointed + " bytes, plain " + plain);
    }

    /** A block of {@code depth} pairs of small ops: each makes a tensor that a scope would hold. */
    private static Tensor deepBlock(Tensor x, int depth) {
        Tensor h = x;
        for (int i = 0; i < depth; i++) h = h.mul(1.01).tanh();
        return h;
    }

    /** The tensors an outer scope holds after a plain forward, a checkpointed forward, and its backward. */
    private static int[] heldInAScope(int depth) {
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.randn(8, 16).requiresGrad(true);
            int start = scope.size();
            Tensor plain = deepBlock(x, depth);
            int heldByPlain = scope.size() - start;
            int before = scope.size();
            Tensor y = Checkpoint.apply(xs -> deepBlock(xs.get(0), depth), x);
            int heldAfterForward = scope.size() - before;
            y.sum().backward();
            int heldAfterBackward = scope.size() - before;
            assertArrayEquals(plain.toFloatArray(), y.toFloatArray());
            assertNotNull(x.grad());
            return new int[] {heldByPlain, heldAfterForward, heldAfterBackward};
        }
    }

    @Test void insideAScopeTheBlocksIntermediatesAreFreedInForwardAndInBackward() {
        int[] shallow = heldInAScope(10), deep = heldInAScope(20);
        assertTrue(deep[0] >= shallow[0] + 20, "a plain forward holds every intermediate");
        assertTrue(shallow[1] <= 2, "forward held " + shallow[1]); // the output and the node's trigger
        assertEquals(shallow[1], deep[1], "the checkpointed forward holds the same whatever the depth");
        assertEquals(shallow[2], deep[2], "and so does its backward");
    }

    @Test void parametersLearnEvenWhenNoInputRequiresGrad() {
        Sequential block = mlp(2);
        Tensor x = Tensor.randn(4, 8);
        block.forward(x).sum().backward();
        List<Tensor> expected = new ArrayList<>();
        for (Tensor p : block.parameters()) expected.add(p.grad().clone());
        block.zeroGrad();
        Tensor out = Checkpoint.apply(xs -> block.forward(xs.get(0)), x);
        assertTrue(out.requiresGrad());
        out.sum().backward();
        List<Tensor> got = block.parameters();
        for (int i = 0; i < got.size(); i++) assertTrue(expected.get(i).equal(got.get(i).grad()), "parameter " + i);
    }

    @Test void gradientsMatchFiniteDifferences() {
        Tensor a = Tensor.of(0.3, -1.2, 2.0).requiresGrad(true), b = Tensor.of(1.5, 0.2, -0.7).requiresGrad(true);
        assertTrue(Autograd.gradcheck(xs -> Checkpoint.apply(ys -> ys.get(0).mul(ys.get(1)).sin().add(ys.get(0).exp()), xs),
                a, b));
    }

    @Test void gradientsAccumulateOverSeveralBackwardCallsBeforeAStep() {
        Tensor x = Tensor.randn(8, 8), y = Tensor.randn(8, 8);
        Sequential plainBlock = mlp(5), ckptBlock = mlp(5);
        SGD plainOpt = new SGD(plainBlock.parameters(), 0.1), ckptOpt = new SGD(ckptBlock.parameters(), 0.1);
        F.mseLoss(plainBlock.forward(x), y).backward();
        plainOpt.step();
        for (int half = 0; half < 2; half++) {   // two micro-batches of 4, each half the mean
            Tensor xs = x.narrow(0, 4 * half, 4), ys = y.narrow(0, 4 * half, 4);
            F.mseLoss(run(ckptBlock, xs, true), ys).div(2).backward();
        }
        List<Tensor> plainGrads = plainBlock.parameters(), ckptGrads = ckptBlock.parameters();
        for (int i = 0; i < plainGrads.size(); i++)
            assertTrue(plainGrads.get(i).grad().allclose(ckptGrads.get(i).grad(), 1e-5, 1e-6), "gradient " + i);
        ckptOpt.step();
        for (int i = 0; i < plainGrads.size(); i++)
            assertTrue(plainGrads.get(i).allclose(ckptGrads.get(i), 1e-5, 1e-6), "parameter " + i + " after the step");
    }

    @Test void anInputChangedInPlaceBeforeBackwardIsAnError() {
        Sequential block = mlp(6);
        Tensor x = Tensor.randn(4, 8);
        Tensor out = Checkpoint.apply(xs -> block.forward(xs.get(0)), x);
        x.mul_(2);
        var e = assertThrows(IllegalStateException.class, () -> out.sum().backward());
        assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
    }

    @Test void aFunctionReturningItsInputStillPassesTheGradient() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor out = Checkpoint.apply(xs -> xs.get(0), x);
        assertNotSame(x, out);
        assertTrue(x.isLeaf());
        out.mul(3).sum().backward();
        assertArrayEquals(new double[]{3, 3}, x.grad().toDoubleArray());
    }

    @Test void withGradModeOffTheFunctionSimplyRuns() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor out = Autograd.noGrad(() -> Checkpoint.apply(xs -> xs.get(0).mul(2), x));
        assertNull(out.gradFn());
        assertArrayEquals(new double[]{2, 4}, out.toDoubleArray());
    }

    @Test void retainingTheGraphRecomputesForASecondBackward() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor out = Checkpoint.apply(xs -> xs.get(0).square(), x).sum();
        out.backward(null, true);
        out.backward();
        assertArrayEquals(new double[]{4, 8}, x.grad().toDoubleArray());
    }

    @Test void doubleBackwardThroughACheckpointIsRefused() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor out = Checkpoint.apply(xs -> xs.get(0).square(), x).sum();
        assertThrows(UnsupportedOperationException.class, () -> Autograd.grad(out, List.of(x), true));
    }

    @Test void theRecomputationRunsUnderTheForwardsAutocastSetting() {
        Tensor.manualSeed(8);
        Sequential block = new Sequential(new Linear(8, 16), new LayerNorm(16), new Linear(16, 8));
        Tensor x = Tensor.randn(4, 8);
        List<float[]> plain, checkpointed;
        try (var ac = Autocast.enable(DType.BFLOAT16)) {
            Tensor out = block.forward(x);
            assertEquals(DType.BFLOAT16, out.dtype());
        }
        plain = autocastGradients(block, x, false);
        checkpointed = autocastGradients(block, x, true);
        assertSameArrays(plain, checkpointed);
    }

    /** Forward under bfloat16 autocast, backward outside it. */
    private static List<float[]> autocastGradients(Module block, Tensor x, boolean checkpointed) {
        block.zeroGrad();
        Tensor leaf = x.detach().requiresGrad(true);
        Tensor out;
        try (var ac = Autocast.enable(DType.BFLOAT16)) {
            out = run(block, leaf, checkpointed);
        }
        assertEquals(DType.BFLOAT16, out.dtype());
        out.to(DType.FLOAT32).square().sum().backward();
        List<float[]> r = new ArrayList<>();
        r.add(out.toFloatArray());
        r.add(leaf.grad().toFloatArray());
        for (Tensor p : block.parameters()) r.add(p.grad().toFloatArray());
        return r;
    }
}
