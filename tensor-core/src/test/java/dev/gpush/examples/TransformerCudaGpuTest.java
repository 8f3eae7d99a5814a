package dev.gpush.examples;

import dev.gpush.cuda.Cuda;
import dev.gpush.nn.CrossEntropyLoss;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Transformer example on CUDA against the same run on the CPU, from the same weights and batches (issue 4's
 * "train the Transformer example a few steps on CUDA and compare the loss with the CPU run"): the example's loop
 * (bfloat16 autocast, accumulation, checkpointing, clipping, Adam under one-cycle) step by step, and one float32
 * forward and backward gradient by gradient. Skipped where no GPU is present.
 */
@Tag("gpu")
class TransformerCudaGpuTest {
    @BeforeEach
    void needsCuda() { assumeTrue(Cuda.isAvailable(), () -> "CUDA is not available: " + Cuda.unavailableReason()); }

    private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
        var copy = new LinkedHashMap<String, Tensor>();
        state.forEach((name, t) -> copy.put(name, t.clone()));
        return copy;
    }

    private static Iterator<List<Tensor>> onCuda(Iterator<List<Tensor>> batches) {
        return new Iterator<>() {
            @Override public boolean hasNext() { return batches.hasNext(); }
            @Override public List<Tensor> next() { return batches.next().stream().map(t -> t.to(Device.CUDA)).toList(); }
        };
    }

    @Test
    void theExamplesTrainingLoopGivesTheCpusLossesOnCuda() {
        var data = KeywordData.generate(512, TransformerTrainingTest.SEQ_LEN, TransformerTrainingTest.VOCAB,
                TransformerTrainingTest.CLASSES, TransformerTrainingTest.MAX_COUNT, 3);
        Tensor.manualSeed(1);
        int steps = 5;
        var cpu = new TransformerTrainingTest.Run(TransformerTrainingTest.model(0.0), steps);
        var cuda = new TransformerTrainingTest.Run(TransformerTrainingTest.model(0.0), steps);
        cuda.model().loadStateDict(copyOf(cpu.model().stateDict()));
        cuda.model().to(Device.CUDA);

        List<Double> cpuLosses = cpu.train(TransformerTrainingTest.batches(data, false), steps);
        List<Double> cudaLosses = cuda.train(onCuda(TransformerTrainingTest.batches(data, false)), steps);

        assertEquals(cpuLosses.size(), cudaLosses.size());
        for (int i = 0; i < cpuLosses.size(); i++)   // bfloat16 products: sums in another order round differently
            assertEquals(cpuLosses.get(i), cudaLosses.get(i), 0.03 * Math.abs(cpuLosses.get(i)) + 1e-3,
                    "micro-batch " + i + ": CPU " + cpuLosses + " CUDA " + cudaLosses);
        cuda.model().parameters().forEach(p -> assertTrue(p.device().isCuda(), "parameters stay on the GPU"));
    }

    @Test
    void oneFloat32StepGivesTheCpusGradients() {
        var data = KeywordData.generate(64, TransformerTrainingTest.SEQ_LEN, TransformerTrainingTest.VOCAB,
                TransformerTrainingTest.CLASSES, TransformerTrainingTest.MAX_COUNT, 4);
        Tensor.manualSeed(2);
        var cpu = TransformerTrainingTest.model(0.0);
        var cuda = TransformerTrainingTest.model(0.0);
        cuda.loadStateDict(copyOf(cpu.stateDict()));
        cuda.to(Device.CUDA);
        var lossFn = new CrossEntropyLoss();
        Tensor cpuLoss = lossFn.forward(cpu.forward(data.tokens()), data.labels());
        Tensor cudaLoss = lossFn.forward(cuda.forward(data.tokens().to(Device.CUDA)), data.labels().to(Device.CUDA));
        cpuLoss.backward();
        cudaLoss.backward();
        assertEquals(cpuLoss.item(), cudaLoss.item(), 1e-4 * Math.abs(cpuLoss.item()));

        var cudaParams = cuda.namedParameters();
        cpu.namedParameters().forEach((name, p) -> {
            Tensor want = p.grad(), got = cudaParams.get(name).grad().cpu();
            double scale = want.abs().max().item() + 1e-6;
            double error = want.sub(got).abs().max().item();
            assertTrue(error <= 1e-3 * scale, name + ": max gradient error " + error + " (largest gradient " + scale + ")");
        });
    }
}
