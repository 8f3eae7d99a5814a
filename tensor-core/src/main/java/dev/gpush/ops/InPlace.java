package dev.gpush.ops;

import dev.gpush.autograd.GradMode;
import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.RandomOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.Arrays;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * In-place forms ({@code add_}, {@code mul_}, ...). Each computes the out-of-place op, writes the result into
 * the tensor's own storage and bumps the storage's version counter.
 *
 * <p>Rules, as in PyTorch:
 * <ul>
 *   <li>A leaf that requires grad cannot be changed in place while grad mode is on (optimizers run under
 *       {@code noGrad}).</li>
 *   <li>The result must fit the tensor: broadcasting may not grow it, and its dtype must cast to the tensor's
 *       without turning floating point into integers.</li>
 *   <li>When the graph is recorded, the op reads a copy of the old values, so gradient formulas never see the
 *       overwritten ones; the tensor then continues the graph from the op.</li>
 *   <li>Writing into a view of a tensor that takes part in the graph is refused rather than silently wrong.</li>
 * </ul>
 */
public final class InPlace {
    private InPlace() {}

    public static Tensor apply(Tensor self, UnaryOperator<Tensor> op) {
        boolean record = checkRecordable(self, null);
        Tensor result = op.apply(record ? self.clone() : self);
        return writeBack(self, result, record);
    }

    public static Tensor apply(Tensor self, BinaryOperator<Tensor> op, Tensor other) {
        boolean record = checkRecordable(self, other);
        Tensor result = op.apply(record ? self.clone() : self, other);
        return writeBack(self, result, record);
    }

    /**
     * {@code self op= other} for an arithmetic primitive. Outside the graph the backend writes straight into
     * {@code self} (one pass, no temporary); the result is the same as computing out of place and copying back,
     * because the CPU computes in double either way (Note [compute in double]).
     */
    public static Tensor binary(Tensor self, BinaryOp op, Tensor other) {
        BinaryOperator<Tensor> outOfPlace = switch (op) {
            case ADD -> Pointwise::add;
            case SUB -> Pointwise::sub;
            case MUL -> Pointwise::mul;
            case DIV -> Pointwise::div;
            case POW -> Pointwise::pow;
            default -> throw new IllegalArgumentException(op + " has no in-place form");
        };
        boolean record = checkRecordable(self, other);
        DType t = Pointwise.resultType(self, other);
        if (op.needsFloat()) t = t.toFloating();
        boolean direct = !record && (self.dtype().isFloatingPoint() || !t.isFloatingPoint())
                && Arrays.equals(Shapes.broadcast(self.shapeRef(), other.shapeRef()), self.shapeRef())
                && !overlapsDifferently(self, other) && Pointwise.device(self, other).equals(self.device());
        if (!direct) return apply(self, outOfPlace, other);
        if (other.isWrappedNumber() && other.dtype() != t) other = other.to(t);
        Creation.backend(self).binary(op, self, self, Pointwise.operandAs(other, self.shapeRef(), self.device()));
        self.storage().bumpVersion();
        return self;
    }

    /** {@code b} reads {@code a}'s memory in another layout, so a block-wise write into {@code a} would corrupt it. */
    private static boolean overlapsDifferently(Tensor a, Tensor b) {
        return a.storage() == b.storage() && !(a.storageOffset() == b.storageOffset()
                && Arrays.equals(a.shapeRef(), b.shapeRef()) && Arrays.equals(a.strideRef(), b.strideRef()));
    }

    private static boolean checkRecordable(Tensor self, Tensor other) {
        boolean record = GradMode.isEnabled() && (self.requiresGrad() || (other != null && other.requiresGrad()));
        if (record && self.isLeaf() && self.requiresGrad())
            throw new IllegalStateException("a leaf tensor that requires grad is being used in an in-place operation; "
                    + "wrap the update in Autograd.noGrad() (as optimizers do) or use the out-of-place form");
        if (record && self.isView())
            throw new UnsupportedOperationException("in-place operation on a view while recording gradients is not "
                    + "supported; use the out-of-place form or clone() first");
        return record;
    }

    private static Tensor writeBack(Tensor self, Tensor result, boolean record) {
        if (!Arrays.equals(result.shapeRef(), self.shapeRef()))
            throw new IllegalArgumentException("output with shape " + Shapes.str(self.shapeRef()) + " doesn't match the "
                    + "broadcast shape " + Shapes.str(result.shapeRef()));
        if (result.dtype().isFloatingPoint() && !self.dtype().isFloatingPoint())
            throw new IllegalArgumentException("result type " + result.dtype() + " can't be cast to the desired output "
                    + "type " + self.dtype());
        write(self, result);
        if (record) self.setGradFn(result.gradFn());
        return self;
    }

    private static void write(Tensor self, Tensor src) {
        Creation.backend(self).copy(self, Pointwise.operandAs(src, self.shapeRef(), self.device()));
        self.storage().bumpVersion();
    }

    public static Tensor fill(Tensor self, Number value) {
        checkNoGradLeaf(self);
        Creation.backend(self).fill(self, value);
        self.storage().bumpVersion();
        return self;
    }

    public static Tensor copy(Tensor self, Tensor src) {
        Tensor s = src;
        if (!s.device().equals(self.device())) s = s.to(self.device());
        // broadcast src to self's shape; the gradient to src is the gradient of self, summed back by the engine
        boolean record = checkRecordable(self, src);
        Tensor result = record ? Pointwise.add(Pointwise.mul(self.clone(), Creation.operand(0)), s.to(self.dtype()))
                : s;
        if (!record) {
            int[] b = Shapes.broadcast(self.shapeRef(), s.shapeRef());
            if (!Arrays.equals(b, self.shapeRef()))
                throw new IllegalArgumentException("copy_: source of shape " + Shapes.str(s.shapeRef())
                        + " can't be broadcast to the destination's shape " + Shapes.str(self.shapeRef()));
            write(self, s);
            return self;
        }
        return writeBack(self, result, true);
    }

    public static Tensor random(Tensor self, RandomOp op, double a, double b) {
        checkNoGradLeaf(self);
        if (self.isContiguous()) {
            Creation.fillRandom(self, null, op, a, b);
        } else {
            Tensor r = Creation.random(self.shapeRef(), self.dtype(), self.device(), Generator.defaultGenerator(), op, a, b);
            Creation.backend(self).copy(self, r);
        }
        self.storage().bumpVersion();
        return self;
    }

    private static void checkNoGradLeaf(Tensor self) {
        if (GradMode.isEnabled() && self.requiresGrad())
            throw new IllegalStateException("a tensor that requires grad is being used in an in-place operation; wrap "
                    + "it in Autograd.noGrad()");
    }
}
