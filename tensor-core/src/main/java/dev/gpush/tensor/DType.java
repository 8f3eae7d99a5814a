package dev.gpush.tensor;

/**
 * Element types. Rules:
 * <ul>
 *   <li>Promotion follows PyTorch: bool &lt; int32 &lt; int64 &lt; floating; float16 with bfloat16 gives float32;
 *       a float is wider than any integer, float64 is the widest.</li>
 *   <li>float16 and bfloat16 are storage formats on the CPU: values are widened to float32 to compute and rounded
 *       (to nearest even) when stored.</li>
 * </ul>
 */
public enum DType {
    BOOL("bool", 1, false, 0),
    INT32("int32", 4, false, 1),
    INT64("int64", 8, false, 2),
    FLOAT16("float16", 2, true, 3),
    BFLOAT16("bfloat16", 2, true, 3),
    FLOAT32("float32", 4, true, 4),
    FLOAT64("float64", 8, true, 5);

    public static final DType DEFAULT = FLOAT32;

    private final String label;
    private final int itemSize;   // bytes per element
    private final boolean floating;
    private final int rank;       // position in the promotion lattice

    DType(String label, int itemSize, boolean floating, int rank) {
        this.label = label;
        this.itemSize = itemSize;
        this.floating = floating;
        this.rank = rank;
    }

    public int itemSize() { return itemSize; }
    public boolean isFloatingPoint() { return floating; }
    public boolean isHalf() { return this == FLOAT16 || this == BFLOAT16; }

    /** The type two tensor operands promote to. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.rank == b.rank) return FLOAT32; // float16 with bfloat16
        return a.rank > b.rank ? a : b;
    }

    /** The type a tensor promotes to when combined with a Java scalar (which never widens a same-kind tensor). */
    public static DType promoteWithScalar(DType t, boolean scalarIsFloating) {
        if (scalarIsFloating && !t.floating) return DEFAULT;
        if (!scalarIsFloating && t == BOOL) return INT64;
        return t;
    }

    /** The type integer and bool inputs compute in when an op needs floating point (division, exp, mean...). */
    public DType toFloating() { return floating ? this : DEFAULT; }

    public static DType parse(String name) {
        for (DType d : values()) if (d.label.equals(name)) return d;
        return switch (name) {
            case "float", "f32" -> FLOAT32;
            case "double", "f64" -> FLOAT64;
            case "half", "f16" -> FLOAT16;
            case "bf16" -> BFLOAT16;
            case "long" -> INT64;
            case "int" -> INT32;
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "'");
        };
    }

    @Override public String toString() { return label; }
}
