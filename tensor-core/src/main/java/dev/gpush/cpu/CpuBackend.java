package dev.gpush.cpu;

import dev.gpush.backend.AdamStep;
import dev.gpush.backend.Backend;
import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.RandomOp;
import dev.gpush.backend.ReduceOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Storage;
import dev.gpush.tensor.Tensor;

/** The CPU backend: the reference every other device is checked against. Each primitive lives in its own class. */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    /**
     * Note [poisoned empty]: a Java array is always zeroed, so on the CPU an op that reads its uninitialised output
     * (Note [uninitialised outputs] in {@code ops.Creation}) gives the right answer, and would give garbage only on
     * a GPU. With the system property {@code gpush.poisonEmpty=true} (read once, off by default) uninitialised
     * storage is filled with NaN (floating dtypes) or 0x7f bytes (integers, bool) instead, so such a read shows in
     * the CPU's results: run the tests with {@code -Dgpush.poisonEmpty=true}. Zeroed storage never changes.
     */
    private static volatile boolean poisonEmpty = Boolean.getBoolean("gpush.poisonEmpty");

    /** Turns Note [poisoned empty] on or off and returns the previous setting (for tests). */
    static boolean poisonEmpty(boolean on) {
        boolean was = poisonEmpty;
        poisonEmpty = on;
        return was;
    }

    @Override public Storage allocate(DType dtype, int length, boolean zeroed) {
        CpuStorage s = new CpuStorage(dtype, length);
        if (!zeroed && poisonEmpty) poison(s.data());
        return s;
    }

    private static void poison(Object data) {
        switch (data) {
            case float[] a -> java.util.Arrays.fill(a, Float.NaN);
            case double[] a -> java.util.Arrays.fill(a, Double.NaN);
            case short[] a -> java.util.Arrays.fill(a, (short) 0x7f7f);     // NaN in float16, 3.4e38 in bfloat16
            case long[] a -> java.util.Arrays.fill(a, 0x7f7f7f7f7f7f7f7fL);
            case int[] a -> java.util.Arrays.fill(a, 0x7f7f7f7f);
            case byte[] a -> java.util.Arrays.fill(a, (byte) 0x7f);
            default -> throw new IllegalStateException("no poison for " + data.getClass().getSimpleName());
        }
    }

    @Override public Storage fromArray(DType dtype, Object array) {
        int len = java.lang.reflect.Array.getLength(array);
        Class<?> expected = new CpuStorage(dtype, 0).data().getClass();
        if (array.getClass() != expected)
            throw new IllegalArgumentException("a " + dtype + " storage holds " + expected.getSimpleName() + ", not "
                    + array.getClass().getSimpleName());
        return new CpuStorage(dtype, array, len);
    }

    @Override public Object toArray(Tensor src) {
        Tensor c = src;
        if (!src.isContiguous() || src.storageOffset() != 0 || src.numel() != src.storage().length()) {
            c = new Tensor(allocate(src.dtype(), src.numel(), false), src.shape(), Shapes.contiguousStrides(src.shapeRef()), 0, false);
            Elementwise.copy(c, src);
            return ((CpuStorage) c.storage()).data();
        }
        Object data = ((CpuStorage) c.storage()).data();
        int n = java.lang.reflect.Array.getLength(data);
        Object copy = java.lang.reflect.Array.newInstance(data.getClass().getComponentType(), n);
        System.arraycopy(data, 0, copy, 0, n);
        return copy;
    }

    @Override public void fill(Tensor out, Number value) { Elementwise.fill(out, value); }
    @Override public void copy(Tensor out, Tensor src) { Elementwise.copy(out, src); }
    @Override public void unary(UnaryOp op, Tensor out, Tensor a) { Elementwise.unary(op, out, a); }
    @Override public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) { Elementwise.binary(op, out, a, b); }
    @Override public void where(Tensor out, Tensor cond, Tensor a, Tensor b) { Elementwise.where(out, cond, a, b); }
    @Override public void reduce(ReduceOp op, Tensor out, Tensor a, int[] dims) { Reduce.reduce(op, out, a, dims); }
    @Override public void cumsum(Tensor out, Tensor a, int dim) { Reduce.cumsum(out, a, dim); }
    @Override public void matmul(Tensor out, Tensor a, Tensor b) { Gemm.matmul(out, a, b); }
    @Override public void gather(Tensor out, Tensor a, int dim, Tensor index) { CpuIndexing.gather(out, a, dim, index); }
    @Override public void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean add) {
        CpuIndexing.scatter(out, dim, index, src, add);
    }
    @Override public void indexSelect(Tensor out, Tensor a, int dim, Tensor index) { CpuIndexing.indexSelect(out, a, dim, index); }
    @Override public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) { CpuIndexing.indexAdd(out, dim, index, src); }
    @Override public Tensor nonzero(Tensor a) { return CpuIndexing.nonzero(a); }
    @Override public void unfold2d(Tensor cols, Tensor img, int[] stride, int[] padding, int[] dilation, boolean fold) {
        CpuWindows.unfold2d(cols, img, stride, padding, dilation, fold);
    }
    @Override public boolean conv2d(Tensor y, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                                    int groups) {
        return CpuConv.forward(y, x, w, b, stride, padding, dilation, groups);
    }
    @Override public boolean conv2dBackward(Tensor gx, Tensor gw, Tensor gy, Tensor x, Tensor w, int[] stride,
                                            int[] padding, int[] dilation, int groups) {
        return CpuConv.backward(gx, gw, gy, x, w, stride, padding, dilation, groups);
    }
    // no fused pooling or batch-norm kernels on the CPU: those run their composites
    @Override public boolean pool2d(Tensor y, Tensor x, boolean max, int[] kernel, int[] stride, int[] padding,
                                    boolean countIncludePad) {
        return false;
    }
    @Override public boolean pool2dBackward(Tensor gx, Tensor gy, Tensor y, Tensor x, boolean max, int[] kernel,
                                            int[] stride, int[] padding, boolean countIncludePad) {
        return false;
    }
    @Override public boolean batchNorm(Tensor y, Tensor saveMean, Tensor saveInvstd, Tensor x, Tensor w, Tensor b,
                                       Tensor runningMean, Tensor runningVar, boolean training, double momentum,
                                       double eps) {
        return false;
    }
    @Override public boolean batchNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor gy, Tensor x, Tensor w,
                                               Tensor saveMean, Tensor saveInvstd, double eps) {
        return false;
    }
    @Override public boolean softmax(Tensor out, Tensor a, boolean log) { return CpuNorms.softmax(out, a, log); }
    @Override public boolean softmaxBackward(Tensor gradIn, Tensor g, Tensor y, boolean log) {
        return CpuNorms.softmaxBackward(gradIn, g, y, log);
    }
    @Override public boolean layerNorm(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor w, Tensor b, double eps) {
        return CpuNorms.layerNorm(y, mean, rstd, x, w, b, eps);
    }
    @Override public boolean layerNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor g, Tensor x, Tensor mean,
                                               Tensor rstd, Tensor w) {
        return CpuNorms.layerNormBackward(gx, gw, gb, g, x, mean, rstd, w);
    }
    @Override public boolean adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                                      AdamStep s) {
        return CpuAdam.step(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
    }
    @Override public void random(RandomOp op, Tensor out, double a, double b, long seed, long offset) {
        CpuRandom.fill(op, out, a, b, seed, offset);
    }
}
