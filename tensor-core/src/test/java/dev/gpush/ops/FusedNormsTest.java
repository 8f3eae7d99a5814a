package dev.gpush.ops;

import dev.gpush.amp.Autocast;
import dev.gpush.autograd.Autograd;
import dev.gpush.nn.F;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.gpush.ops.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused CPU softmax, log_softmax and layer norm (Note [fused softmax], Note [fused layer norm]) against their
 * composites, which a non-contiguous input still runs: values and gradients on random inputs of several shapes
 * in float32 and float64, special values, finite differences, double backward, and autocast.
 */
class FusedNormsTest {
    private static final int[][] SHAPES = {{5, 7}, {3, 4, 1024}, {2, 1}, {130, 33}};

    /** The same values as {@code x} (a leaf's graph included) in a non-contiguous layout, so ops run the composite. */
    private static Tensor nonContiguous(Tensor x) {
        Tensor t = x.transpose(-1, -2).contiguous().transpose(-1, -2);
        assertFalse(t.isContiguous() && x.size(-1) > 1 && x.size(-2) > 1, "the composite is not reached");
        return t;
    }

    private static double tol(DType dt) { return dt == DType.FLOAT32 ? 2e-6 : 1e-13; }

    private static Tensor leaf(long seed, DType dt, int... shape) {
        return randn(seed, shape).mul(3).to(dt).requiresGrad(true);
    }

    /** f on x (fused) and on a non-contiguous copy (composite): outputs, then x's gradients for a random g. */
    private static void assertFusedMatchesComposite(UnaryOperator<Tensor> f, DType dt, int... shape) {
        Tensor x = leaf(1, dt, shape), x2 = x.detach().clone().requiresGrad(true);
        Tensor g = randn(2, shape).to(dt);
        Tensor fused = f.apply(x), composite = f.apply(nonContiguous(x2));
        assertSameValues(composite, fused, tol(dt));
        fused.mul(g).sum().backward();
        composite.mul(g).sum().backward();
        assertSameValues(x2.grad(), x.grad(), tol(dt) * 4);
    }

    @Test void softmaxAndLogSoftmaxMatchTheCompositeInBothDtypes() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64})
            for (int[] shape : SHAPES) {
                assertFusedMatchesComposite(x -> x.softmax(-1), dt, shape);
                assertFusedMatchesComposite(x -> x.logSoftmax(-1), dt, shape);
            }
    }

    @Test void float32ResultsAreFloat64OnesRoundedOnce() {
        Tensor x64 = randn(3, 64, 1000).mul(5).to(DType.FLOAT64), x32 = x64.to(DType.FLOAT32);
        Tensor w = randn(4, 1000), b = randn(5, 1000);
        assertSameValues(x32.to(DType.FLOAT64).softmax(-1).to(DType.FLOAT32), x32.softmax(-1), 1e-7);
        assertSameValues(x32.to(DType.FLOAT64).logSoftmax(-1).to(DType.FLOAT32), x32.logSoftmax(-1), 1e-7);
        Tensor ref = F.layerNorm(x32.to(DType.FLOAT64), new int[]{1000}, w.to(DType.FLOAT64), b.to(DType.FLOAT64));
        assertSameValues(ref.to(DType.FLOAT32), F.layerNorm(x32, new int[]{1000}, w, b), 1e-7);
    }

    @Test void otherDimsAndIntegerInputsStillWork() {
        Tensor x = randn(6, 4, 9);
        assertSameValues(x.t().contiguous().softmax(-1).t(), x.softmax(0), 2e-6);
        assertSameValues(x.t().contiguous().logSoftmax(-1).t(), x.logSoftmax(0), 2e-6);
        Tensor ints = Tensor.of(new double[][]{{1, 2, 3}}).to(DType.INT64);
        assertSameValues(Tensor.of(new double[][]{{1, 2, 3}}).to(DType.FLOAT32).softmax(1), ints.softmax(1), 1e-7);
    }

    @Test void infiniteAndNanRowsGiveWhatTheCompositeGives() {
        double inf = Double.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new double[][]{{0, -inf, 1}, {-inf, -inf, -inf}, {1, Double.NaN, 2}, {inf, 0, 1}})
                .to(DType.FLOAT32);
        for (UnaryOperator<Tensor> f : List.<UnaryOperator<Tensor>>of(t -> t.softmax(-1), t -> t.logSoftmax(-1)))
            assertSameValues(f.apply(nonContiguous(x)), f.apply(x), 1e-7);
        assertEquals(0.0, x.softmax(-1).toDoubleArray()[1]);
    }

    @Test void layerNormMatchesTheCompositeWithAndWithoutAffine() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : SHAPES) {
                int cols = shape[shape.length - 1];
                Tensor w = leaf(7, dt, cols), b = leaf(8, dt, cols);
                assertFusedMatchesComposite(x -> F.layerNorm(x, new int[]{cols}), dt, shape);
                assertFusedMatchesComposite(x -> F.layerNorm(x, new int[]{cols}, w, null), dt, shape);
                assertFusedMatchesComposite(x -> F.layerNorm(x, new int[]{cols}, w, b, 1e-3), dt, shape);
            }
            int[] twoDims = {4, 6};
            Tensor w = leaf(9, dt, twoDims);
            assertFusedMatchesComposite(x -> F.layerNorm(x, twoDims, w, null), dt, 3, 4, 6);
        }
    }

    @Test void layerNormWeightAndBiasGradientsMatchTheComposite() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = randn(10, 37, 50).to(dt), g = randn(11, 37, 50).to(dt);
            Tensor w1 = leaf(12, dt, 50), b1 = leaf(13, dt, 50);
            Tensor w2 = w1.detach().clone().requiresGrad(true), b2 = b1.detach().clone().requiresGrad(true);
            F.layerNorm(x, new int[]{50}, w1, b1).mul(g).sum().backward();
            F.layerNorm(nonContiguous(x), new int[]{50}, w2, b2).mul(g).sum().backward();
            assertSameValues(w2.grad(), w1.grad(), tol(dt) * 10);
            assertSameValues(b2.grad(), b1.grad(), tol(dt) * 10);
        }
    }

    @Test void gradientsMatchFiniteDifferences() {
        Tensor x = randnLeaf(14, 3, 5), w = randnLeaf(15, 5), b = randnLeaf(16, 5);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).softmax(-1), x);
        assertGradientsMatchFiniteDifferences(xs -> xs.get(0).logSoftmax(-1), x);
        assertGradientsMatchFiniteDifferences(xs -> F.layerNorm(xs.get(0), new int[]{5}, xs.get(1), xs.get(2)), x, w, b);
        assertGradientsMatchFiniteDifferences(xs -> F.layerNorm(xs.get(0), new int[]{5}), x);
    }

    @Test void secondDerivativesMatchTheComposite() {
        Tensor g = randn(17, 4, 6).to(DType.FLOAT64), w = randnLeaf(18, 6);
        List<UnaryOperator<Tensor>> fs = List.of(t -> t.softmax(-1), t -> t.logSoftmax(-1),
                t -> F.layerNorm(t, new int[]{6}, w, null));
        for (UnaryOperator<Tensor> f : fs) {
            Tensor x = randnLeaf(19, 4, 6), x2 = x.detach().clone().requiresGrad(true);
            Tensor gx = Autograd.grad(f.apply(x).mul(g).sum(), List.of(x), true).get(0);
            Tensor gx2 = Autograd.grad(f.apply(nonContiguous(x2)).mul(g).sum(), List.of(x2), true).get(0);
            assertSameValues(gx2, gx, 1e-12);
            gx.mul(gx).sum().backward();
            gx2.mul(gx2).sum().backward();
            assertSameValues(x2.grad(), x.grad(), 1e-11);
        }
    }

    @Test void autocastRunsThemInFloat32() {
        Tensor x = randn(20, 8, 16).to(DType.BFLOAT16);
        try (Autocast ac = Autocast.enable(DType.BFLOAT16)) {
            assertEquals(DType.FLOAT32, x.softmax(-1).dtype());
            assertEquals(DType.FLOAT32, x.logSoftmax(-1).dtype());
            assertEquals(DType.FLOAT32, F.layerNorm(x, new int[]{16}).dtype());
        }
        assertSameValues(x.to(DType.FLOAT32).softmax(-1), x.softmax(-1).to(DType.FLOAT32), 1e-2);
    }
}
