package dev.gpush.nn;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.gpush.nn.CrossEntropyLossTest.LOGITS;
import static org.junit.jupiter.api.Assertions.*;

/** Cross entropy and NLL errors name the offending values, shapes and dtypes. */
class CrossEntropyErrorsLossTest {
    private static String message(Class<? extends Throwable> type, Executable call) {
        return assertThrows(type, call).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + message + "' should mention " + p);
    }

    private static Tensor logits() { return Tensor.of(LOGITS); }   // [3, 4]

    @Test void aTargetOutOfRangeNamesTheValueAndTheClassCount() {
        assertMentions(message(IndexOutOfBoundsException.class, () -> F.crossEntropy(logits(), Tensor.of(new long[]{0, 7, 1}))),
                "target 7", "4 classes");
        assertMentions(message(IndexOutOfBoundsException.class, () -> F.crossEntropy(logits(), Tensor.of(new long[]{0, -1, 1}))),
                "target -1", "4 classes");
        assertMentions(message(IndexOutOfBoundsException.class, () -> F.nllLoss(logits(), Tensor.of(new int[]{4, 0, 1}))),
                "target 4", "4 classes");
        // the ignoreIndex is not a class but is allowed
        assertDoesNotThrow(() -> F.crossEntropy(logits(), Tensor.of(new long[]{0, -1, 1}), null, -1, Reduction.MEAN, 0));
    }

    @Test void aTargetOfTheWrongShapeNamesBothShapes() {
        assertMentions(message(IllegalArgumentException.class, () -> F.crossEntropy(logits(), Tensor.of(new long[]{0, 1}))),
                "[3]", "[3, 4]", "[2]");
        assertMentions(message(IllegalArgumentException.class, () -> F.nllLoss(logits(), Tensor.of(new long[][]{{0}, {1}, {2}}))),
                "[3, 4]", "[3, 1]");
        assertMentions(message(IllegalArgumentException.class,
                        () -> F.crossEntropy(Tensor.zeros(2, 3, 5), Tensor.zeros(DType.INT64, 2, 4))),
                "[2, 5]", "[2, 3, 5]", "[2, 4]");
    }

    @Test void aTargetOfTheWrongDtypeNamesIt() {
        // floating class indices (PyTorch: expected scalar type Long)
        assertMentions(message(IllegalArgumentException.class, () -> F.crossEntropy(logits(), Tensor.of(0.0, 1.0, 2.0))),
                "float64", "int64", "[3]", "[3, 4]");
        assertMentions(message(IllegalArgumentException.class, () -> F.nllLoss(logits(), Tensor.of(0f, 1f, 2f))), "float32", "int64");
        // integer class probabilities (PyTorch: expected floating point type for target with class probabilities)
        assertMentions(message(IllegalArgumentException.class, () -> F.crossEntropy(logits(), Tensor.zeros(DType.INT64, 3, 4))),
                "floating point", "int64");
        assertMentions(message(IllegalArgumentException.class, () -> F.crossEntropy(Tensor.of(1L, 2L), Tensor.of(0L))),
                "floating point input", "int64");
    }

    @Test void badOptionsAreRefused() {
        assertMentions(message(IllegalArgumentException.class,
                        () -> F.crossEntropy(logits(), Tensor.of(new long[]{0, 1, 2}), Tensor.ones(3), -100, Reduction.MEAN, 0)),
                "4 classes", "[3]");
        assertMentions(message(IllegalArgumentException.class,
                        () -> F.crossEntropy(logits(), Tensor.of(new long[]{0, 1, 2}), null, -100, Reduction.MEAN, 1.5)),
                "labelSmoothing", "1.5");
        assertMentions(message(IllegalArgumentException.class,
                        () -> F.crossEntropy(logits(), Tensor.zeros(DType.FLOAT64, 3, 4), null, 0, Reduction.MEAN, 0)),
                "ignoreIndex", "probabilities");
        assertMentions(message(IllegalArgumentException.class, () -> F.crossEntropy(Tensor.scalar(1.0), Tensor.scalar(0L))), "0-d");
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(null, -100, Reduction.MEAN, -0.1));
    }
}
