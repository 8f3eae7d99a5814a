package dev.gpush.cuda;

import dev.gpush.cpu.PoisonedEmpty;
import dev.gpush.nn.AdaptiveAvgPool2d;
import dev.gpush.nn.AvgPool2d;
import dev.gpush.nn.BatchNorm2d;
import dev.gpush.nn.Conv2d;
import dev.gpush.nn.Embedding;
import dev.gpush.nn.F;
import dev.gpush.nn.Flatten;
import dev.gpush.nn.Linear;
import dev.gpush.nn.MaxPool2d;
import dev.gpush.nn.Module;
import dev.gpush.nn.ReLU;
import dev.gpush.nn.Sequential;
import dev.gpush.nn.TransformerEncoderLayer;
import dev.gpush.optim.Adam;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * No op reads the uninitialised storage it asks for (Note [uninitialised outputs] in Creation): on the CPU, with
 * Note [poisoned empty] filling that storage with NaN and 0x7f bytes, every self-test check (every op, forward and
 * backward, every dtype) and a few training steps give the same bits as with zero-filled storage. On a GPU the
 * same storage holds whatever the caching allocator's last tenant left there.
 */
class UninitialisedOutputsTest {
    @TestFactory
    Stream<DynamicTest> everySelfTestCheckIgnoresPoisonedEmptyStorage() {
        return SelfTestChecks.all().stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> assertSameBits(c.name(), () -> c.compute().apply(Device.CPU))));
    }

    @Test void aConvolutionalTrainingStepIgnoresPoisonedEmptyStorage() {
        assertSameBits("conv net", () -> train(() -> new Sequential(
                new Conv2d(3, 6, 3, 1, 1), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 8, 3, 2, 0), new AvgPool2d(2, 1, 1), new AdaptiveAvgPool2d(2), new Flatten(),
                new Linear(32, 5)), Tensor.randn(new Generator(3), 4, 3, 12, 12)));
    }

    @Test void aTransformerTrainingStepIgnoresPoisonedEmptyStorage() {
        assertSameBits("transformer", () -> train(() -> new Sequential(new Embedding(11, 16),
                new TransformerEncoderLayer(16, 4, 32, 0.1, "gelu", 1e-5, true, true, true),
                new Flatten(), new Linear(16 * 7, 5)), Tensor.randint(new Generator(4), 0, 11, 4, 7)));
    }

    /** Two Adam steps of a freshly made model on x against fixed labels: the losses and the parameters, flattened. */
    private static Tensor train(Supplier<Module> model, Tensor x) {
        Tensor.manualSeed(7);   // the same initial weights and dropout masks in both runs
        Module m = model.get();
        Adam opt = new Adam(m.parameters(), 1e-2);
        Tensor labels = Tensor.randint(new Generator(5), 0, 5, x.size(0));
        List<Tensor> out = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(m.forward(x), labels);
            loss.backward();
            opt.step();
            out.add(loss.detach().reshape(1));
        }
        for (Tensor p : m.parameters()) out.add(p.detach().flatten());
        return Tensor.cat(out, 0);
    }

    /** The computation's result with zero-filled and with poisoned uninitialised storage: same shape, dtype and bits. */
    private static void assertSameBits(String what, Supplier<Tensor> computation) {
        Tensor zeroed = PoisonedEmpty.with(false, computation), poisoned = PoisonedEmpty.with(true, computation);
        assertEquals(zeroed.dtype(), poisoned.dtype(), what);
        assertArrayEquals(zeroed.shape(), poisoned.shape(), what);
        if (!zeroed.dtype().isFloatingPoint()) {
            assertArrayEquals(zeroed.toLongArray(), poisoned.toLongArray(), what);
            return;
        }
        double[] want = zeroed.toDoubleArray(), got = poisoned.toDoubleArray();
        for (int i = 0; i < want.length; i++)
            if (Double.doubleToLongBits(want[i]) != Double.doubleToLongBits(got[i]))
                fail(what + ": element " + i + " is " + got[i] + " with poisoned empty storage, " + want[i] + " with zeros");
    }
}
