package dev.gpush.cuda;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.RandomOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * Elementwise primitives and random fills on a CUDA device, through elementwise.cu and random.cu.
 *
 * <p>Note [compute types]: the CPU computes every floating op in double (Note [compute in double]); a GPU computes
 * in float32 where that gives the same answer to rounding, and in double where float32 would lose digits. A
 * kernel's suffix names its compute type: {@code _i64} when no operand is floating (exact integer math, as the
 * CPU's long buffers); {@code _f64} when float64, int64 or int32 takes part in floating math; {@code _f32}
 * otherwise (float32, float16, bfloat16 and bool). Which operands count is the CPU's rule: comparisons by their
 * inputs, everything else by inputs and output.
 *
 * <p>Operands that are all contiguous and of one dtype take the vectorised kernels of {@link CudaContiguous}
 * (Note [contiguous kernels]) instead of the strided ones; the results are the same.
 */
final class CudaElementwise {
    private CudaElementwise() {}

    static long address(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s))
            throw new IllegalArgumentException("expected a tensor on a CUDA device, got one on " + t.device());
        return s.address() + (long) t.storageOffset() * t.dtype().itemSize();
    }

    static String computeType(boolean floating, Tensor... ts) {
        if (!floating) return "i64";
        for (Tensor t : ts) {
            DType d = t.dtype();
            if (d == DType.FLOAT64 || d == DType.INT64 || d == DType.INT32) return "f64";
        }
        return "f32";
    }

    static boolean floating(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype().isFloatingPoint()) return true;
        return false;
    }

    private static long[] operand(Layout l, int i, Tensor t) { return l.operandStruct(i, address(t), t.dtype().ordinal()); }

    static void unary(CudaDevice dev, UnaryOp op, Tensor out, Tensor a) {
        Layout l = Layout.of(out.shapeRef(), out.strideRef(), a.strideRef());
        if (CudaContiguous.unary(dev, op, l, out, a)) return;
        dev.kernels().launchOver("unary_" + computeType(floating(out, a), out, a), l.numel(), op.ordinal(),
                l.shapeStruct("unary " + op), operand(l, 0, out), operand(l, 1, a));
    }

    static void binary(CudaDevice dev, BinaryOp op, Tensor out, Tensor a, Tensor b) {
        Layout l = Layout.of(out.shapeRef(), out.strideRef(), a.strideRef(), b.strideRef());
        if (CudaContiguous.binary(dev, op, l, out, a, b)) return;
        String type = op.returnsBool() ? computeType(floating(a, b), a, b) : computeType(floating(out, a, b), out, a, b);
        dev.kernels().launchOver("binary_" + type, l.numel(), op.ordinal(), l.shapeStruct("binary " + op),
                operand(l, 0, out), operand(l, 1, a), operand(l, 2, b));
    }

    static void where(CudaDevice dev, Tensor out, Tensor cond, Tensor a, Tensor b) {
        Layout l = Layout.of(out.shapeRef(), out.strideRef(), cond.strideRef(), a.strideRef(), b.strideRef());
        dev.kernels().launchOver("where_" + computeType(floating(out, a, b), out, a, b), l.numel(), l.shapeStruct("where"),
                operand(l, 0, out), operand(l, 1, cond), operand(l, 2, a), operand(l, 3, b));
    }

    static void copy(CudaDevice dev, Tensor out, Tensor src) {
        if (out.storage() == src.storage() && (out.storageOffset() != src.storageOffset()
                || !java.util.Arrays.equals(out.strideRef(), src.strideRef()))) {
            // src reads out's memory in another layout (x.copy_(x.t())): read all of it before writing any
            Tensor tmp = CudaBackend.contiguousLike(dev, src, src.dtype());
            copy(dev, tmp, src);
            copy(dev, out, tmp);
            tmp.close();
            return;
        }
        Layout l = Layout.of(out.shapeRef(), out.strideRef(), src.strideRef());
        if (CudaContiguous.copy(dev, l, out, src)) return;
        dev.kernels().launchOver("copy_" + computeType(floating(out, src), out, src), l.numel(), l.shapeStruct("copy"),
                operand(l, 0, out), operand(l, 1, src));
    }

    /** Integer dtypes take the value's {@code longValue()} exactly, floating ones its double (Backend's rule). */
    static void fill(CudaDevice dev, Tensor out, Number value) {
        Layout l = Layout.of(out.shapeRef(), out.strideRef());
        if (CudaContiguous.fill(dev, l, out, value)) return;
        if (out.dtype().isFloatingPoint())
            dev.kernels().launchOver("fill_f64", l.numel(), l.shapeStruct("fill"), operand(l, 0, out), value.doubleValue());
        else
            dev.kernels().launchOver("fill_i64", l.numel(), l.shapeStruct("fill"), operand(l, 0, out), value.longValue());
    }

    /** Element {@code i} of contiguous {@code out} from Philox stream (seed, offset + i), as CpuRandom draws it. */
    static void random(CudaDevice dev, RandomOp op, Tensor out, double a, double b, long seed, long offset) {
        if (!out.isContiguous()) throw new IllegalArgumentException("random fills write contiguous tensors");
        long[] o = Layout.operand(address(out), out.dtype().ordinal(), new int[0]);
        int single = out.dtype() != DType.FLOAT64 ? 1 : 0;
        dev.kernels().launchOver("random_fill", out.numel(), op.ordinal(), single, o, (long) out.numel(), a, b, seed, offset);
    }
}
