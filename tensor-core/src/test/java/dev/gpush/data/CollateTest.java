package dev.gpush.data;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CollateTest {
    record Pair(Tensor x, Tensor y) {}
    record Labelled(Tensor x, int label) {}
    record Loose(Tensor x, Object label) {}

    @Test void tensorsStackAlongANewFirstDim() {
        Tensor batch = Collate.toTensor(List.of(Tensor.of(1f, 2f), Tensor.of(3f, 4f), Tensor.of(5f, 6f)));
        assertArrayEquals(new int[]{3, 2}, batch.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, batch.toFloatArray());
    }

    @Test void tensorsOfDifferentShapesNameBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.collate(List.of(Tensor.zeros(2), Tensor.zeros(3))));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test void numbersBecomeFloat64OrInt64TensorsAndBooleansBool() {
        Tensor f = Collate.toTensor(List.of(0.5, 1.5));
        assertEquals(DType.FLOAT64, f.dtype());
        assertArrayEquals(new double[]{0.5, 1.5}, f.toDoubleArray());
        Tensor i = Collate.toTensor(List.of(3, 4, 5));
        assertEquals(DType.INT64, i.dtype());
        assertArrayEquals(new long[]{3, 4, 5}, i.toLongArray());
        Tensor b = Collate.toTensor(List.of(true, false));
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[]{true, false}, b.toBooleanArray());
    }

    @Test void primitiveArraysBecomeOneTensorOfTheirDtype() {
        Tensor t = Collate.toTensor(List.of(new float[]{1, 2}, new float[]{3, 4}));
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new int[]{2, 2}, t.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4}, t.toFloatArray());
    }

    @Test void listSamplesCollatePositionByPosition() {
        List<Object> batch = (List<Object>) Collate.collate(List.of(
                List.of(Tensor.of(1f, 2f), 0, "a"),
                List.of(Tensor.of(3f, 4f), 1, "b")));
        assertArrayEquals(new int[]{2, 2}, ((Tensor) batch.get(0)).shape());
        assertArrayEquals(new long[]{0, 1}, ((Tensor) batch.get(1)).toLongArray());
        assertEquals(List.of("a", "b"), batch.get(2));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Collate.collate(List.of(List.of(Tensor.zeros(1)), List.of(Tensor.zeros(1), Tensor.zeros(1)))));
        assertTrue(e.getMessage().contains("equal size"), e.getMessage());
    }

    @Test void mapSamplesCollateKeyByKeyInTheFirstSamplesOrder() {
        Map<String, Object> batch = Collate.sameType(List.of(
                Map.<String, Object>of("x", Tensor.of(1f)),
                Map.<String, Object>of("x", Tensor.of(2f))));
        assertArrayEquals(new float[]{1, 2}, ((Tensor) batch.get("x")).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.collate(List.of(
                Map.of("x", Tensor.of(1f)), Map.of("y", Tensor.of(2f)))));
        assertTrue(e.getMessage().contains("sample 1 has no key 'x'"), e.getMessage());
    }

    @Test void recordSamplesCollateIntoTheSameRecordType() {
        Pair batch = Collate.sameType(List.of(new Pair(Tensor.of(1f, 2f), Tensor.of(0L)), new Pair(Tensor.of(3f, 4f), Tensor.of(1L))));
        assertArrayEquals(new int[]{2, 2}, batch.x().shape());
        assertArrayEquals(new int[]{2}, batch.y().shape(), "0-dim samples stack into [batch]");
        assertArrayEquals(new long[]{0, 1}, batch.y().toLongArray());
        Loose loose = Collate.sameType(List.of(new Loose(Tensor.of(1f), 4), new Loose(Tensor.of(2f), 5)));
        assertArrayEquals(new long[]{4, 5}, ((Tensor) loose.label()).toLongArray());
    }

    @Test void aRecordComponentThatCannotHoldItsBatchIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Collate.collate(List.of(new Labelled(Tensor.of(1f), 0), new Labelled(Tensor.of(2f), 1))));
        assertTrue(e.getMessage().contains("'label'") && e.getMessage().contains("int"), e.getMessage());
    }

    @Test void theDefaultKeepsTheSampleTypeAndPointsNumbersToToTensor() {
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.sameType(List.of(1, 2)));
        assertTrue(e.getMessage().contains("Collate::toTensor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collate.collate(List.of(Tensor.zeros(1), 3)));
        assertTrue(e.getMessage().contains("sample 1 is a Integer"), e.getMessage());
    }
}
