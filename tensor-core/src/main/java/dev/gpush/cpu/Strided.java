package dev.gpush.cpu;

import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * A tensor as the CPU loops read it: its array, dtype, the shape of the iteration and its strides over it.
 * Elements are visited in row-major order of the iteration shape; {@link #offsets} turns a run of those
 * positions into storage offsets, and {@link #contiguous} marks the common case that needs none.
 */
final class Strided {
    final Object array;
    final dev.gpush.tensor.DType dtype;
    final int[] shape;
    final int[] strides;
    final int offset;
    final boolean contiguous;   // element i is at offset + i
    final boolean constant;     // every element is at offset (a broadcast scalar)

    Strided(Tensor t) {
        this(t, t.shapeRef(), t.strideRef(), t.storageOffset());
    }

    Strided(Tensor t, int[] shape, int[] strides, int offset) {
        this.array = ((CpuStorage) t.storage()).data();
        this.dtype = t.dtype();
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.contiguous = Shapes.isContiguous(shape, strides);
        boolean c = true;
        for (int i = 0; i < shape.length; i++) c &= shape[i] == 1 || strides[i] == 0;
        this.constant = c;
    }

    /** Storage offsets of the elements at positions [start, start + len) of the iteration. */
    void offsets(int start, int len, int[] offs) {
        int n = shape.length;
        if (n == 0) {
            java.util.Arrays.fill(offs, 0, len, offset);
            return;
        }
        int[] idx = new int[n];
        int rem = start, cur = offset;
        for (int d = n - 1; d >= 0; d--) {
            int s = shape[d];
            idx[d] = rem % s;
            rem /= s;
            cur += idx[d] * strides[d];
        }
        int last = n - 1, lastSize = shape[last], lastStride = strides[last];
        int i = 0;
        while (i < len) {
            // run along the last dim without carrying
            int run = Math.min(len - i, lastSize - idx[last]);
            for (int k = 0; k < run; k++) offs[i + k] = cur + k * lastStride;
            i += run;
            cur += run * lastStride;
            idx[last] += run;
            if (i >= len) break;
            int d = last;
            while (d > 0 && idx[d] == shape[d]) {
                cur -= idx[d] * strides[d];
                idx[d] = 0;
                d--;
                idx[d]++;
                cur += strides[d];
            }
        }
    }
}
