package dev.gpush.amp;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.function.Function;

/**
 * Automatic mixed precision, as PyTorch's {@code torch.autocast}: inside
 * {@code try (var ac = Autocast.enable(DType.BFLOAT16)) { ... }} the ops that gain from it run in the low-precision
 * dtype and the ops that need range run in float32, each casting its own inputs.
 *
 * <p>Rules:
 * <ul>
 *   <li>The setting is per thread and per device type (a tensor's device decides), and blocks nest: closing one
 *       restores the setting it found. {@link #enable(DType)} turns it on for the CPU and CUDA alike;
 *       {@link #disable()} turns it off inside a block.</li>
 *   <li>Low precision (PyTorch's lists): matmul, mm, bmm, mv and linear. Their float32, float16 and bfloat16
 *       inputs are cast to the block's dtype, so the result is in it (linear's bias too). Ops built on matmul
 *       (attention, conv2d) compute their products in it as well.</li>
 *   <li>float32: layerNorm, softmax, logSoftmax, sum, prod, cumsum, logsumexp, norm and the losses (cross entropy,
 *       nll, mse, l1, bce with logits). Their float16 and bfloat16 inputs are cast up to float32.</li>
 *   <li>float64 and non-floating inputs are never cast, and an input already in the op's dtype is not copied.
 *       Every other op runs in the dtypes it is given (mixing promotes, as always).</li>
 *   <li>The casts are {@code Tensor.to}, which autograd records, so gradients flow back through them and reach
 *       float32 parameters in float32. Backward runs in the dtypes the forward chose, whatever the setting then.</li>
 *   <li>An op hooked here runs with autocast suspended (PyTorch's redispatch below the autocast key): the ops it
 *       is made of see inputs already in the right dtype and do not cast again.</li>
 *   <li>Note [no cast cache]: PyTorch caches the low-precision copy of each parameter inside a block. Here a
 *       cached copy would carry one graph node into several backward passes (gradient accumulation inside one
 *       block), and a node runs its backward once, so each use casts afresh.</li>
 * </ul>
 */
public final class Autocast implements AutoCloseable {

    /** One thread's setting: the low-precision dtype per device type (null: off there), and the innermost one. */
    public record Mode(DType cpu, DType cuda, DType innermost) {
        static final Mode OFF = new Mode(null, null, null);

        public Mode {
            for (DType d : new DType[]{cpu, cuda, innermost}) if (d != null) checkLowPrecision(d);
        }

        /** The low-precision dtype for tensors on {@code type}, or null where autocast is off. */
        public DType dtypeFor(Device.Type type) { return type == Device.Type.CPU ? cpu : cuda; }

        public boolean enabled() { return cpu != null || cuda != null; }
    }

    /** The mutable cell of one thread: its mode, and whether an autocast op is running (suspended). */
    private static final class State {
        Mode mode = Mode.OFF;
        boolean suspended;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private final State state;
    private final Mode mode;
    private final Mode previous;
    private final boolean previousSuspended;
    private boolean closed;

    private Autocast(Mode mode) {
        state = STATE.get();
        previous = state.mode;
        previousSuspended = state.suspended;
        state.mode = mode;
        state.suspended = false;
        this.mode = mode;
    }

    // ---------------------------------------------------------------- blocks

    /** Autocast to {@code dtype} (float16 or bfloat16) for tensors on every device. */
    public static Autocast enable(DType dtype) {
        checkLowPrecision(dtype);
        return new Autocast(new Mode(dtype, dtype, dtype));
    }

    /** Autocast to {@code dtype} for tensors on {@code type}; other device types keep their setting. */
    public static Autocast enable(Device.Type type, DType dtype) {
        checkLowPrecision(dtype);
        Mode m = STATE.get().mode;
        return new Autocast(type == Device.Type.CPU ? new Mode(dtype, m.cuda(), dtype) : new Mode(m.cpu(), dtype, dtype));
    }

    /** Autocast to PyTorch's default dtype for {@code type}: bfloat16 on the CPU, float16 on CUDA. */
    public static Autocast enable(Device.Type type) {
        return enable(type, type == Device.Type.CPU ? DType.BFLOAT16 : DType.FLOAT16);
    }

    /** A block with autocast off, for a region that must run in the dtypes it is given. */
    public static Autocast disable() { return new Autocast(Mode.OFF); }

    /** A block with {@code mode} (a setting captured with {@link #mode()}, replayed by activation checkpointing). */
    public static Autocast set(Mode mode) { return new Autocast(mode); }

    /** Restores the setting this block found. Idempotent; blocks close in the reverse order of opening. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        state.mode = previous;
        state.suspended = previousSuspended;
    }

    // ---------------------------------------------------------------- queries

    /** Whether autocast is on for some device type on this thread. */
    public static boolean isEnabled() { return STATE.get().mode.enabled(); }

    public static boolean isEnabled(Device.Type type) { return STATE.get().mode.dtypeFor(type) != null; }

    /** The low-precision dtype of the innermost enabled block, or null when autocast is off. */
    public static DType dtype() {
        Mode m = STATE.get().mode;
        return m.enabled() ? m.innermost() : null;
    }

    /** The low-precision dtype for {@code type}, or null where autocast is off. */
    public static DType dtype(Device.Type type) { return STATE.get().mode.dtypeFor(type); }

    /** This thread's setting, to replay later with {@link #set(Mode)}. */
    public static Mode mode() { return STATE.get().mode; }

    // ---------------------------------------------------------------- op hooks

    /** True when a hooked op must cast: autocast is on and no autocast op is running on this thread. */
    public static boolean isActive() {
        State s = STATE.get();
        return s.mode.enabled() && !s.suspended;
    }

    /**
     * Runs a low-precision op: {@code args} (null entries allowed) cast to the low-precision dtype of their device,
     * then {@code op} on them with autocast suspended. The ops call this as their first line:
     * {@code if (Autocast.isActive()) return Autocast.lowPrecision(t -> matmul(t[0], t[1]), a, b);}
     */
    public static Tensor lowPrecision(Function<Tensor[], Tensor> op, Tensor... args) {
        return run(op, args, true);
    }

    /** Runs a float32 op: {@code args}' float16 and bfloat16 entries cast to float32, then {@code op} on them. */
    public static Tensor fullPrecision(Function<Tensor[], Tensor> op, Tensor... args) {
        return run(op, args, false);
    }

    private static Tensor run(Function<Tensor[], Tensor> op, Tensor[] args, boolean low) {
        State s = STATE.get();
        Tensor[] cast = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) cast[i] = low ? toLow(args[i], s.mode) : toFloat32(args[i], s.mode);
        boolean was = s.suspended;
        s.suspended = true;
        try {
            return op.apply(cast);
        } finally {
            s.suspended = was;
        }
    }

    /** float32, float16 and bfloat16 tensors on a device where autocast is on, in its low-precision dtype. */
    static Tensor toLow(Tensor t, Mode mode) {
        if (t == null) return null;
        DType target = mode.dtypeFor(t.device().type());
        DType d = t.dtype();
        if (target == null || d == target || !(d == DType.FLOAT32 || d.isHalf())) return t;
        return t.to(target);
    }

    /** float16 and bfloat16 tensors on a device where autocast is on, in float32. */
    static Tensor toFloat32(Tensor t, Mode mode) {
        if (t == null || !t.dtype().isHalf() || mode.dtypeFor(t.device().type()) == null) return t;
        return t.to(DType.FLOAT32);
    }

    private static void checkLowPrecision(DType dtype) {
        if (dtype == null || !dtype.isHalf())
            throw new IllegalArgumentException("autocast: the low-precision dtype must be float16 or bfloat16, got "
                    + dtype);
    }

    @Override public String toString() {
        return "Autocast(cpu=" + mode.cpu() + ", cuda=" + mode.cuda() + (closed ? ", closed)" : ")");
    }
}
