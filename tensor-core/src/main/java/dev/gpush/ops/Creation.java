package dev.gpush.ops;

import dev.gpush.backend.Backend;
import dev.gpush.backend.Backends;
import dev.gpush.backend.RandomOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Tensors from nothing: filled, ranged, random, and from Java arrays. */
public final class Creation {
    private Creation() {}

    public static Backend backend(Tensor t) {
        checkInterrupt();
        return Backends.of(t.device());
    }

    /** Every op passes here first, so a loop of ops stops within one op of an interrupt. */
    static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            throw new dev.gpush.tensor.InterruptedOpException("a tensor op");
        }
    }

    /*
     * Note [uninitialised outputs]: empty() is torch.empty: its elements are whatever the memory held (on a GPU
     * the bytes of the block's last tensor; on the CPU zeros, or NaN under Note [poisoned empty] in CpuBackend).
     * Skipping the zero fill saves a memset launch and a full write per op on CUDA: an add moves 12 bytes an
     * element, not 16. The rule: an op takes empty() for its output only when its backend call writes every
     * element before anything reads one; an output that is accumulated into (+=), written in part, or read first
     * takes zeros(). Audit of the callers (every backend kernel, CPU and CUDA, read for it):
     *   - empty(), each writing every element: elementwise ops, where, casts and copies (clone, contiguous, to,
     *     flip, cat, sliceScatter's copy of base, matmul's copy of a broadcast operand), reductions (an empty
     *     reduction stores its identity), cumsum, gather and indexSelect, unfold (0 where a window leaves the
     *     image), matmul (GEMM with beta 0; K = 0 fills 0), the fused softmax, layer norm, conv, pooling and batch
     *     norm outputs, statistics and gradients (cuDNN with beta 0; the CPU conv zeroes gx itself), random fills,
     *     full() of a nonzero value, the dropout mask, nn parameters (their init fills them), the allGather buffers.
     *   - zeros(): torch.zeros and full(0) (so zerosLike and oneHot's target), the targets of indexAdd, scatterAdd
     *     and fold (the gradients of indexSelect, gather, unfold, max pooling), slice's gradient, optimizer state,
     *     gradient buckets.
     * Scratch that a backend makes itself (CudaStorage without a memset) follows the same rule.
     */

    /** Uninitialised storage (Note [uninitialised outputs]): write every element before reading one. */
    public static Tensor empty(int[] shape, DType dtype, Device device) { return allocate(shape, dtype, device, false); }

    /** Zero-filled storage (false for bool). */
    public static Tensor zeros(int[] shape, DType dtype, Device device) { return allocate(shape, dtype, device, true); }

    private static Tensor allocate(int[] shape, DType dtype, Device device, boolean zeroed) {
        for (int s : shape)
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + Shapes.str(shape));
        checkInterrupt();
        Backend b = Backends.of(device);
        return new Tensor(b.allocate(dtype, Shapes.numel(shape), zeroed), shape.clone(), Shapes.contiguousStrides(shape),
                0, false);
    }

    /** Every element {@code value}; a zero (not -0.0) takes zero-filled storage and no fill. */
    public static Tensor full(int[] shape, Number value, DType dtype, Device device) {
        double v = value.doubleValue();
        if (Double.doubleToRawLongBits(v) == 0 && value.longValue() == 0) return zeros(shape, dtype, device);
        Tensor t = empty(shape, dtype, device);
        Backends.of(device).fill(t, value);
        return t;
    }

    public static Tensor scalar(Number value, DType dtype, Device device) {
        return full(new int[0], value, dtype, device);
    }

    /** The dtype PyTorch gives a Java number: int64 for integral types, the default float type otherwise. */
    public static DType dtypeOf(Number n) {
        return n instanceof Double || n instanceof Float ? DType.DEFAULT : DType.INT64;
    }

    /** A Java number as an operand of a tensor op: a 0-dim "wrapped number" that never widens the tensor's type. */
    public static Tensor operand(Number n) {
        boolean floating = n instanceof Double || n instanceof Float || n instanceof java.math.BigDecimal;
        Tensor t = scalar(n, floating ? DType.FLOAT64 : DType.INT64, Device.CPU);
        return Tensor.wrapNumber(t);
    }

    public static Tensor fullLikeIndex(Tensor self, Tensor index, Number value) {
        return full(index.shapeRef(), value, self.dtype(), self.device());
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if ((end - start) / step < 0)
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign");
        int n = (int) Math.ceil((end - start) / step);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(v).to(dtype);
    }

    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative");
        double[] v = new double[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // fill from both ends, as PyTorch does, so the last value is exactly `end`
        for (int i = 0; i < steps; i++) v[i] = i < steps / 2 || steps == 1 ? start + i * step : end - (steps - 1 - i) * step;
        return of(v).to(DType.DEFAULT);
    }

    public static Tensor eye(int n, int m) {
        Tensor t = full(new int[]{n, m}, 0, DType.DEFAULT, Device.CPU);
        int k = Math.min(n, m);
        Tensor diag = Tensor.borrow(t, new int[]{k}, new int[]{m + 1}, 0);
        backend(t).fill(diag, 1);
        return t;
    }

    public static Tensor random(int[] shape, DType dtype, Device device, Generator g, RandomOp op, double a, double b) {
        Tensor t = empty(shape, dtype, device);
        fillRandom(t, g, op, a, b);
        return t;
    }

    /** Fills a contiguous tensor from the generator's stream. */
    public static void fillRandom(Tensor t, Generator g, RandomOp op, double a, double b) {
        long[] so = (g == null ? Generator.defaultGenerator() : g).reserve(t.numel());
        backend(t).random(op, t, a, b, so[0], so[1]);
    }

    public static Tensor rand(int[] shape, DType dtype, Device device, Generator g) {
        requireFloating("rand", dtype);
        return random(shape, dtype, device, g, RandomOp.UNIFORM, 0, 1);
    }

    public static Tensor randn(int[] shape, DType dtype, Device device, Generator g) {
        requireFloating("randn", dtype);
        return random(shape, dtype, device, g, RandomOp.NORMAL, 0, 1);
    }

    public static Tensor randint(long low, long high, int[] shape, Device device, Generator g) {
        if (high <= low) throw new IllegalArgumentException("randint: low (" + low + ") must be less than high (" + high + ")");
        return random(shape, DType.INT64, device, g, RandomOp.INTEGERS, low, high);
    }

    /** A random permutation of 0..n-1 (Fisher-Yates over one random key per position). */
    public static Tensor randperm(int n, Generator g) {
        long[] so = (g == null ? Generator.defaultGenerator() : g).reserve(n);
        long[] p = new long[n];
        int[] w = new int[4];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            Generator.philox(so[0], so[1] + i, w);
            int j = (int) (Generator.uniform(w[0], w[1]) * (i + 1));
            long tmp = p[i]; p[i] = p[j]; p[j] = tmp;
        }
        return of(p);
    }

    private static void requireFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + dtype);
    }

    public static double item(Tensor t) {
        if (t.numel() != 1)
            throw new IllegalArgumentException("a Tensor with " + t.numel() + " elements cannot be converted to a scalar");
        return t.toDoubleArray()[0];
    }

    // ---------------------------------------------------------------- from Java arrays

    public static Tensor of(float[] v) { return fromArray(DType.FLOAT32, v.clone(), new int[]{v.length}); }
    public static Tensor of(double[] v) { return fromArray(DType.FLOAT64, v.clone(), new int[]{v.length}); }
    public static Tensor of(long[] v) { return fromArray(DType.INT64, v.clone(), new int[]{v.length}); }
    public static Tensor of(int[] v) { return fromArray(DType.INT32, v.clone(), new int[]{v.length}); }
    public static Tensor of(boolean[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) (v[i] ? 1 : 0);
        return fromArray(DType.BOOL, b, new int[]{v.length});
    }

    private static Tensor fromArray(DType dtype, Object array, int[] shape) {
        return new Tensor(Backends.of(Device.CPU).fromArray(dtype, array), shape, Shapes.contiguousStrides(shape), 0, false);
    }

    /** A nested Java array of any rank (float[][], double[][][], long[], ...) or a boxed number. */
    public static Tensor of(Object array) {
        if (array instanceof Tensor t) return t;
        // a single Java number keeps its Java type, as the arrays do: 1.0 is float64, 1.0f float32, 1L int64, 1 int32
        if (array instanceof Number n) return scalar(n, switch (n) {
            case Double d -> DType.FLOAT64;
            case Float f -> DType.FLOAT32;
            case Long l -> DType.INT64;
            case Integer i -> DType.INT32;
            case Short sh -> DType.INT32;
            case Byte b -> DType.INT32;
            default -> dtypeOf(n);
        }, Device.CPU);
        if (array instanceof Boolean b) return scalar(b ? 1 : 0, DType.BOOL, Device.CPU);
        if (array == null || !array.getClass().isArray())
            throw new IllegalArgumentException("Tensor.of: expected a Java array or a number, got "
                    + (array == null ? "null" : array.getClass().getSimpleName()));
        List<Integer> dims = new ArrayList<>();
        Object o = array;
        while (o != null && o.getClass().isArray()) {
            int len = Array.getLength(o);
            dims.add(len);
            if (!o.getClass().getComponentType().isArray()) break;
            o = len > 0 ? Array.get(o, 0) : null;
            if (o == null) break;
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Class<?> leaf = array.getClass();
        while (leaf.isArray()) leaf = leaf.getComponentType();
        DType dtype = leaf == float.class || leaf == Float.class ? DType.FLOAT32
                : leaf == double.class || leaf == Double.class ? DType.FLOAT64
                : leaf == long.class || leaf == Long.class ? DType.INT64
                : leaf == int.class || leaf == Integer.class || leaf == short.class || leaf == byte.class ? DType.INT32
                : leaf == boolean.class || leaf == Boolean.class ? DType.BOOL
                : null;
        if (dtype == null) throw new IllegalArgumentException("Tensor.of: unsupported element type " + leaf.getSimpleName());
        double[] flat = new double[Shapes.numel(shape)];
        long[] flatLong = dtype.isFloatingPoint() ? null : new long[flat.length];
        int[] pos = {0};
        flatten(array, shape, 0, flat, flatLong, pos);
        Tensor t = flatLong == null ? fromArray(DType.FLOAT64, flat, shape) : fromArray(DType.INT64, flatLong, shape);
        return t.dtype() == dtype ? t : t.to(dtype);
    }

    private static void flatten(Object a, int[] shape, int d, double[] out, long[] outLong, int[] pos) {
        int len = Array.getLength(a);
        if (len != shape[d])
            throw new IllegalArgumentException("Tensor.of: expected a sequence of length " + shape[d] + " at dim " + d
                    + " (got " + len + ")");
        for (int i = 0; i < len; i++) {
            Object e = Array.get(a, i);
            if (d + 1 < shape.length) {
                if (e == null || !e.getClass().isArray())
                    throw new IllegalArgumentException("Tensor.of: ragged array at dim " + d);
                flatten(e, shape, d + 1, out, outLong, pos);
            } else {
                if (e instanceof Boolean b) e = b ? 1 : 0;
                Number n = (Number) e;
                if (outLong != null) outLong[pos[0]++] = n.longValue();
                else out[pos[0]++] = n.doubleValue();
            }
        }
    }
}
