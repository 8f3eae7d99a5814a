package dev.gpush.nn;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The loss modules: PyTorch's printing, options that reach the functional forms, buffers and reductions by name. */
class LossesTest {
    private static final Tensor LOGITS = Tensor.of(new double[][]{{0.5, -1.2, 2.0}, {1.5, 0.2, -0.7}});
    private static final Tensor CLASSES = Tensor.of(new long[]{2, 0});

    @Test void modulesPrintAsPyTorch() {
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
        assertEquals("CrossEntropyLoss()", CrossEntropyLoss.builder().weight(Tensor.ones(3)).labelSmoothing(0.1).build().toString());
        assertEquals("NLLLoss()", new NLLLoss().toString());
        assertEquals("MSELoss()", new MSELoss().toString());
        assertEquals("L1Loss()", new L1Loss(Reduction.SUM).toString());
        assertEquals("BCEWithLogitsLoss()", new BCEWithLogitsLoss().toString());
    }

    @Test void defaultsAreTorchDefaults() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        assertNull(ce.weight());
        assertEquals(-100, ce.ignoreIndex());
        assertEquals(Reduction.MEAN, ce.reduction());
        assertEquals(0, ce.labelSmoothing());
        assertEquals(-100, new NLLLoss().ignoreIndex());
        assertEquals(Reduction.MEAN, new MSELoss().reduction());
        assertNull(new BCEWithLogitsLoss().posWeight());
    }

    @Test void builtOptionsReachTheFunctionalForm() {
        Tensor w = Tensor.of(0.5, 2.0, 1.0), t = Tensor.of(new long[]{2, 1});
        CrossEntropyLoss ce = CrossEntropyLoss.builder().weight(w).ignoreIndex(1).reduction(Reduction.SUM).labelSmoothing(0.2).build();
        assertEquals(F.crossEntropy(LOGITS, t, w, 1, Reduction.SUM, 0.2).item(), ce.apply(LOGITS, t).item(), 0);
        assertEquals(ce.apply(LOGITS, t).item(), ce.forward(LOGITS, t).item(), 0);
        NLLLoss nll = NLLLoss.builder().weight(w).ignoreIndex(0).reduction(Reduction.NONE).build();
        assertArrayEquals(F.nllLoss(LOGITS, t, w, 0, Reduction.NONE).toDoubleArray(), nll.apply(LOGITS, t).toDoubleArray(), 0);
        Tensor y = Tensor.of(new double[][]{{1, 0, 1}, {0, 0.5, 1}}), p = Tensor.of(2.0, 1.0, 0.5);
        BCEWithLogitsLoss bce = BCEWithLogitsLoss.builder().weight(w).posWeight(p).reduction(Reduction.SUM).build();
        assertEquals(F.binaryCrossEntropyWithLogits(LOGITS, y, w, p, Reduction.SUM).item(), bce.apply(LOGITS, y).item(), 0);
        assertEquals(F.mseLoss(LOGITS, y, Reduction.SUM).item(), new MSELoss(Reduction.SUM).apply(LOGITS, y).item(), 0);
        assertEquals(F.l1Loss(LOGITS, y).item(), new L1Loss().apply(LOGITS, y).item(), 0);
        assertEquals(F.crossEntropy(LOGITS, CLASSES).item(), new CrossEntropyLoss().apply(LOGITS, CLASSES).item(), 0);
    }

    @Test void weightsAreBuffersWithPyTorchNames() {
        assertEquals(List.of(), List.copyOf(new CrossEntropyLoss().stateDict().keySet()));
        assertEquals(List.of("weight"), List.copyOf(new CrossEntropyLoss(Tensor.ones(3), -100, Reduction.MEAN, 0).stateDict().keySet()));
        assertEquals(List.of("weight"), List.copyOf(NLLLoss.builder().weight(Tensor.ones(3)).build().stateDict().keySet()));
        assertEquals(List.of("weight", "pos_weight"),
                List.copyOf(new BCEWithLogitsLoss(Tensor.ones(3), Reduction.MEAN, Tensor.ones(3)).stateDict().keySet()));
        assertEquals(List.of("pos_weight"), List.copyOf(BCEWithLogitsLoss.builder().posWeight(Tensor.ones(3)).build().stateDict().keySet()));
        assertEquals(0, new CrossEntropyLoss(Tensor.ones(3), -100, Reduction.MEAN, 0).parameters().size());
    }

    @Test void movingTheModuleCastsItsWeight() {
        CrossEntropyLoss ce = CrossEntropyLoss.builder().weight(Tensor.of(1f, 2f, 3f)).build();
        ce.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, ce.weight().dtype());
        assertEquals(DType.FLOAT64, ce.apply(LOGITS, CLASSES).dtype());
    }

    @Test void reductionsParseFromPyTorchNames() {
        assertEquals(Reduction.SUM, Reduction.of("sum"));
        assertEquals(Reduction.NONE, Reduction.of("none"));
        assertEquals("mean", Reduction.MEAN.pyName());
        String m = assertThrows(IllegalArgumentException.class, () -> Reduction.of("avg")).getMessage();
        assertTrue(m.contains("avg") && m.contains("'mean'"), m);
    }
}
