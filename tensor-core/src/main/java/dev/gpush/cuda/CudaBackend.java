package dev.gpush.cuda;

import dev.gpush.backend.AdamStep;
import dev.gpush.backend.Backend;
import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.RandomOp;
import dev.gpush.backend.ReduceOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.cpu.CpuBackend;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Storage;
import dev.gpush.tensor.Tensor;

/**
 * The backend of one CUDA device. Elementwise ops, fills, copies and casts, reductions, cumsum and random fills run
 * as NVRTC kernels; floating point products run in cuBLAS. Everything is queued on the calling thread's current
 * stream (Note [current stream] in CudaStream); host transfers go through pinned staging buffers (Note [pinned
 * staging] in PinnedStaging). The indexing primitives (gather, scatter, indexSelect, indexAdd, nonzero) run in
 * indexing.cu (CudaIndexing), unfold2d and its fold in windows.cu (CudaWindows).
 */
public final class CudaBackend implements Backend {
    private final CudaDevice dev;

    private CudaBackend(CudaDevice dev) { this.dev = dev; }

    private static final CudaBackend[] BACKENDS = new CudaBackend[64];

    /** The backend of CUDA device {@code index}; throws with the reason when CUDA or the device is not there. */
    public static synchronized CudaBackend of(int index) {
        CudaBackend b = BACKENDS[index];
        if (b == null) BACKENDS[index] = b = new CudaBackend(CudaDevice.get(index));
        return b;
    }

    static Tensor contiguousLike(CudaDevice dev, Tensor t, DType dtype) {
        return new Tensor(new CudaStorage(dev, dtype, t.numel()), t.shape(), Shapes.contiguousStrides(t.shapeRef()), 0, false);
    }

    /** A memset on the current stream when {@code zeroed}; otherwise the memory as the caching allocator hands it out. */
    @Override public Storage allocate(DType dtype, int length, boolean zeroed) {
        CudaStorage s = new CudaStorage(dev, dtype, length);
        if (zeroed) Driver.zero(dev.index(), s.address(), (long) length * dtype.itemSize());
        return s;
    }

    @Override public Storage fromArray(DType dtype, Object array) {
        int length = CpuBackend.INSTANCE.fromArray(dtype, array).length();   // checks the array's type
        CudaStorage s = new CudaStorage(dev, dtype, length);
        if (length > 0) dev.staging().toDevice(s.address(), array, length);
        return s;
    }

    @Override public Object toArray(Tensor src) {
        Tensor c = src;
        if (!src.isContiguous()) {
            c = contiguousLike(dev, src, src.dtype());
            CudaElementwise.copy(dev, c, src);
        }
        Object array = ((dev.gpush.cpu.CpuStorage) CpuBackend.INSTANCE.allocate(src.dtype(), src.numel(), false)).data();
        if (src.numel() > 0) dev.staging().toHost(array, CudaElementwise.address(c), src.numel());
        if (c != src) c.close();
        return array;
    }

    @Override public void fill(Tensor out, Number value) { CudaElementwise.fill(dev, out, value); }
    @Override public void copy(Tensor out, Tensor src) { CudaElementwise.copy(dev, out, src); }
    @Override public void unary(UnaryOp op, Tensor out, Tensor a) { CudaElementwise.unary(dev, op, out, a); }
    @Override public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) { CudaElementwise.binary(dev, op, out, a, b); }
    @Override public void where(Tensor out, Tensor cond, Tensor a, Tensor b) { CudaElementwise.where(dev, out, cond, a, b); }
    @Override public void reduce(ReduceOp op, Tensor out, Tensor a, int[] dims) { CudaReduce.reduce(dev, op, out, a, dims); }
    @Override public void cumsum(Tensor out, Tensor a, int dim) { CudaReduce.cumsum(dev, out, a, dim); }
    @Override public void matmul(Tensor out, Tensor a, Tensor b) { CudaMatmul.matmul(dev, out, a, b); }

    @Override public void random(RandomOp op, Tensor out, double a, double b, long seed, long offset) {
        CudaElementwise.random(dev, op, out, a, b, seed, offset);
    }

    @Override public void gather(Tensor out, Tensor a, int dim, Tensor index) { CudaIndexing.gather(dev, out, a, dim, index); }

    @Override public void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean add) {
        CudaIndexing.scatter(dev, out, dim, index, src, add);
    }

    @Override public void indexSelect(Tensor out, Tensor a, int dim, Tensor index) { CudaIndexing.indexSelect(dev, out, a, dim, index); }
    @Override public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) { CudaIndexing.indexAdd(dev, out, dim, index, src); }
    @Override public Tensor nonzero(Tensor a) { return CudaIndexing.nonzero(dev, a); }

    @Override public void unfold2d(Tensor cols, Tensor img, int[] stride, int[] padding, int[] dilation, boolean fold) {
        CudaWindows.unfold2d(dev, cols, img, stride, padding, dilation, fold);
    }

    // cuDNN (CudnnConv, CudnnPool, CudnnBatchNorm); each returns false without cuDNN, and the op runs its composite
    @Override public boolean conv2d(Tensor y, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation,
                                    int groups) {
        return CudnnConv.forward(dev, y, x, w, b, stride, padding, dilation, groups);
    }
    @Override public boolean conv2dBackward(Tensor gx, Tensor gw, Tensor gy, Tensor x, Tensor w, int[] stride,
                                            int[] padding, int[] dilation, int groups) {
        return CudnnConv.backward(dev, gx, gw, gy, x, w, stride, padding, dilation, groups);
    }
    @Override public boolean pool2d(Tensor y, Tensor x, boolean max, int[] kernel, int[] stride, int[] padding,
                                    boolean countIncludePad) {
        return CudnnPool.forward(dev, y, x, max, kernel, stride, padding, countIncludePad);
    }
    @Override public boolean pool2dBackward(Tensor gx, Tensor gy, Tensor y, Tensor x, boolean max, int[] kernel,
                                            int[] stride, int[] padding, boolean countIncludePad) {
        return CudnnPool.backward(dev, gx, gy, y, x, max, kernel, stride, padding, countIncludePad);
    }
    @Override public boolean batchNorm(Tensor y, Tensor saveMean, Tensor saveInvstd, Tensor x, Tensor w, Tensor b,
                                       Tensor runningMean, Tensor runningVar, boolean training, double momentum,
                                       double eps) {
        return CudnnBatchNorm.forward(dev, y, saveMean, saveInvstd, x, w, b, runningMean, runningVar, training,
                momentum, eps);
    }
    @Override public boolean batchNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor gy, Tensor x, Tensor w,
                                               Tensor saveMean, Tensor saveInvstd, double eps) {
        return CudnnBatchNorm.backward(dev, gx, gw, gb, gy, x, w, saveMean, saveInvstd, eps);
    }

    // fused row kernels in norms.cu (CudaNorms) and the fused Adam step in optim.cu (CudaAdam)
    @Override public boolean softmax(Tensor out, Tensor a, boolean log) { return CudaNorms.softmax(dev, out, a, log); }
    @Override public boolean softmaxBackward(Tensor gradIn, Tensor g, Tensor y, boolean log) {
        return CudaNorms.softmaxBackward(dev, gradIn, g, y, log);
    }
    @Override public boolean layerNorm(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor w, Tensor b, double eps) {
        return CudaNorms.layerNorm(dev, y, mean, rstd, x, w, b, eps);
    }
    @Override public boolean layerNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor g, Tensor x, Tensor mean,
                                               Tensor rstd, Tensor w) {
        return CudaNorms.layerNormBackward(dev, gx, gw, gb, g, x, mean, rstd, w);
    }
    @Override public boolean adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                                      AdamStep s) {
        return CudaAdam.step(dev, param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
    }

    static UnsupportedOperationException notYet(String op) {
        return new UnsupportedOperationException(op + " is not yet on CUDA (move the tensors to the CPU with .cpu() "
                + "for this op)");
    }
}
