package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gpush.nn.ConvolutionTest.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/**
 * BatchNorm1d/2d and F.batchNorm: batch statistics in training, running statistics in eval, the running update
 * against the hand formula, gradients, PyTorch's names and printing, and errors.
 */
class BatchNormTest {
    private static Tensor randn(int... shape) { return Tensor.randn(shape, DType.FLOAT64, Device.CPU); }

    /** Per-channel {mean, biased var, unbiased var} of x [N, C, ...] computed with loops. */
    private static double[][] channelStats(Tensor x) {
        double[] v = x.toDoubleArray();
        int c = x.size(1), inner = x.numel() / (x.size(0) * c), n = x.size(0) * inner;
        double[][] r = new double[3][c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int b = 0; b < x.size(0); b++) for (int k = 0; k < inner; k++) sum += v[(b * c + ch) * inner + k];
            double mean = sum / n;
            for (int b = 0; b < x.size(0); b++)
                for (int k = 0; k < inner; k++) sq += Math.pow(v[(b * c + ch) * inner + k] - mean, 2);
            r[0][ch] = mean;
            r[1][ch] = sq / n;
            r[2][ch] = sq / (n - 1);
        }
        return r;
    }

    /** {@code (x - mean[c]) / sqrt(var[c] + eps) * w[c] + b[c]} with loops. */
    private static double[] normalised(Tensor x, double[] mean, double[] var, double[] w, double[] b, double eps) {
        double[] v = x.toDoubleArray(), out = new double[v.length];
        int c = x.size(1), inner = x.numel() / (x.size(0) * c);
        for (int i = 0; i < v.length; i++) {
            int ch = (i / inner) % c;
            out[i] = (v[i] - mean[ch]) / Math.sqrt(var[ch] + eps) * w[ch] + b[ch];
        }
        return out;
    }

    private static BatchNorm2d bn2d(int c) { return (BatchNorm2d) new BatchNorm2d(c).to(DType.FLOAT64); }

    @Test void trainingNormalisesWithTheBatchsBiasedStatistics() {
        Tensor.manualSeed(1);
        BatchNorm2d bn = bn2d(3);
        try (var ng = Autograd.noGrad()) {
            bn.weight.copy_(Tensor.of(0.5, 2.0, -1.0));
            bn.bias.copy_(Tensor.of(0.1, 0.2, 0.3));
        }
        Tensor x = randn(4, 3, 2, 5).mul(3).add(1);
        double[][] st = channelStats(x);
        assertClose(normalised(x, st[0], st[1], new double[]{0.5, 2, -1}, new double[]{0.1, 0.2, 0.3}, 1e-5), bn.forward(x), 1e-12);
    }

    @Test void runningStatisticsFollowTheMomentumFormulaWithTheUnbiasedVariance() {
        Tensor.manualSeed(2);
        BatchNorm2d bn = bn2d(2);
        double[] mean = {0, 0}, var = {1, 1};
        for (int step = 0; step < 3; step++) {
            Tensor x = randn(3, 2, 4, 4).mul(step + 1).add(step);
            bn.forward(x);
            double[][] st = channelStats(x);
            for (int c = 0; c < 2; c++) {
                mean[c] = 0.9 * mean[c] + 0.1 * st[0][c];
                var[c] = 0.9 * var[c] + 0.1 * st[2][c];
            }
        }
        assertClose(mean, bn.runningMean, 1e-12);
        assertClose(var, bn.runningVar, 1e-12);
        assertEquals(3, bn.numBatchesTracked.item());
        assertEquals(DType.INT64, bn.numBatchesTracked.dtype());
    }

    @Test void evalUsesTheRunningStatisticsAndLeavesThemAlone() {
        Tensor.manualSeed(3);
        BatchNorm1d bn = (BatchNorm1d) new BatchNorm1d(3).to(DType.FLOAT64);
        try (var ng = Autograd.noGrad()) {
            bn.runningMean.copy_(Tensor.of(1.0, -2.0, 0.5));
            bn.runningVar.copy_(Tensor.of(4.0, 0.25, 1.0));
            bn.weight.copy_(Tensor.of(1.0, 3.0, -2.0));
            bn.bias.copy_(Tensor.of(0.0, 1.0, 0.5));
        }
        bn.eval();
        Tensor x = randn(5, 3, 4);
        double[] mean = {1, -2, 0.5}, var = {4, 0.25, 1}, w = {1, 3, -2}, b = {0, 1, 0.5};
        assertClose(normalised(x, mean, var, w, b, 1e-5), bn.forward(x), 1e-12);
        Tensor flat = randn(6, 3);
        assertClose(normalised(flat, mean, var, w, b, 1e-5), bn.forward(flat), 1e-12);
        assertClose(mean, bn.runningMean, 0);
        assertEquals(0, bn.numBatchesTracked.item());
    }

    @Test void nullMomentumKeepsACumulativeAverage() {
        Tensor.manualSeed(4);
        BatchNorm1d bn = (BatchNorm1d) new BatchNorm1d(2, 1e-5, null, true, true).to(DType.FLOAT64);
        Tensor a = randn(8, 2), b = randn(8, 2).add(3), c = randn(8, 2).sub(1);
        for (Tensor x : List.of(a, b, c)) bn.forward(x);
        double[] expected = new double[2];
        for (Tensor x : List.of(a, b, c)) for (int ch = 0; ch < 2; ch++) expected[ch] += channelStats(x)[0][ch] / 3;
        assertClose(expected, bn.runningMean, 1e-12);
        assertTrue(bn.toString().contains("momentum=None"), bn.toString());
    }

    @Test void withoutTrackedStatisticsEvalStillUsesTheBatch() {
        Tensor.manualSeed(5);
        BatchNorm2d bn = (BatchNorm2d) new BatchNorm2d(2, 1e-5, 0.1, false, false).to(DType.FLOAT64);
        assertTrue(bn.parameters().isEmpty());
        assertTrue(bn.stateDict().isEmpty());
        bn.eval();
        Tensor x = randn(2, 2, 3, 3);
        double[][] st = channelStats(x);
        assertClose(normalised(x, st[0], st[1], new double[]{1, 1}, new double[]{0, 0}, 1e-5), bn.forward(x), 1e-12);
    }

    @Test void batchNormGradientsMatchFiniteDifferencesInTrainingAndEval() {
        Tensor.manualSeed(6);
        Tensor w = randn(2).requiresGrad(true), b = randn(2).requiresGrad(true);
        assertTrue(Autograd.gradcheck(in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true),
                randn(3, 2, 2).requiresGrad(true), w, b));
        assertTrue(Autograd.gradcheck(in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-3),
                randn(2, 2, 2, 2).requiresGrad(true), w, b));
        Tensor rm = randn(2), rv = randn(2).abs().add(0.5);
        assertTrue(Autograd.gradcheck(in -> F.batchNorm(in.get(0), rm, rv, in.get(1), in.get(2), false),
                randn(2, 2, 3).requiresGrad(true), w, b));
    }

    @Test void functionalTrainingUpdatesTheGivenRunningStatistics() {
        Tensor.manualSeed(7);
        Tensor x = randn(6, 2), rm = Tensor.zeros(DType.FLOAT64, 2), rv = Tensor.ones(DType.FLOAT64, 2);
        F.batchNorm(x, rm, rv, null, null, true, 0.3, 1e-5);
        double[][] st = channelStats(x);
        assertClose(new double[]{0.3 * st[0][0], 0.3 * st[0][1]}, rm, 1e-12);
        assertClose(new double[]{0.7 + 0.3 * st[2][0], 0.7 + 0.3 * st[2][1]}, rv, 1e-12);
    }

    @Test void batchNormHasPyTorchNamesAndPrinting() {
        BatchNorm2d bn = new BatchNorm2d(16);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()));
        assertEquals("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
        assertEquals("BatchNorm1d(4, eps=0.001, momentum=0.01, affine=False, track_running_stats=True)",
                new BatchNorm1d(4, 1e-3, 0.01, false, true).toString());
        assertClose(new double[16], bn.runningMean, 0);
        assertEquals(16, bn.runningVar.sum().item());
        assertEquals(16, bn.weight.sum().item());
    }

    @Test void batchNormErrorsNameTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(16).forward(Tensor.zeros(4, 8, 5, 5)));
        assertTrue(e.getMessage().contains("16 channels") && e.getMessage().contains("got 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(3, 5, 5)));
        assertTrue(e.getMessage().contains("expected 4D input (got 3D input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(e.getMessage().contains("2D or 3D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm(Tensor.zeros(2, 3), Tensor.zeros(4), Tensor.ones(4), null, null, false));
        assertTrue(e.getMessage().contains("running_mean should contain 3") && e.getMessage().contains("got 4"), e.getMessage());
    }
}
