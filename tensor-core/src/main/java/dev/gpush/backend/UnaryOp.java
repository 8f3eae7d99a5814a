package dev.gpush.backend;

/** Elementwise primitives of one operand. Each backend implements every one; the ops build the rest from them. */
public enum UnaryOp {
    NEG, ABS, SIGN, RECIPROCAL, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TANH, SIGMOID, ERF,
    RELU, GELU, GELU_TANH, SILU, SOFTPLUS, FLOOR, CEIL, ROUND, TRUNC, LOGICAL_NOT, ISNAN;

    /** Ops whose result is bool whatever the input. */
    public boolean returnsBool() { return this == LOGICAL_NOT || this == ISNAN; }

    /** Ops that keep integer inputs integer (the others compute in floating point). */
    public boolean keepsIntegers() {
        return switch (this) {
            case NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, TRUNC -> true;
            default -> false;
        };
    }
}
