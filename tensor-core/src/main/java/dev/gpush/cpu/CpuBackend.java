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

    @Override public Storage allocate(DType dtype, int length) { return new CpuStorage(dtype, length); }

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
            c = new Tensor(allocate(src.dtype(), src.numel()), src.shape(), Shapes.contiguousStrides(src.shapeRef()), 0, false);
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
    // no fused window or batch-norm kernels on the CPU: conv2d, pooling and batch norm run their composites
    @Override public boolean conv2d(Tensor y, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                                    int groups) {
        return false;
    }
    @Override public boolean conv2dBackward(Tensor gx, Tensor gw, Tensor gy, Tensor x, Tensor w, int[] stride,
                                            int[] padding, int[] dilation, int groups) {
        return false;
    }
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
