// gpush kernel prelude: KernelSource puts this text before every kernel source, and CI compiles the two together
// with nvcc exactly as NVRTC compiles them at run time. Rules:
//  - No #include anywhere: NVRTC 13 has no CUDA headers built in (shared/CUDA-NOTES.md), so float16 and bfloat16
//    are stored as unsigned short and converted here, with inline PTX where the hardware has an instruction.
//  - dtype codes are dev.gpush.tensor.DType ordinals; op codes are UnaryOp/BinaryOp/ReduceOp/RandomOp ordinals
//    (KernelSourceTest holds the two sides to each other).
//  - A tensor operand is a GpOperand passed by value: the address of its element 0 (storage offset included),
//    its dtype and its strides in elements over the shared iteration shape GpShape. All fields are 64-bit, so the
//    Java side (KernelArgs) lays the structs out with no padding question.

#define GP_BOOL 0
#define GP_INT32 1
#define GP_INT64 2
#define GP_FLOAT16 3
#define GP_BFLOAT16 4
#define GP_FLOAT32 5
#define GP_FLOAT64 6

#define GP_MAX_DIMS 8

struct GpShape {
    long long ndim;
    long long numel;
    long long size[GP_MAX_DIMS];
};

struct GpOperand {
    long long data;
    long long dtype;
    long long stride[GP_MAX_DIMS];
};

__device__ __forceinline__ float gp_half_to_float(unsigned short h) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}

__device__ __forceinline__ unsigned short gp_float_to_half(float f) {
    unsigned short h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
}

__device__ __forceinline__ float gp_bf16_to_float(unsigned short b) {
    return __uint_as_float(((unsigned int) b) << 16);
}

// Rounds to nearest even; NaN becomes 0x7FC0, as the CPU backend's Typed.toBf16 does.
__device__ __forceinline__ unsigned short gp_float_to_bf16(float f) {
    if (f != f) return 0x7FC0;
#if __CUDA_ARCH__ >= 800
    unsigned short r;
    asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(r) : "f"(f));
    return r;
#else
    unsigned int bits = __float_as_uint(f);
    return (unsigned short) ((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
#endif
}

// The multi-index of linear position i (row-major over the shape) into idx.
__device__ __forceinline__ void gp_unravel(const GpShape& s, long long i, long long* idx) {
    for (int d = (int) s.ndim - 1; d >= 0; d--) {
        long long size = s.size[d];
        idx[d] = i % size;
        i /= size;
    }
}

__device__ __forceinline__ long long gp_offset(const GpOperand& o, const long long* idx, long long ndim) {
    long long off = 0;
    for (int d = 0; d < (int) ndim; d++) off += idx[d] * o.stride[d];
    return off;
}

// Loads convert any dtype to the compute type; stores round the compute type to the operand's dtype, the way the
// CPU backend's Typed.load/store do (a float64 value bound for float16/bfloat16 is rounded to float first).
template <typename T> __device__ T gp_load(const GpOperand& o, long long off);

template <> __device__ __forceinline__ double gp_load<double>(const GpOperand& o, long long off) {
    switch ((int) o.dtype) {
        case GP_BOOL: return ((const unsigned char*) o.data)[off];
        case GP_INT32: return ((const int*) o.data)[off];
        case GP_INT64: return (double) ((const long long*) o.data)[off];
        case GP_FLOAT16: return gp_half_to_float(((const unsigned short*) o.data)[off]);
        case GP_BFLOAT16: return gp_bf16_to_float(((const unsigned short*) o.data)[off]);
        case GP_FLOAT32: return ((const float*) o.data)[off];
        default: return ((const double*) o.data)[off];
    }
}

template <> __device__ __forceinline__ float gp_load<float>(const GpOperand& o, long long off) {
    switch ((int) o.dtype) {
        case GP_BOOL: return ((const unsigned char*) o.data)[off];
        case GP_INT32: return (float) ((const int*) o.data)[off];
        case GP_INT64: return (float) ((const long long*) o.data)[off];
        case GP_FLOAT16: return gp_half_to_float(((const unsigned short*) o.data)[off]);
        case GP_BFLOAT16: return gp_bf16_to_float(((const unsigned short*) o.data)[off]);
        case GP_FLOAT32: return ((const float*) o.data)[off];
        default: return (float) ((const double*) o.data)[off];
    }
}

template <> __device__ __forceinline__ long long gp_load<long long>(const GpOperand& o, long long off) {
    switch ((int) o.dtype) {
        case GP_BOOL: return ((const unsigned char*) o.data)[off];
        case GP_INT32: return ((const int*) o.data)[off];
        case GP_INT64: return ((const long long*) o.data)[off];
        default: return (long long) gp_load<double>(o, off);
    }
}

__device__ __forceinline__ void gp_store(const GpOperand& o, long long off, double v) {
    switch ((int) o.dtype) {
        case GP_BOOL: ((unsigned char*) o.data)[off] = v != 0 ? 1 : 0; break;
        case GP_INT32: ((int*) o.data)[off] = (int) (long long) v; break;
        case GP_INT64: ((long long*) o.data)[off] = (long long) v; break;
        case GP_FLOAT16: ((unsigned short*) o.data)[off] = gp_float_to_half((float) v); break;
        case GP_BFLOAT16: ((unsigned short*) o.data)[off] = gp_float_to_bf16((float) v); break;
        case GP_FLOAT32: ((float*) o.data)[off] = (float) v; break;
        default: ((double*) o.data)[off] = v; break;
    }
}

__device__ __forceinline__ void gp_store(const GpOperand& o, long long off, float v) {
    switch ((int) o.dtype) {
        case GP_FLOAT16: ((unsigned short*) o.data)[off] = gp_float_to_half(v); break;
        case GP_BFLOAT16: ((unsigned short*) o.data)[off] = gp_float_to_bf16(v); break;
        case GP_FLOAT32: ((float*) o.data)[off] = v; break;
        default: gp_store(o, off, (double) v); break;
    }
}

__device__ __forceinline__ void gp_store(const GpOperand& o, long long off, long long v) {
    switch ((int) o.dtype) {
        case GP_BOOL: ((unsigned char*) o.data)[off] = v != 0 ? 1 : 0; break;
        case GP_INT32: ((int*) o.data)[off] = (int) v; break;
        case GP_INT64: ((long long*) o.data)[off] = v; break;
        default: gp_store(o, off, (double) v); break;
    }
}

// Grid-stride loop over [0, n).
#define GP_FOR_EACH(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)
