package dev.gpush.tensor;

import dev.gpush.autograd.Engine;
import dev.gpush.autograd.Node;
import dev.gpush.backend.BinaryOp;
import dev.gpush.ops.Creation;
import dev.gpush.ops.Indexing;
import dev.gpush.ops.LinearAlgebra;
import dev.gpush.ops.Pointwise;
import dev.gpush.ops.Reductions;
import dev.gpush.ops.Views;
import dev.gpush.ops.InPlace;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array on a device, with autograd. The public face of the library: every method here is a
 * one-line call to the op that defines it in {@code dev.gpush.ops}, where its shape rule, forward and backward
 * stand together.
 *
 * <p>A tensor is a strided view of a {@link Storage}: element {@code (i0, i1, ...)} sits at
 * {@code offset + i0*stride[0] + i1*stride[1] + ...}. Views share the storage and its version counter.
 * Tensors are {@link AutoCloseable}: {@link #close()} gives up this tensor's hold on the storage at once
 * (see {@link Scope}); otherwise the memory goes when the tensor is unreachable.
 */
public final class Tensor implements AutoCloseable {
    private Storage storage;
    private int[] shape;
    private int[] strides;
    private int offset;
    private boolean view;                // shares storage with the tensor it was made from
    private final boolean borrowed;      // a transient operand view for a backend call: holds no reference
    private boolean wrappedNumber;       // a Java scalar taking part in an op (PyTorch's type-promotion rule)

    // autograd state
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;                 // the op that made this tensor, when it was made with grad recording
    private Node accumulator;            // for a leaf that requires grad: the node that accumulates into grad

    Scope scope;                         // the innermost Scope open when this tensor was made, or null

    /** Makes a tensor over existing storage. For backends and ops; users make tensors with the factories. */
    public Tensor(Storage storage, int[] shape, int[] strides, int offset, boolean view) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.view = view;
        this.borrowed = false;
        storage.retain();
        Scope.register(this);
    }

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.view = true;
        this.borrowed = true;
    }

    /**
     * A transient view for handing an operand to a backend (a broadcast or permuted reading of {@code base}).
     * It holds no reference on the storage and belongs to no scope; never return it to users.
     */
    public static Tensor borrow(Tensor base, int[] shape, int[] strides, int offset) {
        return new Tensor(base.storage(), shape, strides, offset);
    }

    // ---------------------------------------------------------------- metadata

    public int[] shape() { return shape.clone(); }
    public int[] stride() { return strides.clone(); }
    /** The dims without a copy; callers must not modify it. */
    public int[] shapeRef() { return shape; }
    public int[] strideRef() { return strides; }
    public int storageOffset() { return offset; }
    public int dim() { return shape.length; }
    public int size(int dim) { return shape[Shapes.wrapDim(dim, shape.length)]; }
    public int stride(int dim) { return strides[Shapes.wrapDim(dim, shape.length)]; }
    public int numel() { return Shapes.numel(shape); }
    public DType dtype() { return storage().dtype(); }
    public Device device() { return storage().device(); }
    public boolean isView() { return view; }
    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }
    public boolean isWrappedNumber() { return wrappedNumber; }
    public boolean isFloatingPoint() { return dtype().isFloatingPoint(); }
    public boolean isCuda() { return device().isCuda(); }

    public Storage storage() {
        Storage s = storage;
        if (s == null || s.isFreed())
            throw new IllegalStateException("tensor was closed: its memory is freed (closed directly or by its Scope)");
        return s;
    }

    public boolean isClosed() { return storage == null || storage.isFreed(); }

    /** Gives up this tensor's hold on its storage now. Idempotent. Views keep their storage alive. */
    @Override public void close() {
        Storage s = storage;
        if (s == null || borrowed) return;
        storage = null;
        grad = null;
        s.release();
    }

    /**
     * Makes this tensor read {@code source}'s storage, shape, dtype and device, keeping its identity, its
     * {@code requiresGrad} and hooks (PyTorch's {@code param.data = source}). This is how {@code Module.to} moves
     * parameters and how a state dict loads into them. Only leaves can be re-pointed; the gradient is dropped when
     * it no longer fits.
     */
    public Tensor setData(Tensor source) {
        if (borrowed || source == this) return this;
        if (gradFn != null)
            throw new IllegalStateException("setData: only leaf tensors can be re-pointed at new data");
        if (requiresGrad && !source.dtype().isFloatingPoint())
            throw new IllegalArgumentException("setData: a tensor that requires grad needs floating point data, got "
                    + source.dtype());
        Storage next = source.storage();
        next.retain();
        Storage old = storage;
        storage = next;
        shape = source.shape.clone();
        strides = source.strides.clone();
        offset = source.offset;
        view = true;
        if (grad != null && (!java.util.Arrays.equals(grad.shape, shape) || !grad.device().equals(next.device())
                || grad.dtype() != next.dtype())) grad = null;
        if (old != null) old.release();
        return this;
    }

    /** Keeps this tensor when its {@link Scope} closes (it moves to the enclosing scope, if any). */
    public Tensor keep() {
        Scope.keepInParent(this);
        return this;
    }

    /**
     * Registers this scope-less tensor with the innermost {@link Scope} open on the calling thread, as if it had
     * been made here: how a tensor made on another thread (a DataLoader worker) is handed to its consumer.
     */
    public Tensor adopt() {
        if (scope != null) throw new IllegalStateException("adopt: the tensor already belongs to a Scope");
        Scope.register(this);
        return this;
    }

    /** Marks a fresh 0-dim tensor as a Java number operand (type promotion treats it as weaker). Internal. */
    public static Tensor wrapNumber(Tensor t) {
        t.wrappedNumber = true;
        return t;
    }

    // ---------------------------------------------------------------- values

    public double item() { return Creation.item(this); }
    public float[] toFloatArray() { return (float[]) to(DType.FLOAT32).contiguous().cpuArray(); }
    public double[] toDoubleArray() { return (double[]) to(DType.FLOAT64).contiguous().cpuArray(); }
    public long[] toLongArray() { return (long[]) to(DType.INT64).contiguous().cpuArray(); }
    public int[] toIntArray() { return (int[]) to(DType.INT32).contiguous().cpuArray(); }
    public boolean[] toBooleanArray() {
        byte[] b = (byte[]) to(DType.BOOL).contiguous().cpuArray();
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < b.length; i++) r[i] = b[i] != 0;
        return r;
    }
    private Object cpuArray() { return Creation.backend(this).toArray(this); }

    @Override public String toString() { return Printer.format(this); }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Sets whether autograd records ops on this leaf. Only leaves can change it, as in PyTorch. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag)
            throw new IllegalStateException("you can only change requiresGrad of leaf tensors; use detach() for a "
                    + "non-leaf tensor that should not require grad");
        if (flag && !dtype().isFloatingPoint())
            throw new IllegalArgumentException("only floating point tensors can require gradients, got " + dtype());
        requiresGrad = flag;
        return this;
    }

    public Tensor grad() { return grad; }
    public void setGrad(Tensor g) { grad = g; }
    public Node gradFn() { return gradFn; }
    public boolean isLeaf() { return gradFn == null; }

    /** Called by the autograd recorder: this tensor is the output of {@code node}. */
    public void setGradFn(Node node) {
        gradFn = node;
        requiresGrad = node != null || requiresGrad;
    }

    /** The node that accumulates into {@link #grad()} (leaves) or the node that made this tensor. */
    public Node gradEdge() {
        if (gradFn != null) return gradFn;
        if (!requiresGrad) return null;
        if (accumulator == null) accumulator = Node.accumulate(this);
        return accumulator;
    }

    public void backward() { Engine.backward(this, null, false, false); }
    public void backward(Tensor gradient) { Engine.backward(this, gradient, false, false); }
    public void backward(Tensor gradient, boolean retainGraph) { Engine.backward(this, gradient, retainGraph, false); }
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Engine.backward(this, gradient, retainGraph, createGraph);
    }

    /** Keeps {@link #grad()} on this non-leaf tensor after backward. */
    public Tensor retainGrad() {
        if (gradFn != null) gradFn.retainGradOf(this);
        else if (!requiresGrad) throw new IllegalStateException("can't retain_grad on a tensor that has requiresGrad=false");
        return this;
    }

    /** Runs {@code hook} on the gradient of this tensor when it is computed; its result replaces the gradient. */
    public Node.Handle registerHook(UnaryOperator<Tensor> hook) {
        Node n = gradEdge();
        if (n == null) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        return n.addHook(hook);
    }

    /**
     * Runs {@code hook} on this leaf after backward has accumulated into its {@link #grad()} (PyTorch's
     * {@code register_post_accumulate_grad_hook}; DistributedDataParallel reduces gradients from it).
     */
    public Node.Handle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        if (gradFn != null || !requiresGrad)
            throw new IllegalStateException("post-accumulate-grad hooks can only be registered on leaf tensors that require grad");
        return gradEdge().addPostAccumulateHook(hook);
    }

    /** A tensor sharing this one's storage, outside the graph. */
    public Tensor detach() { return Views.detach(this); }
    public Tensor detach_() { gradFn = null; requiresGrad = false; return this; }

    // ---------------------------------------------------------------- factories (static; pre-imported in gpush)

    public static Tensor zeros(int... shape) { return Creation.full(shape, 0, DType.DEFAULT, Device.CPU); }
    public static Tensor zeros(DType dtype, int... shape) { return Creation.full(shape, 0, dtype, Device.CPU); }
    public static Tensor zeros(Device device, int... shape) { return Creation.full(shape, 0, DType.DEFAULT, device); }
    public static Tensor zeros(int[] shape, DType dtype, Device device) { return Creation.full(shape, 0, dtype, device); }
    public static Tensor ones(int... shape) { return Creation.full(shape, 1, DType.DEFAULT, Device.CPU); }
    public static Tensor ones(DType dtype, int... shape) { return Creation.full(shape, 1, dtype, Device.CPU); }
    public static Tensor ones(Device device, int... shape) { return Creation.full(shape, 1, DType.DEFAULT, device); }
    public static Tensor ones(int[] shape, DType dtype, Device device) { return Creation.full(shape, 1, dtype, device); }
    /**
     * Uninitialised, as {@code torch.empty}: the elements are whatever the memory held (garbage on a GPU; zeros on
     * the CPU today, but don't rely on it). Fill it before reading, or use {@link #zeros}.
     */
    public static Tensor empty(int... shape) { return Creation.empty(shape, DType.DEFAULT, Device.CPU); }
    public static Tensor empty(int[] shape, DType dtype, Device device) { return Creation.empty(shape, dtype, device); }
    /** Filled with {@code value}; an integral Java value gives int64, a floating one float32 (as in PyTorch). */
    public static Tensor full(int[] shape, Number value) { return Creation.full(shape, value, Creation.dtypeOf(value), Device.CPU); }
    public static Tensor full(int[] shape, Number value, DType dtype, Device device) { return Creation.full(shape, value, dtype, device); }
    /** int64 {@code 0, 1, ..., end-1}. */
    public static Tensor arange(long end) { return Creation.arange(0, end, 1, DType.INT64); }
    public static Tensor arange(long start, long end) { return Creation.arange(start, end, 1, DType.INT64); }
    public static Tensor arange(long start, long end, long step) { return Creation.arange(start, end, step, DType.INT64); }
    /** float32 {@code start, start+step, ...} below {@code end}. */
    public static Tensor arange(double start, double end, double step) { return Creation.arange(start, end, step, DType.DEFAULT); }
    public static Tensor linspace(double start, double end, int steps) { return Creation.linspace(start, end, steps); }
    public static Tensor eye(int n) { return Creation.eye(n, n); }
    public static Tensor eye(int n, int m) { return Creation.eye(n, m); }
    public static Tensor rand(int... shape) { return Creation.rand(shape, DType.DEFAULT, Device.CPU, null); }
    public static Tensor rand(DType dtype, int... shape) { return Creation.rand(shape, dtype, Device.CPU, null); }
    public static Tensor rand(Generator g, int... shape) { return Creation.rand(shape, DType.DEFAULT, Device.CPU, g); }
    public static Tensor rand(int[] shape, DType dtype, Device device) { return Creation.rand(shape, dtype, device, null); }
    public static Tensor randn(int... shape) { return Creation.randn(shape, DType.DEFAULT, Device.CPU, null); }
    public static Tensor randn(DType dtype, int... shape) { return Creation.randn(shape, dtype, Device.CPU, null); }
    public static Tensor randn(Generator g, int... shape) { return Creation.randn(shape, DType.DEFAULT, Device.CPU, g); }
    public static Tensor randn(Device device, int... shape) { return Creation.randn(shape, DType.DEFAULT, device, null); }
    public static Tensor randn(int[] shape, DType dtype, Device device) { return Creation.randn(shape, dtype, device, null); }
    /** Integers uniform in [low, high), int64. */
    public static Tensor randint(long low, long high, int... shape) { return Creation.randint(low, high, shape, Device.CPU, null); }
    public static Tensor randint(Generator g, long low, long high, int... shape) { return Creation.randint(low, high, shape, Device.CPU, g); }
    public static Tensor randperm(int n) { return Creation.randperm(n, null); }
    public static Tensor randperm(Generator g, int n) { return Creation.randperm(n, g); }
    public static Tensor zerosLike(Tensor t) { return Creation.full(t.shape, 0, t.dtype(), t.device()); }
    public static Tensor onesLike(Tensor t) { return Creation.full(t.shape, 1, t.dtype(), t.device()); }
    /** Uninitialised, like {@link #empty(int...)}. */
    public static Tensor emptyLike(Tensor t) { return Creation.empty(t.shape, t.dtype(), t.device()); }
    public static Tensor fullLike(Tensor t, Number value) { return Creation.full(t.shape, value, t.dtype(), t.device()); }
    public static Tensor randLike(Tensor t) { return Creation.rand(t.shape, t.dtype(), t.device(), null); }
    public static Tensor randnLike(Tensor t) { return Creation.randn(t.shape, t.dtype(), t.device(), null); }
    /**
     * A tensor from a Java array of any rank ({@code float[][]} gives float32 [n, m]). A single number gives a
     * 0-dim tensor, as {@code torch.tensor(0.5)} does: {@code Tensor.of(0.5f)} is 0-dim, {@code Tensor.of(1f, 2f)}
     * and {@code Tensor.of(new float[]{0.5f})} are 1-d. The dtype follows the Java type, for numbers as for arrays:
     * double gives float64, float float32, long int64, int int32, boolean bool.
     */
    public static Tensor of(Object array) { return Creation.of(array); }
    public static Tensor of(float... values) { return Creation.of(values); }
    public static Tensor of(double... values) { return Creation.of(values); }
    public static Tensor of(long... values) { return Creation.of(values); }
    public static Tensor of(int... values) { return Creation.of(values); }
    public static Tensor of(boolean... values) { return Creation.of(values); }
    /** A 0-dim tensor. */
    public static Tensor scalar(Number value) { return Creation.scalar(value, Creation.dtypeOf(value), Device.CPU); }
    public static Tensor scalar(Number value, DType dtype) { return Creation.scalar(value, dtype, Device.CPU); }
    public static void manualSeed(long seed) { Generator.manualSeed(seed); }

    public static Tensor cat(List<Tensor> tensors, int dim) { return Views.cat(tensors, dim); }
    public static Tensor cat(int dim, Tensor... tensors) { return Views.cat(List.of(tensors), dim); }
    public static Tensor stack(List<Tensor> tensors, int dim) { return Views.stack(tensors, dim); }
    public static Tensor stack(int dim, Tensor... tensors) { return Views.stack(List.of(tensors), dim); }
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Pointwise.where(cond, a, b); }
    public static Tensor where(Tensor cond, Tensor a, Number b) { return Pointwise.where(cond, a, Creation.operand(b)); }
    public static Tensor where(Tensor cond, Number a, Tensor b) { return Pointwise.where(cond, Creation.operand(a), b); }

    // ---------------------------------------------------------------- device and dtype

    public Tensor to(Device device) { return Views.to(this, device, dtype()); }
    public Tensor to(DType dtype) { return Views.to(this, device(), dtype); }
    public Tensor to(Device device, DType dtype) { return Views.to(this, device, dtype); }
    public Tensor to(String device) { return to(Device.of(device)); }
    public Tensor cpu() { return to(Device.CPU); }
    public Tensor cuda() { return to(Device.CUDA); }
    public Tensor cuda(int index) { return to(Device.cuda(index)); }
    public Tensor float_() { return to(DType.FLOAT32); }
    public Tensor double_() { return to(DType.FLOAT64); }
    public Tensor half() { return to(DType.FLOAT16); }
    public Tensor bfloat16() { return to(DType.BFLOAT16); }
    public Tensor long_() { return to(DType.INT64); }
    public Tensor int_() { return to(DType.INT32); }
    public Tensor bool() { return to(DType.BOOL); }
    public Tensor clone() { return Views.clone(this); }
    public Tensor contiguous() { return isContiguous() ? this : Views.clone(this); }

    // ---------------------------------------------------------------- views (share storage)

    public Tensor view(int... shape) { return Views.view(this, shape); }
    public Tensor reshape(int... shape) { return Views.reshape(this, shape); }
    public Tensor viewAs(Tensor other) { return Views.view(this, other.shape); }
    public Tensor reshapeAs(Tensor other) { return Views.reshape(this, other.shape); }
    public Tensor flatten() { return Views.flatten(this, 0, -1); }
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }
    public Tensor unflatten(int dim, int... sizes) { return Views.unflatten(this, dim, sizes); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor squeeze() { return Views.squeeze(this); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }
    public Tensor t() { return Views.t(this); }
    /** {@code t()} under the name PyTorch's matrices use ({@code x.mT}) for the last two dims. */
    public Tensor mT() { return Views.transpose(this, -2, -1); }
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }
    /** {@code x[index]} along the first dim. */
    public Tensor get(int index) { return Views.select(this, 0, index); }
    /** {@code x[start:end:step]} along {@code dim}; negative positions count from the end. */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }
    public Tensor slice(int dim, int start, int end) { return Views.slice(this, dim, start, end, 1); }
    public Tensor expand(int... shape) { return Views.expand(this, shape); }
    public Tensor expandAs(Tensor other) { return Views.expand(this, other.shape); }
    public List<Tensor> chunk(int chunks, int dim) { return Views.chunk(this, chunks, dim); }
    public List<Tensor> split(int splitSize, int dim) { return Views.split(this, splitSize, dim); }
    public List<Tensor> split(int[] sizes, int dim) { return Views.split(this, sizes, dim); }
    public List<Tensor> unbind(int dim) { return Views.unbind(this, dim); }
    public Tensor repeat(int... repeats) { return Views.repeat(this, repeats); }
    public Tensor flip(int... dims) { return Views.flip(this, dims); }

    // ---------------------------------------------------------------- pointwise math (broadcasting, promotion)

    public Tensor add(Tensor o) { return Pointwise.add(this, o); }
    public Tensor add(Number o) { return Pointwise.add(this, Creation.operand(o)); }
    /** {@code this + alpha * o}. */
    public Tensor add(Tensor o, Number alpha) { return Pointwise.add(this, Pointwise.mul(o, Creation.operand(alpha))); }
    public Tensor sub(Tensor o) { return Pointwise.sub(this, o); }
    public Tensor sub(Number o) { return Pointwise.sub(this, Creation.operand(o)); }
    /** {@code o - this} (PyTorch's {@code rsub}). */
    public Tensor rsub(Number o) { return Pointwise.sub(Creation.operand(o), this); }
    public Tensor mul(Tensor o) { return Pointwise.mul(this, o); }
    public Tensor mul(Number o) { return Pointwise.mul(this, Creation.operand(o)); }
    public Tensor div(Tensor o) { return Pointwise.div(this, o); }
    public Tensor div(Number o) { return Pointwise.div(this, Creation.operand(o)); }
    /** {@code o / this}. */
    public Tensor rdiv(Number o) { return Pointwise.div(Creation.operand(o), this); }
    public Tensor pow(Tensor o) { return Pointwise.pow(this, o); }
    public Tensor pow(Number o) { return Pointwise.pow(this, Creation.operand(o)); }
    public Tensor remainder(Number o) { return Pointwise.remainder(this, Creation.operand(o)); }
    public Tensor remainder(Tensor o) { return Pointwise.remainder(this, o); }
    public Tensor maximum(Tensor o) { return Pointwise.maximum(this, o); }
    public Tensor minimum(Tensor o) { return Pointwise.minimum(this, o); }
    public Tensor atan2(Tensor o) { return Pointwise.atan2(this, o); }
    public Tensor neg() { return Pointwise.neg(this); }
    public Tensor abs() { return Pointwise.abs(this); }
    public Tensor sign() { return Pointwise.sign(this); }
    public Tensor reciprocal() { return Pointwise.reciprocal(this); }
    public Tensor square() { return Pointwise.mul(this, this); }
    public Tensor exp() { return Pointwise.exp(this); }
    public Tensor expm1() { return Pointwise.expm1(this); }
    public Tensor log() { return Pointwise.log(this); }
    public Tensor log1p() { return Pointwise.log1p(this); }
    public Tensor sqrt() { return Pointwise.sqrt(this); }
    public Tensor rsqrt() { return Pointwise.rsqrt(this); }
    public Tensor sin() { return Pointwise.sin(this); }
    public Tensor cos() { return Pointwise.cos(this); }
    public Tensor tanh() { return Pointwise.tanh(this); }
    public Tensor sigmoid() { return Pointwise.sigmoid(this); }
    public Tensor erf() { return Pointwise.erf(this); }
    public Tensor relu() { return Pointwise.relu(this); }
    /** Exact GELU, {@code x * Φ(x)}. */
    public Tensor gelu() { return Pointwise.gelu(this, false); }
    /** GELU; {@code tanh == true} uses PyTorch's {@code approximate='tanh'} form. */
    public Tensor gelu(boolean tanh) { return Pointwise.gelu(this, tanh); }
    public Tensor silu() { return Pointwise.silu(this); }
    public Tensor softplus() { return Pointwise.softplus(this); }
    public Tensor floor() { return Pointwise.floor(this); }
    public Tensor ceil() { return Pointwise.ceil(this); }
    public Tensor round() { return Pointwise.round(this); }
    public Tensor trunc() { return Pointwise.trunc(this); }
    public Tensor clamp(Number min, Number max) { return Pointwise.clamp(this, min, max); }
    public Tensor clampMin(Number min) { return Pointwise.clamp(this, min, null); }
    public Tensor clampMax(Number max) { return Pointwise.clamp(this, null, max); }
    public Tensor isnan() { return Pointwise.isnan(this); }

    public Tensor eq(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.EQ, this, o); }
    public Tensor eq(Number o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.EQ, this, Creation.operand(o)); }
    public Tensor ne(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.NE, this, o); }
    public Tensor ne(Number o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.NE, this, Creation.operand(o)); }
    public Tensor lt(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LT, this, o); }
    public Tensor lt(Number o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LT, this, Creation.operand(o)); }
    public Tensor le(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LE, this, o); }
    public Tensor le(Number o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LE, this, Creation.operand(o)); }
    public Tensor gt(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.GT, this, o); }
    public Tensor gt(Number o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.GT, this, Creation.operand(o)); }
    public Tensor ge(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.GE, this, o); }
    public Tensor ge(Number o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.GE, this, Creation.operand(o)); }
    public Tensor logicalAnd(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LOGICAL_AND, this, o); }
    public Tensor logicalOr(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LOGICAL_OR, this, o); }
    public Tensor logicalXor(Tensor o) { return Pointwise.compare(dev.gpush.backend.BinaryOp.LOGICAL_XOR, this, o); }
    public Tensor logicalNot() { return Pointwise.logicalNot(this); }
    /** True when both have the same shape and all elements are equal. */
    public boolean equal(Tensor o) { return Reductions.equal(this, o); }
    /** True when {@code |this - o| <= atol + rtol * |o|} everywhere (NaNs unequal). */
    public boolean allclose(Tensor o, double rtol, double atol) { return Reductions.allclose(this, o, rtol, atol); }
    public boolean allclose(Tensor o) { return Reductions.allclose(this, o, 1e-5, 1e-8); }

    // ---------------------------------------------------------------- in place (PyTorch's trailing underscore)

    public Tensor add_(Tensor o) { return InPlace.binary(this, BinaryOp.ADD, o); }
    public Tensor add_(Number o) { return InPlace.binary(this, BinaryOp.ADD, Creation.operand(o)); }
    public Tensor add_(Tensor o, Number alpha) { return InPlace.binary(this, BinaryOp.ADD, Pointwise.mul(o, Creation.operand(alpha))); }
    public Tensor sub_(Tensor o) { return InPlace.binary(this, BinaryOp.SUB, o); }
    public Tensor sub_(Number o) { return InPlace.binary(this, BinaryOp.SUB, Creation.operand(o)); }
    public Tensor mul_(Tensor o) { return InPlace.binary(this, BinaryOp.MUL, o); }
    public Tensor mul_(Number o) { return InPlace.binary(this, BinaryOp.MUL, Creation.operand(o)); }
    public Tensor div_(Tensor o) { return InPlace.binary(this, BinaryOp.DIV, o); }
    public Tensor div_(Number o) { return InPlace.binary(this, BinaryOp.DIV, Creation.operand(o)); }
    public Tensor pow_(Number o) { return InPlace.binary(this, BinaryOp.POW, Creation.operand(o)); }
    public Tensor neg_() { return InPlace.apply(this, Pointwise::neg); }
    public Tensor exp_() { return InPlace.apply(this, Pointwise::exp); }
    public Tensor sqrt_() { return InPlace.apply(this, Pointwise::sqrt); }
    public Tensor relu_() { return InPlace.apply(this, Pointwise::relu); }
    public Tensor sigmoid_() { return InPlace.apply(this, Pointwise::sigmoid); }
    public Tensor tanh_() { return InPlace.apply(this, Pointwise::tanh); }
    public Tensor clamp_(Number min, Number max) { return InPlace.apply(this, t -> Pointwise.clamp(t, min, max)); }
    public Tensor maskedFill_(Tensor mask, Number value) { return InPlace.apply(this, t -> Indexing.maskedFill(t, mask, value)); }
    public Tensor zero_() { return InPlace.fill(this, 0); }
    public Tensor fill_(Number value) { return InPlace.fill(this, value); }
    public Tensor copy_(Tensor src) { return InPlace.copy(this, src); }
    public Tensor uniform_(double from, double to) { return InPlace.random(this, dev.gpush.backend.RandomOp.UNIFORM, from, to); }
    public Tensor normal_(double mean, double std) { return InPlace.random(this, dev.gpush.backend.RandomOp.NORMAL, mean, std); }
    public Tensor bernoulli_(double p) { return InPlace.random(this, dev.gpush.backend.RandomOp.BERNOULLI, p, 0); }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() { return Reductions.sum(this, null, false); }
    public Tensor sum(int dim) { return Reductions.sum(this, new int[]{dim}, false); }
    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[]{dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }
    public Tensor mean() { return Reductions.mean(this, null, false); }
    public Tensor mean(int dim) { return Reductions.mean(this, new int[]{dim}, false); }
    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[]{dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    public Tensor prod() { return Reductions.prod(this, null, false); }
    public Tensor prod(int dim, boolean keepdim) { return Reductions.prod(this, new int[]{dim}, keepdim); }
    /** Variance with Bessel's correction ({@code unbiased}, PyTorch's default). */
    public Tensor var() { return Reductions.var(this, null, true, false); }
    public Tensor var(int dim) { return Reductions.var(this, new int[]{dim}, true, false); }
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.var(this, dims, unbiased, keepdim); }
    public Tensor std() { return Reductions.std(this, null, true, false); }
    public Tensor std(int dim) { return Reductions.std(this, new int[]{dim}, true, false); }
    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.std(this, dims, unbiased, keepdim); }
    public Tensor max() { return Reductions.extreme(this, true); }
    public Tensor min() { return Reductions.extreme(this, false); }
    /** Values and int64 indices of the maxima along {@code dim}. */
    public Reductions.ValuesIndices max(int dim, boolean keepdim) { return Reductions.extreme(this, dim, keepdim, true); }
    public Reductions.ValuesIndices max(int dim) { return Reductions.extreme(this, dim, false, true); }
    public Reductions.ValuesIndices min(int dim, boolean keepdim) { return Reductions.extreme(this, dim, keepdim, false); }
    public Reductions.ValuesIndices min(int dim) { return Reductions.extreme(this, dim, false, false); }
    public Tensor argmax() { return Reductions.argExtreme(this, null, false, true); }
    public Tensor argmax(int dim) { return Reductions.argExtreme(this, dim, false, true); }
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argExtreme(this, dim, keepdim, true); }
    public Tensor argmin() { return Reductions.argExtreme(this, null, false, false); }
    public Tensor argmin(int dim) { return Reductions.argExtreme(this, dim, false, false); }
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argExtreme(this, dim, keepdim, false); }
    public Tensor amax(int dim, boolean keepdim) { return Reductions.amax(this, new int[]{dim}, keepdim, true); }
    public Tensor amin(int dim, boolean keepdim) { return Reductions.amax(this, new int[]{dim}, keepdim, false); }
    /** The 2-norm of all elements. */
    public Tensor norm() { return Reductions.norm(this, 2, null, false); }
    public Tensor norm(double p) { return Reductions.norm(this, p, null, false); }
    public Tensor norm(double p, int dim, boolean keepdim) { return Reductions.norm(this, p, new int[]{dim}, keepdim); }
    public Tensor logsumexp(int dim) { return Reductions.logsumexp(this, dim, false); }
    public Tensor logsumexp(int dim, boolean keepdim) { return Reductions.logsumexp(this, dim, keepdim); }
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Reductions.logSoftmax(this, dim); }
    public Tensor cumsum(int dim) { return Reductions.cumsum(this, dim); }
    public Tensor all() { return Reductions.all(this); }
    public Tensor any() { return Reductions.any(this); }
    public Tensor countNonzero() { return Reductions.countNonzero(this); }

    // ---------------------------------------------------------------- linear algebra

    public Tensor matmul(Tensor o) { return LinearAlgebra.matmul(this, o); }
    public Tensor mm(Tensor o) { return LinearAlgebra.mm(this, o); }
    public Tensor bmm(Tensor o) { return LinearAlgebra.bmm(this, o); }
    public Tensor mv(Tensor o) { return LinearAlgebra.mv(this, o); }
    public Tensor dot(Tensor o) { return LinearAlgebra.dot(this, o); }
    public Tensor outer(Tensor o) { return LinearAlgebra.outer(this, o); }

    // ---------------------------------------------------------------- indexing

    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src); }
    public Tensor scatter(int dim, Tensor index, Number value) { return Indexing.scatter(this, dim, index, Creation.fullLikeIndex(this, index, value)); }
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, dim, index, src); }
    public Tensor indexAdd(int dim, Tensor index, Tensor src) { return Indexing.indexAdd(this, dim, index, src); }
    public Tensor maskedFill(Tensor mask, Number value) { return Indexing.maskedFill(this, mask, value); }
    /** The elements where {@code mask} is true, as a 1-d tensor ({@code x[mask]}). */
    public Tensor maskedSelect(Tensor mask) { return Indexing.maskedSelect(this, mask); }
    /**
     * {@code x[index]}: with an integer tensor, rows along the first dim (an embedding lookup; negative indices
     * count from the end); with a bool tensor over the leading dims, the selected elements ({@code x[mask]}).
     */
    public Tensor index(Tensor index) { return Indexing.index(this, index); }
    public Tensor nonzero() { return Indexing.nonzero(this); }
    public Tensor tril() { return Indexing.tril(this, 0); }
    public Tensor tril(int diagonal) { return Indexing.tril(this, diagonal); }
    public Tensor triu() { return Indexing.triu(this, 0); }
    public Tensor triu(int diagonal) { return Indexing.triu(this, diagonal); }
    /** One-hot int64 encoding of this int64 tensor, with a new last dim of {@code numClasses} (-1: max + 1). */
    public Tensor oneHot(int numClasses) { return Indexing.oneHot(this, numClasses); }
}
