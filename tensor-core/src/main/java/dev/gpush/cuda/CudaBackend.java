package dev.gpush.cuda;

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
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The backend of one CUDA device. Elementwise ops, fills, copies and casts, reductions, cumsum and random fills run
 * as NVRTC kernels; floating point products run in cuBLAS. Host transfers are synchronous copies between a Java
 * array and device memory. The indexing primitives (gather, scatter, indexSelect, indexAdd, nonzero) run in
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

    @Override public Storage allocate(DType dtype, int length) {
        CudaStorage s = new CudaStorage(dev, dtype, length);
        Driver.use(dev.index());
        Driver.check(cuMemsetD8Async(s.address(), (byte) 0, (long) length * dtype.itemSize(), null), "cuMemsetD8Async");
        return s;
    }

    @Override public Storage fromArray(DType dtype, Object array) {
        int length = CpuBackend.INSTANCE.fromArray(dtype, array).length();   // checks the array's type
        CudaStorage s = new CudaStorage(dev, dtype, length);
        long bytes = (long) length * dtype.itemSize();
        if (bytes == 0) return s;
        Driver.use(dev.index());
        try (Pointer host = hostCopy(array)) {
            Driver.check(cuMemcpyHtoD(s.address(), host, bytes), "cuMemcpyHtoD");
        }
        return s;
    }

    private static Pointer hostCopy(Object array) {
        return switch (array) {
            case float[] a -> new FloatPointer(a);
            case double[] a -> new DoublePointer(a);
            case short[] a -> new ShortPointer(a);
            case long[] a -> new LongPointer(a);
            case int[] a -> new IntPointer(a);
            case byte[] a -> new BytePointer(a);
            default -> throw new IllegalArgumentException("no device copy of " + array.getClass().getSimpleName());
        };
    }

    @Override public Object toArray(Tensor src) {
        Tensor c = src;
        if (!src.isContiguous()) {
            c = contiguousLike(dev, src, src.dtype());
            CudaElementwise.copy(dev, c, src);
        }
        Object array = ((dev.gpush.cpu.CpuStorage) CpuBackend.INSTANCE.allocate(src.dtype(), src.numel())).data();
        long bytes = (long) src.numel() * src.dtype().itemSize();
        if (bytes > 0) {
            Driver.use(dev.index());
            try (Pointer host = hostCopy(array)) {
                Driver.check(cuMemcpyDtoH(host, CudaElementwise.address(c), bytes), "cuMemcpyDtoH");
                switch (array) {
                    case float[] a -> ((FloatPointer) host).get(a);
                    case double[] a -> ((DoublePointer) host).get(a);
                    case short[] a -> ((ShortPointer) host).get(a);
                    case long[] a -> ((LongPointer) host).get(a);
                    case int[] a -> ((IntPointer) host).get(a);
                    case byte[] a -> ((BytePointer) host).get(a);
                    default -> throw new IllegalStateException();
                }
            }
        }
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

    // no fused kernels yet: softmax, log_softmax and layer norm run their composites of the primitives above
    @Override public boolean softmax(Tensor out, Tensor a, boolean log) { return false; }
    @Override public boolean softmaxBackward(Tensor gradIn, Tensor g, Tensor y, boolean log) { return false; }
    @Override public boolean layerNorm(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor w, Tensor b, double eps) {
        return false;
    }
    @Override public boolean layerNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor g, Tensor x, Tensor mean,
                                               Tensor rstd, Tensor w) {
        return false;
    }

    static UnsupportedOperationException notYet(String op) {
        return new UnsupportedOperationException(op + " is not yet on CUDA (move the tensors to the CPU with .cpu() "
                + "for this op)");
    }
}
