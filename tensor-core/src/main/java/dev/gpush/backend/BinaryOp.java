package dev.gpush.backend;

/** Elementwise primitives of two broadcast operands. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, REMAINDER, ATAN2,
    EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR;

    /** Comparisons and logical ops: bool result, computed in the operands' promoted type. */
    public boolean returnsBool() { return ordinal() >= EQ.ordinal(); }

    /** True division and atan2 always compute in floating point, as in PyTorch. */
    public boolean needsFloat() { return this == DIV || this == ATAN2; }
}
