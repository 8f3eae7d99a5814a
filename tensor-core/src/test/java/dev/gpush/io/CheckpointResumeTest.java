package dev.gpush.io;

import dev.gpush.nn.Linear;
import dev.gpush.optim.Adam;
import dev.gpush.optim.lr.MultiStepLR;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.gpush.io.IoAssert.assertSameTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Resuming from a checkpoint continues training exactly as if it had never stopped. */
class CheckpointResumeTest {
    @TempDir Path dir;

    private final Tensor x = Tensor.randn(new Generator(7), 8, 3);
    private final Tensor y = Tensor.randn(new Generator(8), 8, 2);

    private record Run(Linear model, Adam optimizer, MultiStepLR scheduler) {
        static Run fresh(long seed) {
            Tensor.manualSeed(seed);
            Linear model = new Linear(3, 2);
            Adam optimizer = new Adam(model.parameters(), 0.1);
            return new Run(model, optimizer, new MultiStepLR(optimizer, List.of(2, 4), 0.5));
        }

        void train(Tensor x, Tensor y, int steps) {
            for (int i = 0; i < steps; i++) {
                optimizer.zeroGrad();
                model.forward(x).sub(y).square().mean().backward();
                optimizer.step();
                scheduler.step();
            }
        }
    }

    @Test void aResumedRunMatchesAnUninterruptedOneExactly() throws IOException {
        Run original = Run.fresh(1);
        original.train(x, y, 3);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoints.save(file, Map.of("model", original.model.stateDict(), "optimizer", original.optimizer.stateDict(),
                "scheduler", original.scheduler.stateDict(), "epoch", 3));
        original.train(x, y, 2);

        Run resumed = Run.fresh(2);
        var ckpt = Checkpoints.load(file);
        @SuppressWarnings("unchecked") var model = (Map<String, Tensor>) ckpt.get("model");
        @SuppressWarnings("unchecked") var optimizer = (Map<String, ?>) ckpt.get("optimizer");
        @SuppressWarnings("unchecked") var scheduler = (Map<String, ?>) ckpt.get("scheduler");
        resumed.model.loadStateDict(model);
        resumed.optimizer.loadStateDict(optimizer);
        resumed.scheduler.loadStateDict(scheduler);
        assertEquals(3, ckpt.get("epoch"));
        resumed.train(x, y, 2);

        assertEquals(original.scheduler.getLastLr(), resumed.scheduler.getLastLr());
        var expected = original.model.stateDict();
        resumed.model.stateDict().forEach((k, v) -> assertSameTensor(expected.get(k), v));
    }
}
