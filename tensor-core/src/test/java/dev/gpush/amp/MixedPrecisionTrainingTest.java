package dev.gpush.amp;

import dev.gpush.nn.F;
import dev.gpush.nn.Linear;
import dev.gpush.nn.ReLU;
import dev.gpush.nn.Sequential;
import dev.gpush.optim.Adam;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Whole training loops on the CPU: an MLP learns a rule under bfloat16 autocast, and under float16 autocast with a
 * GradScaler, with its parameters float32 throughout.
 */
class MixedPrecisionTrainingTest {
    /** 3 classes: which of three fixed directions has the largest projection of x [n, 4]. */
    private record Data(Tensor x, Tensor y) {
        static Data make(int n, long seed) {
            Tensor.manualSeed(seed);
            Tensor x = Tensor.randn(n, 4);
            Tensor dirs = Tensor.of(new float[][]{{1, 1, 0, 0}, {-1, 0, 1, 0}, {0, -1, -1, 1}});
            return new Data(x, x.matmul(dirs.t()).argmax(1));
        }
    }

    private static Sequential model() {
        Tensor.manualSeed(7);
        return new Sequential(new Linear(4, 32), new ReLU(), new Linear(32, 3));
    }

    private static double accuracy(Sequential m, Data d) {
        return m.forward(d.x()).argmax(1).eq(d.y()).to(DType.FLOAT32).mean().item();
    }

    @Test void anMlpTrainsUnderBfloat16Autocast() {
        Data train = Data.make(512, 1), test = Data.make(256, 2);
        Sequential m = model();
        Adam opt = new Adam(m.parameters(), 0.02);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Tensor loss;
            try (var ac = Autocast.enable(DType.BFLOAT16)) {
                Tensor logits = m.forward(train.x());
                assertEquals(DType.BFLOAT16, logits.dtype());
                loss = F.crossEntropy(logits, train.y());
            }
            assertEquals(DType.FLOAT32, loss.dtype());
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        for (Tensor p : m.parameters()) assertEquals(DType.FLOAT32, p.dtype());
        assertTrue(last < first / 4, "loss " + first + " -> " + last);
        double acc;
        try (var ac = Autocast.enable(DType.BFLOAT16)) {
            acc = accuracy(m, test);
        }
        assertTrue(acc >= 0.9, "held-out accuracy " + acc);
    }

    @Test void float16AutocastWithAGradScalerTrains() {
        Data train = Data.make(512, 3), test = Data.make(256, 4);
        Sequential m = model();
        Adam opt = new Adam(m.parameters(), 0.02);
        GradScaler scaler = new GradScaler(GradScaler.options().growthInterval(5));
        double first = 0, last = 0;
        int stepped = 0;
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Tensor loss;
            try (var ac = Autocast.enable(DType.FLOAT16)) {
                Tensor logits = m.forward(train.x());
                assertEquals(DType.FLOAT16, logits.dtype());
                loss = F.crossEntropy(logits, train.y());
            }
            scaler.scale(loss).backward();
            for (Tensor p : m.parameters()) assertEquals(DType.FLOAT32, p.grad().dtype());
            if (scaler.step(opt)) stepped++;
            scaler.update();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        // growing every 5 clean steps, the scale reaches float16's overflow; those steps are skipped and it backs off
        assertTrue(stepped < 150, "no overflow was ever caught; the scale reached " + scaler.getScale());
        assertTrue(stepped >= 120, "only " + stepped + " of 150 steps were taken");
        assertTrue(Double.isFinite(scaler.getScale()) && scaler.getScale() >= 1, "scale " + scaler.getScale());
        assertTrue(last < first / 4, "loss " + first + " -> " + last);
        double acc;
        try (var ac = Autocast.enable(DType.FLOAT16)) {
            acc = accuracy(m, test);
        }
        assertTrue(acc >= 0.9, "held-out accuracy " + acc);
    }
}
