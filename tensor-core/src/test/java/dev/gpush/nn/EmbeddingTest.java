package dev.gpush.nn;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** nn.Embedding and F.embedding: rows by index for any index shape, init, the padding row, gradients, errors. */
class EmbeddingTest {
    private static final Tensor TABLE = Tensor.of(new double[][]{{0, 1}, {10, 11}, {20, 21}, {30, 31}});

    @Test void picksRowsForIndicesOfAnyShape() {
        Tensor idx = Tensor.of(new long[][]{{3, 0, 1}, {1, 1, 2}});
        Tensor y = F.embedding(idx, TABLE);
        assertArrayEquals(new int[]{2, 3, 2}, y.shape());
        assertArrayEquals(new double[]{30, 31, 0, 1, 10, 11, 10, 11, 10, 11, 20, 21}, y.toDoubleArray());
        assertArrayEquals(new double[]{20, 21}, F.embedding(Tensor.scalar(2L), TABLE).toDoubleArray());
        assertArrayEquals(new int[]{2}, F.embedding(Tensor.scalar(2L), TABLE).shape());
        assertArrayEquals(new double[]{30, 31, 0, 1}, F.embedding(Tensor.of(3, 0), TABLE).toDoubleArray(), "int32");
        assertArrayEquals(new int[]{0, 2}, F.embedding(Tensor.zeros(DType.INT64, 0), TABLE).shape());
    }

    @Test void weightStartsStandardNormal() {
        Tensor.manualSeed(0);
        Embedding e = new Embedding(1000, 16);
        assertArrayEquals(new int[]{1000, 16}, e.weight.shape());
        assertEquals(List.of("weight"), List.copyOf(e.namedParameters().keySet()));
        assertEquals(0, e.weight.mean().item(), 0.03);
        assertEquals(1, e.weight.std().item(), 0.03);
    }

    @Test void thePaddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding e = new Embedding(5, 3, 1);
        assertArrayEquals(new float[]{0, 0, 0}, e.weight.get(1).toFloatArray());
        Tensor idx = Tensor.of(new long[]{1, 2, 1, 4, 2});
        Tensor y = e.forward(idx);
        assertArrayEquals(new float[]{0, 0, 0}, y.get(0).toFloatArray());
        y.sum().backward();
        // each row's gradient counts its uses, except the padding row's
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1}, e.weight.grad().toFloatArray());
    }

    @Test void aChangedPaddingRowIsReadButStillGetsNoGradient() {
        Tensor w = TABLE.clone().requiresGrad(true);
        Tensor y = F.embedding(Tensor.of(new long[]{0, 2}), w, 2);
        assertArrayEquals(new double[]{0, 1, 20, 21}, y.toDoubleArray());
        y.mul(Tensor.of(new double[][]{{1, 2}, {3, 4}})).sum().backward();
        assertArrayEquals(new double[]{1, 2, 0, 0, 0, 0, 0, 0}, w.grad().toDoubleArray());
    }

    @Test void negativePaddingIdxCountsFromTheEnd() {
        Embedding e = new Embedding(10, 3, -1);
        assertEquals(9, e.paddingIdx);
        assertEquals("Embedding(10, 3, padding_idx=9)", e.toString());
        assertEquals("Embedding(10, 3)", new Embedding(10, 3).toString());
        var err = assertThrows(IllegalArgumentException.class, () -> new Embedding(10, 3, 10));
        assertTrue(err.getMessage().contains("10"), err.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(10, 3, -11));
    }

    @Test void gradientsMatchFiniteDifferences() {
        Tensor w = Tensor.randn(new Generator(1), 4, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor idx = Tensor.of(new long[][]{{0, 3}, {3, 2}});
        assertTrue(Autograd.gradcheck(xs -> F.embedding(idx, xs.get(0)), w));
        // with a padding index the other rows' gradients are unchanged (the padding row's is 0 by design, tested above)
        assertTrue(Autograd.gradcheck(xs -> F.embedding(idx, xs.get(0), 1), w));
    }

    @Test void badIndicesAreRefused() {
        var dtype = assertThrows(IllegalArgumentException.class, () -> F.embedding(Tensor.of(true), TABLE));
        assertTrue(dtype.getMessage().contains("bool"), dtype.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> F.embedding(Tensor.of(4L), TABLE));
        assertThrows(IndexOutOfBoundsException.class, () -> F.embedding(Tensor.of(-1L), TABLE));
    }

    @Test void fromPretrainedSharesTheTableAndFreezesIt() {
        Tensor table = TABLE.clone();
        Embedding frozen = Embedding.fromPretrained(table);
        assertFalse(frozen.weight.requiresGrad());
        assertArrayEquals(new double[]{10, 11}, frozen.forward(Tensor.of(1L)).toDoubleArray());
        table.get(1).fill_(7);
        assertArrayEquals(new double[]{7, 7}, frozen.forward(Tensor.of(1L)).toDoubleArray(), "shares memory");
        Embedding trainable = Embedding.fromPretrained(TABLE.clone(), false, 0);
        assertTrue(trainable.weight.requiresGrad());
        assertEquals(0, trainable.paddingIdx);
        assertArrayEquals(new double[]{0, 1}, trainable.forward(Tensor.of(0L)).toDoubleArray(), "not zeroed");
    }
}
