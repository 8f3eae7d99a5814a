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

// gp_unravel, without its divisions when the operands coalesced to one dim (a cast or a comparison of contiguous
// tensors, a strided 1-d view).
__device__ __forceinline__ void gp_index(const GpShape& s, long long i, long long* idx) {
    if (s.ndim == 1) idx[0] = i;
    else gp_unravel(s, i, idx);
}

template <typename T> __device__ void gp_unary_loop(int op, const GpShape& s, const GpOperand& out, const GpOperand& a) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_index(s, i, idx);
        T x = gp_load<T>(a, gp_offset(a, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_unary<T>(op, x));
    }
}

extern "C" __global__ void unary_f32(int op, GpShape s, GpOperand out, GpOperand a) { gp_unary_loop<float>(op, s, out, a); }
extern "C" __global__ void unary_f64(int op, GpShape s, GpOperand out, GpOperand a) { gp_unary_loop<double>(op, s, out, a); }

extern "C" __global__ void unary_i64(int op, GpShape s, GpOperand out, GpOperand a) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_index(s, i, idx);
        long long x = gp_load<long long>(a, gp_offset(a, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_unary_int(op, x));
    }
}

template <typename T>
__device__ void gp_binary_loop(int op, const GpShape& s, const GpOperand& out, const GpOperand& a, const GpOperand& b) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_index(s, i, idx);
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
        gp_index(s, i, idx);
        long long x = gp_load<long long>(a, gp_offset(a, idx, s.ndim));
        long long y = gp_load<long long>(b, gp_offset(b, idx, s.ndim));
        gp_store(out, gp_offset(out, idx, s.ndim), gp_binary_int(op, x, y));
    }
}

template <typename T> __device__ void gp_where_loop(const GpShape& s, const GpOperand& out, const GpOperand& cond,
                                                   const GpOperand& a, const GpOperand& b) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_index(s, i, idx);
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
        gp_index(s, i, idx);
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
        gp_index(s, i, idx);
        gp_store(out, gp_offset(out, idx, s.ndim), value);
    }
}

extern "C" __global__ void fill_i64(GpShape s, GpOperand out, long long value) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(i, s.numel) {
        gp_index(s, i, idx);
        gp_store(out, gp_offset(out, idx, s.ndim), value);
    }
}

// ---------------------------------------------------------------- contiguous operands
// Note [contiguous kernels] (CudaContiguous picks them): when, after coalescing, out is one dim of stride 1, every
// input is either that too or a scalar read once (stride 0: a broadcast operand, a wrapped number), and all share
// one dtype, a _contig kernel runs instead of the strided one: plain pointer indexing, a grid-stride loop, and
// 16-byte vector loads and stores (4 float32 or int32, 8 float16 or bfloat16, 2 float64 or int64, 16 bool a
// vector). Elements [0, head) go one by one until every vector operand reaches a 16-byte boundary (the host checks
// they reach it together, and sets head to n when they cannot), then whole vectors, then the rest one by one.
// Loads and stores convert exactly as gp_load and gp_store do, and one dtype's compute type is Note [compute
// types]'s (float for float32, float16 and bfloat16; double for float64; long long for integers and bool), so the
// results equal the strided kernels' bit for bit.

struct GpFlat {
    long long n;         // elements
    long long head;      // elements [0, head) go one by one
    long long out;       // address of out's element 0
    long long in[3];     // addresses of the inputs' element 0
    long long step[3];   // 1: input k is read element by element; 0: it is a scalar, read once
};

struct alignas(16) GpVec16 { unsigned int w[4]; };

template <typename S> union GpPack {
    GpVec16 v;
    S e[16 / sizeof(S)];
};

// Inputs load through the read-only (non-coherent) path. A kernel may write an input only in place (out == input),
// where each element is read once, by the thread that writes it, before it writes it.
__device__ __forceinline__ GpVec16 gp_load16(const void* p) {
    GpVec16 v;
    asm("ld.global.nc.v4.u32 {%0, %1, %2, %3}, [%4];"
        : "=r"(v.w[0]), "=r"(v.w[1]), "=r"(v.w[2]), "=r"(v.w[3]) : "l"(p));
    return v;
}

__device__ __forceinline__ void gp_store16(void* p, const GpVec16& v) {
    asm volatile("st.global.v4.u32 [%0], {%1, %2, %3, %4};"
                 :: "l"(p), "r"(v.w[0]), "r"(v.w[1]), "r"(v.w[2]), "r"(v.w[3]) : "memory");
}

// A dtype's storage type S, its compute type C, and gp_load/gp_store's conversions between the two.
template <int D> struct GpType;
template <> struct GpType<GP_BOOL> {
    typedef unsigned char S; typedef long long C;
    static __device__ __forceinline__ C load(S x) { return x; }
    static __device__ __forceinline__ S store(C v) { return v != 0 ? 1 : 0; }
};
template <> struct GpType<GP_INT32> {
    typedef int S; typedef long long C;
    static __device__ __forceinline__ C load(S x) { return x; }
    static __device__ __forceinline__ S store(C v) { return (int) v; }
};
template <> struct GpType<GP_INT64> {
    typedef long long S; typedef long long C;
    static __device__ __forceinline__ C load(S x) { return x; }
    static __device__ __forceinline__ S store(C v) { return v; }
};
template <> struct GpType<GP_FLOAT16> {
    typedef unsigned short S; typedef float C;
    static __device__ __forceinline__ C load(S x) { return gp_half_to_float(x); }
    static __device__ __forceinline__ S store(C v) { return gp_float_to_half(v); }
};
template <> struct GpType<GP_BFLOAT16> {
    typedef unsigned short S; typedef float C;
    static __device__ __forceinline__ C load(S x) { return gp_bf16_to_float(x); }
    static __device__ __forceinline__ S store(C v) { return gp_float_to_bf16(v); }
};
template <> struct GpType<GP_FLOAT32> {
    typedef float S; typedef float C;
    static __device__ __forceinline__ C load(S x) { return x; }
    static __device__ __forceinline__ S store(C v) { return v; }
};
template <> struct GpType<GP_FLOAT64> {
    typedef double S; typedef double C;
    static __device__ __forceinline__ C load(S x) { return x; }
    static __device__ __forceinline__ S store(C v) { return v; }
};

// The strided kernels' formulas, picked by compute type.
__device__ __forceinline__ float gp_apply(int op, float x) { return gp_unary<float>(op, x); }
__device__ __forceinline__ double gp_apply(int op, double x) { return gp_unary<double>(op, x); }
__device__ __forceinline__ long long gp_apply(int op, long long x) { return gp_unary_int(op, x); }
__device__ __forceinline__ float gp_apply(int op, float x, float y) { return gp_binary<float>(op, x, y); }
__device__ __forceinline__ double gp_apply(int op, double x, double y) { return gp_binary<double>(op, x, y); }
__device__ __forceinline__ long long gp_apply(int op, long long x, long long y) { return gp_binary_int(op, x, y); }

// Calls one(e) for each element done alone and vec(e) for each whole vector starting at element e.
template <typename S, typename One, typename Vec>
__device__ __forceinline__ void gp_contig_loop(const GpFlat& f, One one, Vec vec) {
    const long long V = 16 / sizeof(S);
    long long start = (long long) blockIdx.x * blockDim.x + threadIdx.x, step = (long long) gridDim.x * blockDim.x;
    long long vectors = (f.n - f.head) / V, tail = f.head + vectors * V, alone = f.head + (f.n - tail);
    for (long long i = start; i < alone; i += step) one(i < f.head ? i : tail + (i - f.head));
    for (long long v = start; v < vectors; v += step) vec(f.head + v * V);
}

template <int D> __device__ __forceinline__ void gp_unary_contig(int op, const GpFlat& f) {
    typedef GpType<D> T;
    typedef typename T::S S;
    S* out = (S*) f.out;
    const S* a = (const S*) f.in[0];
    gp_contig_loop<S>(f,
        [&](long long e) { out[e] = T::store(gp_apply(op, T::load(a[e]))); },
        [&](long long e) {
            GpPack<S> x, r;
            x.v = gp_load16(a + e);
            #pragma unroll
            for (int k = 0; k < (int) (16 / sizeof(S)); k++) r.e[k] = T::store(gp_apply(op, T::load(x.e[k])));
            gp_store16(out + e, r.v);
        });
}

// OP >= 0 is op as a constant, so only its case of the formula is compiled into the loop; -1 keeps op as given.
template <int D, int OP> __device__ __forceinline__ void gp_binary_contig(int op, const GpFlat& f) {
    typedef GpType<D> T;
    typedef typename T::S S;
    typedef typename T::C C;
    if (OP >= 0) op = OP;
    S* out = (S*) f.out;
    const S* a = (const S*) f.in[0];
    const S* b = (const S*) f.in[1];
    const bool sa = f.step[0] == 0, sb = f.step[1] == 0;
    const C a0 = sa ? T::load(a[0]) : (C) 0, b0 = sb ? T::load(b[0]) : (C) 0;
    gp_contig_loop<S>(f,
        [&](long long e) { out[e] = T::store(gp_apply(op, sa ? a0 : T::load(a[e]), sb ? b0 : T::load(b[e]))); },
        [&](long long e) {
            GpPack<S> x, y, r;
            if (!sa) x.v = gp_load16(a + e);
            if (!sb) y.v = gp_load16(b + e);
            #pragma unroll
            for (int k = 0; k < (int) (16 / sizeof(S)); k++)
                r.e[k] = T::store(gp_apply(op, sa ? a0 : T::load(x.e[k]), sb ? b0 : T::load(y.e[k])));
            gp_store16(out + e, r.v);
        });
}

template <int D> __device__ __forceinline__ void gp_binary_contig_any(int op, const GpFlat& f) {
    switch (op) {   // the commonest ops get loops of their own
        case B_ADD: gp_binary_contig<D, B_ADD>(op, f); break;
        case B_SUB: gp_binary_contig<D, B_SUB>(op, f); break;
        case B_MUL: gp_binary_contig<D, B_MUL>(op, f); break;
        case B_DIV: gp_binary_contig<D, B_DIV>(op, f); break;
        default: gp_binary_contig<D, -1>(op, f); break;
    }
}

// value is already in the compute type, converted as fill_f64 and fill_i64 convert it.
template <int D> __device__ __forceinline__ void gp_fill_contig(const GpFlat& f, typename GpType<D>::C value) {
    typedef typename GpType<D>::S S;
    S* out = (S*) f.out;
    const S s = GpType<D>::store(value);
    GpPack<S> all;
    #pragma unroll
    for (int k = 0; k < (int) (16 / sizeof(S)); k++) all.e[k] = s;
    gp_contig_loop<S>(f, [&](long long e) { out[e] = s; }, [&](long long e) { gp_store16(out + e, all.v); });
}

#define GP_CONTIG_KERNELS(NAME, D, VALUE) \
    extern "C" __global__ void unary_contig_##NAME(int op, GpFlat f) { gp_unary_contig<D>(op, f); } \
    extern "C" __global__ void binary_contig_##NAME(int op, GpFlat f) { gp_binary_contig_any<D>(op, f); } \
    extern "C" __global__ void fill_contig_##NAME(GpFlat f, VALUE value) { \
        gp_fill_contig<D>(f, (typename GpType<D>::C) value); \
    }

GP_CONTIG_KERNELS(b8, GP_BOOL, long long)
GP_CONTIG_KERNELS(i32, GP_INT32, long long)
GP_CONTIG_KERNELS(i64, GP_INT64, long long)
GP_CONTIG_KERNELS(f16, GP_FLOAT16, double)
GP_CONTIG_KERNELS(bf16, GP_BFLOAT16, double)
GP_CONTIG_KERNELS(f32, GP_FLOAT32, double)
GP_CONTIG_KERNELS(f64, GP_FLOAT64, double)

// A copy between contiguous operands of one dtype moves the bytes as they are, as System.arraycopy does on the CPU
// (so NaN payloads survive); a scalar source (step 0) is repeated. S is an unsigned type of the dtype's size.
template <typename S> __device__ __forceinline__ void gp_copy_contig(const GpFlat& f) {
    S* out = (S*) f.out;
    const S* src = (const S*) f.in[0];
    const bool scalar = f.step[0] == 0;
    GpPack<S> all;
    #pragma unroll
    for (int k = 0; k < (int) (16 / sizeof(S)); k++) all.e[k] = scalar ? src[0] : (S) 0;
    gp_contig_loop<S>(f,
        [&](long long e) { out[e] = src[scalar ? 0 : e]; },
        [&](long long e) { gp_store16(out + e, scalar ? all.v : gp_load16(src + e)); });
}

extern "C" __global__ void copy_contig(int itemSize, GpFlat f) {
    switch (itemSize) {
        case 1: gp_copy_contig<unsigned char>(f); break;
        case 2: gp_copy_contig<unsigned short>(f); break;
        case 4: gp_copy_contig<unsigned int>(f); break;
        default: gp_copy_contig<unsigned long long>(f); break;
    }
}
