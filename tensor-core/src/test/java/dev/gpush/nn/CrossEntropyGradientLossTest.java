package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.gpush.nn.CrossEntropyLossTest.LOGITS;
import static dev.gpush.nn.CrossEntropyLossTest.PROBS;
import static dev.gpush.nn.CrossEntropyLossTest.WEIGHT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Cross entropy gradients against float64 finite differences, for every reduction with weights, ignoreIndex,
 * label smoothing, probability targets and spatial inputs; the gradients reach the logits, the class weights
 * and probability targets. Targets of class indices are captured by the checked functions, not passed to them
 * (gradcheck makes float64 copies of its inputs).
 */
class CrossEntropyGradientLossTest {
    private static void check(Function<List<Tensor>, Tensor> fn, Tensor... inputs) {
        assertTrue(Autograd.gradcheck(fn, inputs));
    }

    private static Tensor logits() { return Tensor.of(LOGITS).requiresGrad(true); }

    private static Tensor weight() { return Tensor.of(WEIGHT).requiresGrad(true); }

    @Test void gradientOfEveryReductionMatchesFiniteDifferences() {
        Tensor t = Tensor.of(new long[]{2, 0, 3});
        for (Reduction r : Reduction.values())
            check(xs -> F.crossEntropy(xs.get(0), t, r), logits());
    }

    @Test void gradientWithWeightsAndIgnoredTargetsMatchesFiniteDifferences() {
        Tensor t = Tensor.of(new long[]{2, -100, 3});
        for (Reduction r : Reduction.values())
            check(xs -> F.crossEntropy(xs.get(0), t, xs.get(1), -100, r, 0), logits(), weight());
    }

    @Test void gradientWithLabelSmoothingMatchesFiniteDifferences() {
        Tensor t = Tensor.of(new long[]{1, 1, -100});
        for (Reduction r : Reduction.values()) {
            check(xs -> F.crossEntropy(xs.get(0), t, null, -100, r, 0.2), logits());
            check(xs -> F.crossEntropy(xs.get(0), t, xs.get(1), -100, r, 0.2), logits(), weight());
        }
    }

    @Test void gradientOfProbabilityTargetsReachesLogitsTargetsAndWeights() {
        Tensor p = Tensor.of(PROBS).requiresGrad(true);
        for (Reduction r : Reduction.values()) {
            check(xs -> F.crossEntropy(xs.get(0), xs.get(1), r), logits(), p);
            check(xs -> F.crossEntropy(xs.get(0), xs.get(1), xs.get(2), -100, r, 0.1), logits(), p, weight());
        }
    }

    @Test void gradientOfSpatialAndUnbatchedInputsMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(new Generator(11), 2, 3, 2).to(DType.FLOAT64).requiresGrad(true);
        Tensor t = Tensor.of(new long[]{0, 2, 1, -100}).view(2, 2);
        for (Reduction r : Reduction.values())
            check(xs -> F.crossEntropy(xs.get(0), t, null, -100, r, 0.1), x);
        Tensor row = Tensor.of(LOGITS[0]).requiresGrad(true);
        check(xs -> F.crossEntropy(xs.get(0), Tensor.scalar(3L)), row);
    }

    @Test void secondDerivativeMatchesFiniteDifferences() {
        // gradcheck of x -> d/dx sum(loss(x)), built with createGraph (PyTorch's gradgradcheck)
        Tensor t = Tensor.of(new long[]{2, -100, 3});
        check(xs -> {
            Tensor x = xs.get(0).requiresGrad() ? xs.get(0) : xs.get(0).detach().requiresGrad(true);
            try (var on = Autograd.enableGrad()) {
                Tensor loss = F.crossEntropy(x, t, Tensor.of(WEIGHT), -100, Reduction.MEAN, 0.2);
                return Autograd.grad(loss, List.of(x), true).getFirst();
            }
        }, logits());
    }

    @Test void gradientOfTheMeanIsSoftmaxMinusOneHotOverN() {
        Tensor x = logits();
        F.crossEntropy(x, Tensor.of(new long[]{2, 0, 3})).backward();
        double[] g = x.grad().toDoubleArray();
        long[] t = {2, 0, 3};
        for (int i = 0; i < 3; i++) {
            double[] lp = CrossEntropyLossTest.logProbs(LOGITS[i]);
            for (int c = 0; c < 4; c++)
                assertEquals((Math.exp(lp[c]) - (c == t[i] ? 1 : 0)) / 3, g[i * 4 + c], 1e-15, "row " + i + ", class " + c);
        }
    }

    @Test void ignoredRowsGetNoGradient() {
        Tensor x = logits();
        F.crossEntropy(x, Tensor.of(new long[]{2, -100, 3}), null, -100, Reduction.MEAN, 0.3).backward();
        double[] g = x.grad().toDoubleArray();
        for (int c = 0; c < 4; c++) assertEquals(0, g[4 + c], 0, "class " + c);
    }
}
