package dev.gpush.ops;

import dev.gpush.autograd.Graph;
import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * Elementwise ops. Each op is its forward call and, beside it, the gradient of each input written with tensor
 * ops, so that gradients are themselves differentiable (higher-order autograd).
 */
public final class Pointwise {
    private Pointwise() {}

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    // ---------------------------------------------------------------- type promotion and dispatch

    /** PyTorch's result_type: tensors with dims outrank 0-dim tensors, which outrank Java numbers, within a kind. */
    public static DType resultType(Tensor a, Tensor b) {
        DType dims = null, zero = null, wrapped = null;
        for (Tensor t : new Tensor[]{a, b}) {
            DType d = t.isWrappedNumber() ? (t.dtype().isFloatingPoint() ? DType.DEFAULT : t.dtype()) : t.dtype();
            if (t.isWrappedNumber()) wrapped = wrapped == null ? d : DType.promote(wrapped, d);
            else if (t.dim() == 0) zero = zero == null ? d : DType.promote(zero, d);
            else dims = dims == null ? d : DType.promote(dims, d);
        }
        return combine(dims, combine(zero, wrapped));
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null) return higher;
        if (higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || lower.isFloatingPoint()) return DType.promote(higher, lower);
        return higher;
    }

    /** The device of the result; a 0-dim CPU tensor may join a tensor on any device, as in PyTorch. */
    static Device device(Tensor a, Tensor b) {
        Device da = a.device(), db = b.device();
        if (da.equals(db)) return da;
        if (a.dim() == 0 && da.isCpu()) return db;
        if (b.dim() == 0 && db.isCpu()) return da;
        throw new IllegalArgumentException("expected all tensors on one device, got " + da + " and " + db);
    }

    /** {@code t} read as a tensor of {@code shape} on {@code device} (broadcast strides), for a backend call. */
    static Tensor operandAs(Tensor t, int[] shape, Device device) {
        if (!t.device().equals(device)) t = t.to(device);
        if (java.util.Arrays.equals(t.shapeRef(), shape)) return t;
        return Tensor.borrow(t, shape, Shapes.broadcastStrides(t.shapeRef(), t.strideRef(), shape), t.storageOffset());
    }

    static Tensor binaryForward(BinaryOp op, Tensor a, Tensor b, DType out) {
        Device dev = device(a, b);
        int[] shape = Shapes.broadcast(a.shapeRef(), b.shapeRef());
        Tensor r = Creation.empty(shape, out, dev);
        Creation.backend(r).binary(op, r, operandAs(a, shape, dev), operandAs(b, shape, dev));
        return r;
    }

    /** Arithmetic: result in the promoted type (floating for true division). */
    static Tensor arith(BinaryOp op, Tensor a, Tensor b) {
        DType t = resultType(a, b);
        if (op.needsFloat()) t = t.toFloating();
        if (t == DType.BOOL && (op == BinaryOp.SUB))
            throw new IllegalArgumentException("subtraction of bool tensors is not supported; use logicalXor()");
        // a Java number takes the result's type first, so float32 math stays float32 math
        if (a.isWrappedNumber() && a.dtype() != t) a = a.to(t);
        if (b.isWrappedNumber() && b.dtype() != t) b = b.to(t);
        return binaryForward(op, a, b, t);
    }

    static Tensor unaryForward(UnaryOp op, Tensor a) {
        DType out = op.returnsBool() ? DType.BOOL
                : op.keepsIntegers() ? a.dtype() == DType.BOOL ? DType.INT64 : a.dtype()
                : a.dtype().toFloating();
        Tensor r = Creation.empty(a.shapeRef(), out, a.device());
        Creation.backend(r).unary(op, r, a);
        return r;
    }

    private static Tensor zerosOf(Tensor g) { return Tensor.zerosLike(g); }

    // ---------------------------------------------------------------- binary arithmetic

    public static Tensor add(Tensor a, Tensor b) {
        return Graph.record("add", arith(BinaryOp.ADD, a, b), a, g -> g, b, g -> g);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return Graph.record("sub", arith(BinaryOp.SUB, a, b), a, g -> g, b, Tensor::neg);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return Graph.record("mul", arith(BinaryOp.MUL, a, b), a, g -> g.mul(b), b, g -> g.mul(a), a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return Graph.record("div", arith(BinaryOp.DIV, a, b),
                a, g -> g.div(b),
                b, g -> g.mul(a).div(b.mul(b)).neg(), a, b);
    }

    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = arith(BinaryOp.POW, a, b);
        return Graph.record("pow", out,
                // d/da a^b = b * a^(b-1), taken as 0 where b == 0 (else 0 * 0^-1 is NaN at a == 0), as in PyTorch
                a, g -> where(b.eq(Creation.operand(0)), Creation.operand(0.0),
                        g.mul(b).mul(pow(a, b.sub(Creation.operand(1))))),
                // d/db a^b = a^b * log(a), taken as 0 where a == 0 (PyTorch's convention)
                b, g -> where(a.eq(Creation.operand(0)), Creation.operand(0.0), g.mul(out).mul(log(a))),
                a, b, out);
    }

    public static Tensor remainder(Tensor a, Tensor b) {
        return Graph.record("remainder", arith(BinaryOp.REMAINDER, a, b),
                a, g -> g,
                b, g -> g.mul(floor(a.div(b))).neg(), a, b);
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        return extremum(BinaryOp.MAXIMUM, "maximum", a, b);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return extremum(BinaryOp.MINIMUM, "minimum", a, b);
    }

    // ties share the gradient equally, as in PyTorch
    private static Tensor extremum(BinaryOp op, String name, Tensor a, Tensor b) {
        BinaryOp wins = op == BinaryOp.MAXIMUM ? BinaryOp.GT : BinaryOp.LT;
        return Graph.record(name, arith(op, a, b),
                a, g -> g.mul(tieShare(compare(wins, a, b), a.eq(b), g.dtype())),
                b, g -> g.mul(tieShare(compare(wins, b, a), a.eq(b), g.dtype())), a, b);
    }

    private static Tensor tieShare(Tensor win, Tensor tie, DType dtype) {
        return win.to(dtype).add(tie.to(dtype).mul(Creation.operand(0.5)));
    }

    public static Tensor atan2(Tensor a, Tensor b) {
        return Graph.record("atan2", arith(BinaryOp.ATAN2, a, b),
                a, g -> g.mul(b).div(a.mul(a).add(b.mul(b))),
                b, g -> g.mul(a).neg().div(a.mul(a).add(b.mul(b))), a, b);
    }

    /** Comparisons and logical ops: bool, never differentiable. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        if (!op.returnsBool()) throw new IllegalArgumentException(op + " is not a comparison");
        DType t = resultType(a, b);
        if (a.isWrappedNumber() && a.dtype() != t) a = a.to(t);
        if (b.isWrappedNumber() && b.dtype() != t) b = b.to(t);
        return binaryForward(op, a, b, DType.BOOL);
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL)
            throw new IllegalArgumentException("where: expected condition to be a bool tensor, got " + cond.dtype());
        DType t = resultType(a, b);
        if (a.isWrappedNumber() && a.dtype() != t) a = a.to(t);
        if (b.isWrappedNumber() && b.dtype() != t) b = b.to(t);
        Device dev = device(device(cond, a) == cond.device() ? cond : a, b);
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shapeRef(), a.shapeRef()), b.shapeRef());
        Tensor out = Creation.empty(shape, t, dev);
        Creation.backend(out).where(out, operandAs(cond, shape, dev), operandAs(a, shape, dev), operandAs(b, shape, dev));
        Tensor ca = a, cb = b;
        return Graph.record("where", out, new Tensor[]{cond, ca, cb}, new dev.gpush.autograd.Node.Grad[]{
                null,
                g -> where(cond, g, Creation.operand(0).to(g.dtype())),
                g -> where(cond, Creation.operand(0).to(g.dtype()), g)}, cond);
    }

    // ---------------------------------------------------------------- unary math

    public static Tensor neg(Tensor a) {
        if (a.dtype() == DType.BOOL) throw new IllegalArgumentException("negation of a bool tensor is not supported; use logicalNot()");
        return Graph.record("neg", unaryForward(UnaryOp.NEG, a), a, Tensor::neg);
    }

    public static Tensor abs(Tensor a) {
        return Graph.record("abs", unaryForward(UnaryOp.ABS, a), a, g -> g.mul(sign(a)), a);
    }

    public static Tensor sign(Tensor a) {
        return Graph.record("sign", unaryForward(UnaryOp.SIGN, a), a, Pointwise::zerosOf);
    }

    public static Tensor reciprocal(Tensor a) {
        Tensor out = unaryForward(UnaryOp.RECIPROCAL, a);
        return Graph.record("reciprocal", out, a, g -> g.mul(out).mul(out).neg(), out);
    }

    public static Tensor exp(Tensor a) {
        Tensor out = unaryForward(UnaryOp.EXP, a);
        return Graph.record("exp", out, a, g -> g.mul(out), out);
    }

    public static Tensor expm1(Tensor a) {
        Tensor out = unaryForward(UnaryOp.EXPM1, a);
        return Graph.record("expm1", out, a, g -> g.mul(out.add(Creation.operand(1))), out);
    }

    public static Tensor log(Tensor a) {
        return Graph.record("log", unaryForward(UnaryOp.LOG, a), a, g -> g.div(a), a);
    }

    public static Tensor log1p(Tensor a) {
        return Graph.record("log1p", unaryForward(UnaryOp.LOG1P, a), a, g -> g.div(a.add(Creation.operand(1))), a);
    }

    public static Tensor sqrt(Tensor a) {
        Tensor out = unaryForward(UnaryOp.SQRT, a);
        return Graph.record("sqrt", out, a, g -> g.div(out.mul(Creation.operand(2))), out);
    }

    public static Tensor rsqrt(Tensor a) {
        Tensor out = unaryForward(UnaryOp.RSQRT, a);
        return Graph.record("rsqrt", out, a, g -> g.mul(out.mul(out).mul(out)).mul(Creation.operand(-0.5)), out);
    }

    public static Tensor sin(Tensor a) {
        return Graph.record("sin", unaryForward(UnaryOp.SIN, a), a, g -> g.mul(cos(a)), a);
    }

    public static Tensor cos(Tensor a) {
        return Graph.record("cos", unaryForward(UnaryOp.COS, a), a, g -> g.mul(sin(a)).neg(), a);
    }

    public static Tensor tanh(Tensor a) {
        Tensor out = unaryForward(UnaryOp.TANH, a);
        return Graph.record("tanh", out, a, g -> g.mul(out.mul(out).rsub(1)), out);
    }

    public static Tensor sigmoid(Tensor a) {
        Tensor out = unaryForward(UnaryOp.SIGMOID, a);
        return Graph.record("sigmoid", out, a, g -> g.mul(out).mul(out.rsub(1)), out);
    }

    public static Tensor erf(Tensor a) {
        return Graph.record("erf", unaryForward(UnaryOp.ERF, a), a,
                g -> g.mul(exp(a.mul(a).neg())).mul(Creation.operand(2 / Math.sqrt(Math.PI))), a);
    }

    public static Tensor relu(Tensor a) {
        Tensor out = unaryForward(UnaryOp.RELU, a);
        return Graph.record("relu", out, a, g -> g.mul(compare(BinaryOp.GT, out, Creation.operand(0)).to(g.dtype())), out);
    }

    public static Tensor gelu(Tensor a, boolean tanhApproximation) {
        if (tanhApproximation) {
            return Graph.record("gelu", unaryForward(UnaryOp.GELU_TANH, a), a, g -> {
                // y = x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3)
                Tensor x2 = a.mul(a);
                Tensor t = tanh(a.mul(x2.mul(Creation.operand(0.044715)).add(Creation.operand(1)))
                        .mul(Creation.operand(SQRT_2_OVER_PI)));
                Tensor du = x2.mul(Creation.operand(3 * 0.044715)).add(Creation.operand(1)).mul(Creation.operand(SQRT_2_OVER_PI));
                Tensor d = t.add(Creation.operand(1)).mul(Creation.operand(0.5))
                        .add(a.mul(Creation.operand(0.5)).mul(t.mul(t).rsub(1)).mul(du));
                return g.mul(d);
            }, a);
        }
        return Graph.record("gelu", unaryForward(UnaryOp.GELU, a), a, g -> {
            // d/dx x Φ(x) = Φ(x) + x φ(x)
            Tensor cdf = erf(a.mul(Creation.operand(1 / Math.sqrt(2)))).add(Creation.operand(1)).mul(Creation.operand(0.5));
            Tensor pdf = exp(a.mul(a).mul(Creation.operand(-0.5))).mul(Creation.operand(INV_SQRT_2PI));
            return g.mul(cdf.add(a.mul(pdf)));
        }, a);
    }

    public static Tensor silu(Tensor a) {
        return Graph.record("silu", unaryForward(UnaryOp.SILU, a), a, g -> {
            Tensor s = sigmoid(a);
            return g.mul(s.mul(a.mul(s.rsub(1)).add(Creation.operand(1))));
        }, a);
    }

    public static Tensor softplus(Tensor a) {
        return Graph.record("softplus", unaryForward(UnaryOp.SOFTPLUS, a), a, g -> g.mul(sigmoid(a)), a);
    }

    public static Tensor floor(Tensor a) { return rounding(UnaryOp.FLOOR, "floor", a); }
    public static Tensor ceil(Tensor a) { return rounding(UnaryOp.CEIL, "ceil", a); }
    public static Tensor round(Tensor a) { return rounding(UnaryOp.ROUND, "round", a); }
    public static Tensor trunc(Tensor a) { return rounding(UnaryOp.TRUNC, "trunc", a); }

    private static Tensor rounding(UnaryOp op, String name, Tensor a) {
        return Graph.record(name, unaryForward(op, a), a, Pointwise::zerosOf);
    }

    public static Tensor logicalNot(Tensor a) { return unaryForward(UnaryOp.LOGICAL_NOT, a); }

    public static Tensor isnan(Tensor a) { return unaryForward(UnaryOp.ISNAN, a); }

    /** Clamps into [min, max]; either bound may be null. The gradient passes where the input is inside. */
    public static Tensor clamp(Tensor a, Number min, Number max) {
        if (min == null && max == null) throw new IllegalArgumentException("clamp: at least one of min and max must be given");
        Tensor out;
        try (var ng = dev.gpush.autograd.GradMode.disable()) {
            out = a;
            if (min != null) out = maximum(out, Creation.operand(min));
            if (max != null) out = minimum(out, Creation.operand(max));
            if (out == a) out = a.clone();
        }
        return Graph.record("clamp", out, a, g -> {
            Tensor inside = Creation.full(a.shapeRef(), 1, DType.BOOL, a.device());
            if (min != null) inside = inside.logicalAnd(compare(BinaryOp.GE, a, Creation.operand(min)));
            if (max != null) inside = inside.logicalAnd(compare(BinaryOp.LE, a, Creation.operand(max)));
            return g.mul(inside.to(g.dtype()));
        }, a);
    }
}
