package dev.gpush.nn;

import dev.gpush.autograd.Node;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Cross entropy values against the formula worked by hand (log-sum-exp in plain Java) and against results known
 * from PyTorch, for index and probability targets, weights, ignoreIndex and label smoothing. Gradients are in
 * {@link CrossEntropyGradientLossTest}.
 */
class CrossEntropyLossTest {
    static final double[][] LOGITS = {{0.5, -1.2, 2.0, 0.3}, {1.5, 0.2, -0.7, 0.0}, {-2.0, 3.1, 0.4, 1.1}};
    static final long[] TARGET = {2, 0, 3};
    static final double[] WEIGHT = {0.2, 1.0, 3.0, 0.5};

    /** log softmax of one row, by hand. */
    static double[] logProbs(double[] row) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double x : row) max = Math.max(max, x);
        for (double x : row) sum += Math.exp(x - max);
        double lse = max + Math.log(sum);
        double[] r = new double[row.length];
        for (int i = 0; i < row.length; i++) r[i] = row[i] - lse;
        return r;
    }

    /** PyTorch's loss at one position: (1 - s)·(-w_t·logp_t) + s/C·(-Σ_c w_c·logp_c); w null means ones. */
    static double positionLoss(double[] row, int t, double[] w, double s) {
        double[] lp = logProbs(row);
        double all = 0;
        for (int c = 0; c < row.length; c++) all -= (w == null ? 1 : w[c]) * lp[c];
        return (1 - s) * -(w == null ? 1 : w[t]) * lp[t] + s / row.length * all;
    }

    static void assertClose(double expected, Tensor actual, double tol) {
        assertEquals(0, actual.dim(), "a reduced loss is 0-d");
        assertEquals(expected, actual.item(), tol * Math.max(1, Math.abs(expected)));
    }

    static void assertValues(double[] expected, Tensor actual, double tol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++)
            assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    static Tensor logits() { return Tensor.of(LOGITS); }

    // ---------------------------------------------------------------- index targets

    @Test void crossEntropyOfKnownLogitsMatchesPyTorch() {
        // torch.nn.functional.cross_entropy(torch.tensor([[1., 2., 3.]]), torch.tensor([2])) == 0.40760596
        assertClose(0.40760596, F.crossEntropy(Tensor.of(new float[][]{{1, 2, 3}}), Tensor.of(new long[]{2})), 1e-7);
        // equal logits over two classes: ln 2
        assertClose(Math.log(2), F.crossEntropy(Tensor.of(new float[][]{{0, 0}}), Tensor.of(new long[]{1})), 1e-7);
        assertEquals(DType.FLOAT32, F.crossEntropy(Tensor.of(new float[][]{{1, 2, 3}}), Tensor.of(new long[]{2})).dtype());
    }

    @Test void reductionsAverageSumOrKeepThePerRowLosses() {
        double[] rows = new double[3];
        for (int i = 0; i < 3; i++) rows[i] = positionLoss(LOGITS[i], (int) TARGET[i], null, 0);
        Tensor target = Tensor.of(TARGET);
        assertValues(rows, F.crossEntropy(logits(), target, Reduction.NONE), 1e-14);
        assertClose(rows[0] + rows[1] + rows[2], F.crossEntropy(logits(), target, Reduction.SUM), 1e-14);
        assertClose((rows[0] + rows[1] + rows[2]) / 3, F.crossEntropy(logits(), target), 1e-14);
    }

    @Test void weightedMeanDividesByTheWeightsOfTheTargets() {
        double sum = 0, none[] = new double[3];
        for (int i = 0; i < 3; i++) sum += none[i] = positionLoss(LOGITS[i], (int) TARGET[i], WEIGHT, 0);
        Tensor w = Tensor.of(WEIGHT);
        double targetWeights = WEIGHT[2] + WEIGHT[0] + WEIGHT[3];
        assertClose(sum / targetWeights, F.crossEntropy(logits(), Tensor.of(TARGET), w, -100, Reduction.MEAN, 0), 1e-14);
        assertClose(sum, F.crossEntropy(logits(), Tensor.of(TARGET), w, -100, Reduction.SUM, 0), 1e-14);
        assertValues(none, F.crossEntropy(logits(), Tensor.of(TARGET), w, -100, Reduction.NONE, 0), 1e-14);
    }

    @Test void ignoredTargetsLeaveTheSumAndTheDenominator() {
        double row0 = positionLoss(LOGITS[0], 2, WEIGHT, 0), row2 = positionLoss(LOGITS[2], 3, WEIGHT, 0);
        Tensor target = Tensor.of(new long[]{2, -100, 3}), w = Tensor.of(WEIGHT);
        assertClose((row0 + row2) / (WEIGHT[2] + WEIGHT[3]), F.crossEntropy(logits(), target, w, -100, Reduction.MEAN, 0), 1e-14);
        assertValues(new double[]{row0, 0, row2}, F.crossEntropy(logits(), target, w, -100, Reduction.NONE, 0), 1e-14);
        // an ignoreIndex that is a class (padding token 0): rows of class 0 are skipped, others kept
        Tensor padded = Tensor.of(new long[]{2, 0, 3});
        double plain0 = positionLoss(LOGITS[0], 2, null, 0), plain2 = positionLoss(LOGITS[2], 3, null, 0);
        assertClose((plain0 + plain2) / 2, F.crossEntropy(logits(), padded, null, 0, Reduction.MEAN, 0), 1e-14);
    }

    @Test void aBatchWithEveryTargetIgnoredHasNaNMeanAndZeroSum() {
        Tensor target = Tensor.of(new long[]{-100, -100, -100});
        assertTrue(Double.isNaN(F.crossEntropy(logits(), target).item()));
        assertTrue(Double.isNaN(F.crossEntropy(logits(), target, Tensor.of(WEIGHT), -100, Reduction.MEAN, 0.2).item()));
        assertClose(0, F.crossEntropy(logits(), target, Reduction.SUM), 0);
        assertValues(new double[]{0, 0, 0}, F.crossEntropy(logits(), target, Reduction.NONE), 0);
    }

    @Test void spatialInputsTakeTheClassesAtDim1() {
        Tensor x = Tensor.randn(new Generator(7), 2, 3, 2, 2).to(DType.FLOAT64);   // [N, C, d1, d2]
        Tensor t = Tensor.of(new long[]{0, 2, 1, 1, 2, 0, 0, 1}).view(2, 2, 2);
        double[] xs = x.toDoubleArray();
        long[] ts = t.toLongArray();
        double[] expected = new double[8];
        for (int n = 0; n < 2; n++)
            for (int p = 0; p < 4; p++) {
                double[] row = new double[3];
                for (int c = 0; c < 3; c++) row[c] = xs[n * 12 + c * 4 + p];
                expected[n * 4 + p] = positionLoss(row, (int) ts[n * 4 + p], null, 0);
            }
        Tensor none = F.crossEntropy(x, t, Reduction.NONE);
        assertArrayEquals(new int[]{2, 2, 2}, none.shape());
        assertValues(expected, none, 1e-14);
        double mean = 0;
        for (double e : expected) mean += e / 8;
        assertClose(mean, F.crossEntropy(x, t), 1e-14);
    }

    @Test void anUnbatchedInputWithA0dTargetGivesA0dLoss() {
        Tensor x = Tensor.of(LOGITS[1]), t = Tensor.scalar(1L);
        double expected = positionLoss(LOGITS[1], 1, null, 0);
        assertClose(expected, F.crossEntropy(x, t), 1e-14);
        assertClose(expected, F.crossEntropy(x, t, Reduction.NONE), 1e-14);
    }

    @Test void int32TargetsGiveTheLossOfInt64Ones() {
        Tensor t32 = Tensor.of(new int[]{2, 0, 3});
        assertEquals(DType.INT32, t32.dtype());
        assertEquals(F.crossEntropy(logits(), Tensor.of(TARGET)).item(), F.crossEntropy(logits(), t32).item(), 0);
    }

    @Test void hugeLogitsGiveExactFiniteLosses() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.of(new double[][]{{1000, 0, -1000}, {1000, 0, -1000}, {1000, 0, -1000}}).to(dt).requiresGrad(true);
            Tensor loss = F.crossEntropy(x, Tensor.of(new long[]{0, 1, 2}), Reduction.NONE);
            assertValues(new double[]{0, 1000, 2000}, loss, 1e-7);
            loss.sum().backward();
            // softmax - onehot: the first row's gradient is 0, the others put +1 on class 0 and -1 on their target
            assertValues(new double[]{0, 0, 0, 1, -1, 0, 1, 0, -1}, x.grad(), 1e-7);
        }
    }

    // ---------------------------------------------------------------- probability targets

    static final double[][] PROBS = {{0.1, 0.2, 0.3, 0.4}, {1, 0, 0, 0}, {0.25, 0.25, 0.5, 0}};

    /** -Σ_c w_c·t_c·logp_c of one row with targets smoothed by s, by hand. */
    static double probabilityLoss(double[] row, double[] t, double[] w, double s) {
        double[] lp = logProbs(row);
        double r = 0;
        for (int c = 0; c < row.length; c++) r -= (w == null ? 1 : w[c]) * (t[c] * (1 - s) + s / row.length) * lp[c];
        return r;
    }

    @Test void probabilityTargetsAverageOverPositionsEvenWhenWeighted() {
        double[] plain = new double[3], weighted = new double[3];
        for (int i = 0; i < 3; i++) {
            plain[i] = probabilityLoss(LOGITS[i], PROBS[i], null, 0);
            weighted[i] = probabilityLoss(LOGITS[i], PROBS[i], WEIGHT, 0);
        }
        Tensor p = Tensor.of(PROBS), w = Tensor.of(WEIGHT);
        assertValues(plain, F.crossEntropy(logits(), p, Reduction.NONE), 1e-14);
        assertClose((plain[0] + plain[1] + plain[2]) / 3, F.crossEntropy(logits(), p), 1e-14);
        assertClose(weighted[0] + weighted[1] + weighted[2], F.crossEntropy(logits(), p, w, -100, Reduction.SUM, 0), 1e-14);
        assertClose((weighted[0] + weighted[1] + weighted[2]) / 3, F.crossEntropy(logits(), p, w, -100, Reduction.MEAN, 0), 1e-14);
        // a one-hot probability row is the index target's loss
        assertEquals(positionLoss(LOGITS[1], 0, null, 0), plain[1], 1e-14);
    }

    @Test void labelSmoothingMixesProbabilityTargetsWithTheUniform() {
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = probabilityLoss(LOGITS[i], PROBS[i], WEIGHT, 0.3);
        assertValues(expected, F.crossEntropy(logits(), Tensor.of(PROBS), Tensor.of(WEIGHT), -100, Reduction.NONE, 0.3), 1e-14);
    }

    // ---------------------------------------------------------------- label smoothing of index targets

    @Test void labelSmoothingOfKnownLogits() {
        // logp = [-2.4076, -1.4076, -0.4076]: 0.9 * 0.40760596 + 0.1 * (2.40760596 + 1.40760596 + 0.40760596) / 3
        assertClose(0.50760596, F.crossEntropy(Tensor.of(new float[][]{{1, 2, 3}}), Tensor.of(new long[]{2}), null, -100, Reduction.MEAN, 0.1), 1e-6);
    }

    @Test void labelSmoothingWithWeightsAndIgnoredTargetsFollowsPyTorch() {
        double s = 0.25;
        Tensor target = Tensor.of(new long[]{2, -100, 3}), w = Tensor.of(WEIGHT);
        double r0 = positionLoss(LOGITS[0], 2, WEIGHT, s), r2 = positionLoss(LOGITS[2], 3, WEIGHT, s);
        assertValues(new double[]{r0, 0, r2}, F.crossEntropy(logits(), target, w, -100, Reduction.NONE, s), 1e-14);
        assertClose(r0 + r2, F.crossEntropy(logits(), target, w, -100, Reduction.SUM, s), 1e-14);
        // both the nll part and the uniform part divide by the weights of the counted targets
        assertClose((r0 + r2) / (WEIGHT[2] + WEIGHT[3]), F.crossEntropy(logits(), target, w, -100, Reduction.MEAN, s), 1e-14);
        double u0 = positionLoss(LOGITS[0], 2, null, s), u2 = positionLoss(LOGITS[2], 3, null, s);
        assertClose((u0 + u2) / 2, F.crossEntropy(logits(), target, null, -100, Reduction.MEAN, s), 1e-14);
    }

    @Test void fullSmoothingIgnoresTheTarget() {
        Tensor a = F.crossEntropy(logits(), Tensor.of(TARGET), null, -100, Reduction.NONE, 1.0);
        Tensor b = F.crossEntropy(logits(), Tensor.of(new long[]{0, 1, 2}), null, -100, Reduction.NONE, 1.0);
        assertValues(b.toDoubleArray(), a, 1e-15);
    }

    // ---------------------------------------------------------------- large vocabularies

    @Test void largeVocabularyGathersTheTargetLogProbabilities() {
        int n = 32 * 64, vocab = 10000;
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, n, vocab).requiresGrad(true);
        Tensor t = Tensor.randint(g, 0, vocab, n);
        Tensor loss = F.crossEntropy(x, t);
        List<String> names = new ArrayList<>();
        Node gather = null;
        for (ArrayDeque<Node> todo = new ArrayDeque<>(List.of(loss.gradFn())); !todo.isEmpty(); ) {
            Node node = todo.pop();
            names.add(node.name());
            if (node.name().equals("gather")) gather = node;
            for (Node next : node.nextFunctions()) if (next != null) todo.push(next);
        }
        assertNotNull(gather, "the graph " + names + " gathers the targets");
        assertEquals("log_softmax", gather.nextFunctions().getFirst().name(), "gather reads the log softmax directly");
        loss.backward();
        // by hand for two rows: d loss / d x_ij = (softmax_ij - [j == t_i]) / N
        float[] xs = x.detach().toFloatArray(), grad = x.grad().toFloatArray();
        long[] ts = t.toLongArray();
        for (int i : new int[]{0, n - 1}) {
            double[] row = new double[vocab];
            for (int j = 0; j < vocab; j++) row[j] = xs[i * vocab + j];
            double[] lp = logProbs(row);
            for (int j : new int[]{(int) ts[i], (int) (ts[i] + 1) % vocab})
                assertEquals((Math.exp(lp[j]) - (j == ts[i] ? 1 : 0)) / n, grad[i * vocab + j], 1e-9, "row " + i + ", class " + j);
        }
    }
}
