package dev.gpush.ops;

import dev.gpush.autograd.Autograd;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gpush.tensor.Tensor.arange;
import static dev.gpush.tensor.Tensor.randn;
import static org.junit.jupiter.api.Assertions.*;

class ViewsTest {
    private static Tensor m23() { return Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}}); }

    @Test void viewSharesStorageWithItsBase() {
        Tensor a = arange(6).to(DType.FLOAT32);
        Tensor v = a.view(2, 3);
        v.get(1).fill_(9);
        assertArrayEquals(new float[]{0, 1, 2, 9, 9, 9}, a.toFloatArray());
        assertSame(a.storage(), v.storage());
        assertTrue(v.isView());
    }

    @Test void viewInfersOneDimension() {
        assertArrayEquals(new int[]{3, 2}, arange(6).view(-1, 2).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> arange(6).view(-1, -1));
        assertTrue(e.getMessage().contains("only one dimension can be inferred"));
        e = assertThrows(IllegalArgumentException.class, () -> arange(6).view(4, -1));
        assertEquals("shape '[4, -1]' is invalid for input of size 6", e.getMessage());
    }

    @Test void viewOfTransposeFailsAndReshapeCopies() {
        Tensor t = m23().t();
        var e = assertThrows(IllegalArgumentException.class, () -> t.view(6));
        assertTrue(e.getMessage().contains("use reshape"));
        Tensor r = t.reshape(6);
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, r.toFloatArray());
        assertNotSame(t.storage(), r.storage());
    }

    @Test void reshapeOfContiguousIsAView() {
        Tensor a = m23();
        assertSame(a.storage(), a.reshape(3, 2).storage());
    }

    @Test void transposeAndPermuteSwapStrides() {
        Tensor a = randn(2, 3, 4);
        Tensor p = a.permute(2, 0, 1);
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertArrayEquals(new int[]{1, 12, 4}, p.stride());
        assertFalse(p.isContiguous());
        assertTrue(p.contiguous().isContiguous());
        assertEquals(a.select(1, 2).select(1, 3).toFloatArray()[1], p.select(0, 3).select(0, 1).select(0, 2).item(), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> a.permute(0, 0, 1));
        assertTrue(e.getMessage().contains("repeated dim"));
    }

    @Test void tRejectsMoreThanTwoDims() {
        var e = assertThrows(IllegalArgumentException.class, () -> randn(2, 2, 2).t());
        assertTrue(e.getMessage().contains("<= 2 dimensions"));
    }

    @Test void unsqueezeAndSqueezeRoundTrip() {
        Tensor a = randn(3, 4);
        assertArrayEquals(new int[]{3, 1, 4}, a.unsqueeze(1).shape());
        assertArrayEquals(new int[]{3, 4, 1}, a.unsqueeze(-1).shape());
        assertArrayEquals(new int[]{3, 4}, a.unsqueeze(0).squeeze().shape());
        assertArrayEquals(new int[]{3, 4}, a.squeeze(0).shape()); // not size 1: unchanged
    }

    @Test void narrowSelectAndSliceReadTheRightElements() {
        Tensor a = arange(12).view(3, 4);
        assertArrayEquals(new long[]{4, 5, 6, 7, 8, 9, 10, 11}, a.narrow(0, 1, 2).toLongArray());
        assertArrayEquals(new long[]{2, 6, 10}, a.select(1, 2).toLongArray());
        assertArrayEquals(new long[]{8, 9, 10, 11}, a.get(-1).toLongArray());
        assertArrayEquals(new long[]{1, 3, 5, 7, 9, 11}, a.slice(1, 1, 4, 2).toLongArray());
        assertArrayEquals(new long[]{0, 1, 2, 3, 4, 5, 6, 7}, a.slice(0, 0, -1).toLongArray());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> a.select(0, 3));
        assertEquals("index 3 is out of bounds for dimension 0 with size 3", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> a.narrow(1, 2, 3));
        assertTrue(e.getMessage().contains("exceeds dimension size (4)"));
    }

    @Test void expandBroadcastsWithoutCopying() {
        Tensor a = Tensor.of(1f, 2f, 3f).view(3, 1);
        Tensor e = a.expand(3, 4);
        assertArrayEquals(new int[]{1, 0}, e.stride());
        assertArrayEquals(new float[]{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, e.toFloatArray());
        assertArrayEquals(new int[]{2, 3, 4}, a.expand(2, -1, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> a.expand(2, 4));
    }

    @Test void chunkAndSplitCoverTheDimension() {
        Tensor a = arange(10);
        List<Tensor> c = a.chunk(3, 0);
        assertEquals(3, c.size());
        assertArrayEquals(new long[]{8, 9}, c.get(2).toLongArray());
        List<Tensor> s = a.split(4, 0);
        assertEquals(List.of(4, 4, 2), s.stream().map(t -> t.size(0)).toList());
        List<Tensor> s2 = a.split(new int[]{1, 9}, 0);
        assertArrayEquals(new long[]{0}, s2.get(0).toLongArray());
        assertSame(a.storage(), s2.get(1).storage());
        assertThrows(IllegalArgumentException.class, () -> a.split(new int[]{1, 2}, 0));
    }

    @Test void catAndStackCopyAndCheckShapes() {
        Tensor a = m23(), b = Tensor.of(new float[][]{{7, 8, 9}});
        Tensor c = Tensor.cat(0, a, b);
        assertArrayEquals(new int[]{3, 3}, c.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, c.toFloatArray());
        Tensor s = Tensor.stack(0, a, a);
        assertArrayEquals(new int[]{2, 2, 3}, s.shape());
        assertArrayEquals(new int[]{2, 3, 2}, Tensor.stack(-1, a, a).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(1, a, b));
        assertTrue(e.getMessage().contains("sizes of tensors must match except in dimension 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, a, b));
        assertTrue(e.getMessage().contains("stack expects each tensor to be equal size"));
    }

    @Test void catPromotesDtypes() {
        Tensor c = Tensor.cat(0, Tensor.of(1L, 2L), Tensor.of(new float[]{0.5f}));
        assertEquals(DType.FLOAT32, c.dtype());
        assertArrayEquals(new float[]{1, 2, 0.5f}, c.toFloatArray());
    }

    @Test void repeatAndFlip() {
        Tensor a = Tensor.of(1L, 2L);
        assertArrayEquals(new long[]{1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2}, a.repeat(2, 3).toLongArray());
        assertArrayEquals(new int[]{2, 6}, a.repeat(2, 3).shape());
        assertArrayEquals(new long[]{5, 4, 3, 2, 1, 0}, arange(6).view(2, 3).flip(0, 1).toLongArray());
    }

    @Test void toConvertsDtypesWithRoundingAndTruncation() {
        Tensor a = Tensor.of(1.7f, -1.7f, 0f);
        assertArrayEquals(new long[]{1, -1, 0}, a.to(DType.INT64).toLongArray());
        assertArrayEquals(new boolean[]{true, true, false}, a.bool().toBooleanArray());
        assertEquals(0.333984375, Tensor.of(1 / 3.0).to(DType.BFLOAT16).item(), 0);
        assertEquals(0.333251953125, Tensor.of(1 / 3.0).to(DType.FLOAT16).item(), 0);
        assertSame(a, a.to(DType.FLOAT32));
    }

    @Test void cudaDeviceGivesAClearError() {
        var e = assertThrows(UnsupportedOperationException.class, () -> randn(2).cuda());
        assertTrue(e.getMessage().contains("CUDA is not available"), e.getMessage());
    }

    @Test void viewGradientsFlowBackThroughEveryViewOp() {
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).view(3, 2).t().reshape(6).mul(arange(6).double_()).sum(),
                randn(2, 3).requiresGrad(true)));
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).permute(1, 0, 2).narrow(0, 1, 2).select(2, 1).unsqueeze(0).squeeze(0)
                .pow(2).sum(), randn(2, 3, 2).requiresGrad(true)));
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).slice(1, 0, 4, 2).expand(3, 3, 2).exp().sum(),
                randn(3, 4).unsqueeze(0).squeeze(0).view(1, 3, 4).squeeze(0).requiresGrad(true)));
    }

    @Test void catStackSplitRepeatFlipGradients() {
        assertTrue(Autograd.gradcheck(xs -> Tensor.cat(1, xs.get(0), xs.get(1)).pow(2).sum(),
                randn(2, 2).requiresGrad(true), randn(2, 3).requiresGrad(true)));
        assertTrue(Autograd.gradcheck(xs -> Tensor.stack(0, xs.get(0), xs.get(1)).mul(Tensor.of(1.0, 2.0, 3.0)).sum(),
                randn(3).requiresGrad(true), randn(3).requiresGrad(true)));
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).split(2, 0).get(1).exp().sum(), randn(5).requiresGrad(true)));
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).repeat(2, 2).mul(arange(16).double_().view(4, 4)).sum(),
                randn(2, 2).requiresGrad(true)));
        assertTrue(Autograd.gradcheck(xs -> xs.get(0).flip(0).mul(arange(4).double_()).sum(), randn(4).requiresGrad(true)));
    }
}
