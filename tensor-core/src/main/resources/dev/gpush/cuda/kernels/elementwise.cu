// Elementwise kernels over strided operands broadcast to one shape: unary, binary, where, fill and copy/cast.
// Each comes in three compute types, chosen on the host (CudaElementwise): _f32 (float32, float16, bfloat16 and
// bool), _f64 (whenever float64 or an integer takes part in floating point math) and _i64 (integers and bool).
// The formulas are the CPU backend's (CpuMath), so the two agree to rounding.

// UnaryOp ordinals
#define U_NEG 0
#define U_ABS 1
#define U_SIGN 2
#define U_RECIPROCAL 3
#define U_EXP 4
#define U_LOG 5
#define U_LOG1P 6
#define U_EXPM1 7
#define U_SQRT 8
#define U_RSQRT 9
#define U_SIN 10
#define U_COS 11
#define U_TANH 12
#define U_SIGMOID 13
#define U_ERF 14
#define U_RELU 15
#define U_GELU 16
#define U_GELU_TANH 17
#define U_SILU 18
#define U_SOFTPLUS 19
#define U_FLOOR 20
#define U_CEIL 21
#define U_ROUND 22
#define U_TRUNC 23
#define U_LOGICAL_NOT 24
#define U_ISNAN 25

// BinaryOp ordinals
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_POW 4
#define B_MAXIMUM 5
#define B_MINIMUM 6
#define B_REMAINDER 7
#define B_ATAN2 8
#define B_EQ 9
#define B_NE 10
#define B_LT 11
#define B_LE 12
#define B_GT 13
#define B_GE 14
#define B_LOGICAL_AND 15
#define B_LOGICAL_OR 16
#define B_LOGICAL_XOR 17

template <typename T> __device__ T gp_unary(int op, T x) {
    const T one = 1, half = 0.5;
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_SIGN: return x > 0 ? one : x < 0 ? -one : x;   // keeps NaN and signed zero, as Math.signum
        case U_RECIPROCAL: return one / x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_LOG1P: return log1p(x);
        case U_EXPM1: return expm1(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return one / sqrt(x);
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return one / (one + exp(-x));
        case U_ERF: return erf(x);
        case U_RELU: return x <= 0 ? (T) 0 : x;
        case U_GELU: return half * x * (one + erf(x * (T) 0.70710678118654752440));
        case U_GELU_TANH: return half * x * (one + tanh((T) 0.79788456080286535588 * (x + (T) 0.044715 * x * x * x)));
        case U_SILU: return x / (one + exp(-x));
        case U_SOFTPLUS: return x > 20 ? x : log1p(exp(x));   // PyTorch's threshold 20
        case U_FLOOR: return floor(x);
        case U_CEIL: return ceil(x);
        case U_ROUND: return rint(x);                          // half to even, as Math.rint
        case U_TRUNC: return trunc(x);
        case U_LOGICAL_NOT: return x == 0 ? one : (T) 0;
        case U_ISNAN: return x != x ? one : (T) 0;
        default: return x;
    }
}

__device__ long long gp_unary_int(int op, long long x) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return x < 0 ? -x : x;
        case U_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
        case U_RELU: return x > 0 ? x : 0;
        case U_LOGICAL_NOT: return x == 0 ? 1 : 0;
        case U_ISNAN: return 0;
        default: return x;   // floor, ceil, round, trunc
    }
}

// Math.max/min: NaN wins, and +0 is larger than -0.
template <typename T> __device__ T gp_max(T x, T y) {
    if (x != x) return x;
    if (y != y) return y;
    if (x == y) return signbit(x) ? y : x;
    return x > y ? x : y;
}

template <typename T> __device__ T gp_min(T x, T y) {
    if (x != x) return x;
    if (y != y) return y;
    if (x == y) return signbit(x) ? x : y;
    return x < y ? x : y;
}

template <typename T> __device__ T gp_binary(int op, T x, T y) {
    const T one = 1, zero = 0;
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_POW: return pow(x, y);
        case B_MAXIMUM: return gp_max(x, y);
        case B_MINIMUM: return gp_min(x, y);
        case B_REMAINDER: {   // Python's modulo: the sign of the divisor (CpuMath's formula)
            T m = fmod(x, y);
            return m != 0 && ((m < 0) != (y < 0)) ? m + y : m;
        }
        case B_ATAN2: return atan2(x, y);
        case B_EQ: return x == y ? one : zero;
        case B_NE: return x != y ? one : zero;
        case B_LT: return x < y ? one : zero;
        case B_LE: return x <= y ? one : zero;
        case B_GT: return x > y ? one : zero;
        case B_GE: return x >= y ? one : zero;
        case B_LOGICAL_AND: return x != 0 && y != 0 ? one : zero;
        case B_LOGICAL_OR: return x != 0 || y != 0 ? one : zero;
        case B_LOGICAL_XOR: return (x != 0) != (y != 0) ? one : zero;
        default: return x;
    }
}

// Integer division by zero and negative powers raise on the CPU; a kernel cannot, so they give 0 here.
__device__ long long gp_binary_int(int op, long long x, long long y) {
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_POW: {
            if (y < 0) return 0;
            long long r = 1, b = x;
            for (long long e = y; e > 0; e >>= 1, b *= b) if (e & 1) r *= b;
            return r;
        }
        case B_MAXIMUM: return x > y ? x : y;
        case B_MINIMUM: return x < y ? x : y;
        case B_REMAINDER: {
            if (y == 0) return 0;
            long long m = x % y;
            return m != 0 && ((m < 0) != (y < 0)) ? m + y : m;
        }
        case B_EQ: return x == y;
        case B_NE: return x != y;
        case B_LT: return x < y;
        case B_LE: return x <= y;
        case B_GT: return x > y;
        case B_GE: return x >= y;
        case B_LOGICAL_AND: return x != 0 && y != 0;
        case B_LOGICAL_OR: return x != 0 || y != 0;
        case B_LOGICAL_XOR: return (x != 0) != (y != 0);
        default: return 0;
    }
}

template <typename T> __device__ void gp_unary_loop(int op, const GpShape& s, const GpOperand& out, const GpOperand& a) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        T x = gp_load<T>(a, gp_offset(a, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_unary<T>(op, x));
    }
}

extern "C" __global__ void unary_f32(int op, GpShape s, GpOperand out, GpOperand a) { gp_unary_loop<float>(op, s, out, a); }
extern "C" __global__ void unary_f64(int op, GpShape s, GpOperand out, GpOperand a) { gp_unary_loop<double>(op, s, out, a); }

extern "C" __global__ void unary_i64(int op, GpShape s, GpOperand out, GpOperand a) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        long long x = gp_load<long long>(a, gp_offset(a, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_unary_int(op, x));
    }
}

template <typename T>
__device__ void gp_binary_loop(int op, const GpShape& s, const GpOperand& out, const GpOperand& a, const GpOperand& b) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        T x = gp_load<T>(a, gp_offset(a, idx, s.ndim));
        T y = gp_load<T>(b, gp_offset(b, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_binary<T>(op, x, y));
    }
}

extern "C" __global__ void binary_f32(int op, GpShape s, GpOperand out, GpOperand a, GpOperand b) {
    gp_binary_loop<float>(op, s, out, a, b);
}
extern "C" __global__ void binary_f64(int op, GpShape s, GpOperand out, GpOperand a, GpOperand b) {
    gp_binary_loop<double>(op, s, out, a, b);
}

extern "C" __global__ void binary_i64(int op, GpShape s, GpOperand out, GpOperand a, GpOperand b) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        long long x = gp_load<long long>(a, gp_offset(a, idx, s.ndim));
        long long y = gp_load<long long>(b, gp_offset(b, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_binary_int(op, x, y));
    }
}

template <typename T> __device__ void gp_where_loop(const GpShape& s, const GpOperand& out, const GpOperand& cond,
                                                   const GpOperand& a, const GpOperand& b) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        bool c = gp_load<double>(cond, gp_offset(cond, idx, s.ndim)) != 0;
        T v = c ? gp_load<T>(a, gp_offset(a, idx, s.ndim)) : gp_load<T>(b, gp_offset(b, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), v);
    }
}

extern "C" __global__ void where_f32(GpShape s, GpOperand out, GpOperand cond, GpOperand a, GpOperand b) {
    gp_where_loop<float>(s, out, cond, a, b);
}
extern "C" __global__ void where_f64(GpShape s, GpOperand out, GpOperand cond, GpOperand a, GpOperand b) {
    gp_where_loop<double>(s, out, cond, a, b);
}
extern "C" __global__ void where_i64(GpShape s, GpOperand out, GpOperand cond, GpOperand a, GpOperand b) {
    gp_where_loop<long long>(s, out, cond, a, b);
}

template <typename T> __device__ void gp_copy_loop(const GpShape& s, const GpOperand& out, const GpOperand& src) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        gp_store(out, gp_offset(out, idx, s.ndim), gp_load<T>(src, gp_offset(src, idx, s.ndim)));
    }
}

// Copy with cast, strided to strided (strided to contiguous is the common case: .contiguous(), .to(dtype)).
extern "C" __global__ void copy_f32(GpShape s, GpOperand out, GpOperand src) { gp_copy_loop<float>(s, out, src); }
extern "C" __global__ void copy_f64(GpShape s, GpOperand out, GpOperand src) { gp_copy_loop<double>(s, out, src); }
extern "C" __global__ void copy_i64(GpShape s, GpOperand out, GpOperand src) { gp_copy_loop<long long>(s, out, src); }

extern "C" __global__ void fill_f64(GpShape s, GpOperand out, double value) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        gp_store(out, gp_offset(out, idx, s.ndim), value);
    }
}

extern "C" __global__ void fill_i64(GpShape s, GpOperand out, long long value) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_unravel(s, i, idx);
        gp_store(out, gp_offset(out, idx, s.ndim), value);
    }
}
