package dev.gpush.io;

import dev.gpush.tensor.DType;

/**
 * An element type as a file stores it, and the gpush dtype it loads as.
 *
 * <p>gpush has no 8- or 16-bit integers and no unsigned types, so those load widened to a dtype that holds every
 * value exactly: int8, uint8, int16 and uint16 as int32, uint32 as int64. uint64 loads as int64 when every value
 * fits and is refused otherwise. Writing uses only the types gpush has, so a save never changes a value or a dtype.
 */
enum StoredType {
    // declared in the order safetensors sorts tensors when writing: larger alignment first (its Dtype enum reversed)
    U64("U64", "u8", 8, DType.INT64),
    I64("I64", "i8", 8, DType.INT64),
    F64("F64", "f8", 8, DType.FLOAT64),
    F32("F32", "f4", 4, DType.FLOAT32),
    U32("U32", "u4", 4, DType.INT64),
    I32("I32", "i4", 4, DType.INT32),
    BF16("BF16", null, 2, DType.BFLOAT16),
    F16("F16", "f2", 2, DType.FLOAT16),
    U16("U16", "u2", 2, DType.INT32),
    I16("I16", "i2", 2, DType.INT32),
    I8("I8", "i1", 1, DType.INT32),
    U8("U8", "u1", 1, DType.INT32),
    BOOL("BOOL", "b1", 1, DType.BOOL);

    /** safetensors dtypes that exist but that gpush cannot hold (8-bit and smaller floats, complex). */
    static final String UNSUPPORTED_SAFETENSORS = "F8_E5M2 F8_E4M3 F8_E8M0 F6_E2M3 F6_E3M2 F4 C64";

    final String safetensorsName;
    final String npyCode;      // kind and size of a NumPy descr without the byte-order character; null: none
    final int itemSize;        // bytes per element
    final DType dtype;         // what it loads as

    StoredType(String safetensorsName, String npyCode, int itemSize, DType dtype) {
        this.safetensorsName = safetensorsName;
        this.npyCode = npyCode;
        this.itemSize = itemSize;
        this.dtype = dtype;
    }

    /** The stored type of a gpush dtype. */
    static StoredType of(DType dtype) {
        return switch (dtype) {
            case BOOL -> BOOL;
            case INT32 -> I32;
            case INT64 -> I64;
            case FLOAT16 -> F16;
            case BFLOAT16 -> BF16;
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
        };
    }

    /** The type of a safetensors dtype name, or null when there is none. */
    static StoredType ofSafetensors(String name) {
        for (StoredType t : values()) if (t.safetensorsName.equals(name)) return t;
        return null;
    }

    /** The type of a NumPy kind-and-size code such as "f4", or null when gpush cannot load it. */
    static StoredType ofNpy(String code) {
        for (StoredType t : values()) if (code.equals(t.npyCode)) return t;
        return null;
    }
}
