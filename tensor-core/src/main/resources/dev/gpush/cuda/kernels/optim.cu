// Fused optimizer steps (the host side is CudaAdam). One thread per element in a grid-stride loop; param, grad and
// the moments are contiguous and of one dtype, float32 or float64.
//
// adam_*: one Adam/AdamW step, the very operations of the composite in dev.gpush.optim.Adam, in its order, each
// rounded to T as the composite's tensor ops round (the host passes the scalars as doubles; a float32 step rounds
// each to float first, as a Java number meeting a float32 tensor is). The _rn intrinsics keep nvcc from
// contracting a multiply and an add into one fma, so a step equals the CPU's to the bit:
//   g = maximize ? -grad : grad
//   p = p * decay                               decoupled weight decay (AdamW), decay = 1 - lr * wd
//   g = g + p * wd                              L2 weight decay (Adam)
//   m = m + (g - m) * (1 - beta1)
//   v = v + (g * g - v) * (1 - beta2)
//   vmax = max(vmax, v)                         amsgrad: vmax replaces v below (NaN wins, as on the CPU)
//   p = p + (m / (sqrt(v) + epsTerm)) * negStep
// Flags (GP_ADAM_*) say which optional lines run; vmax is 0 without amsgrad.

#define GP_ADAM_MAXIMIZE 1
#define GP_ADAM_L2 2
#define GP_ADAM_DECOUPLED 4
#define GP_ADAM_AMSGRAD 8

__device__ __forceinline__ float gp_add(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ float gp_sub(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ float gp_mul(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ float gp_div(float a, float b) { return __fdiv_rn(a, b); }
__device__ __forceinline__ float gp_sqrt(float a) { return __fsqrt_rn(a); }
__device__ __forceinline__ double gp_add(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ double gp_sub(double a, double b) { return __dsub_rn(a, b); }
__device__ __forceinline__ double gp_mul(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ double gp_div(double a, double b) { return __ddiv_rn(a, b); }
__device__ __forceinline__ double gp_sqrt(double a) { return __dsqrt_rn(a); }

template <typename T> __device__ __forceinline__ T gp_max_nan(T a, T b) { return a != a || b != b ? a + b : (a >= b ? a : b); }

template <typename T> __device__ void gp_adam(T* p, const T* grad, T* m, T* v, T* vmax, long long n, int flags,
                                              double wd, double decay, double oneMinusBeta1, double oneMinusBeta2,
                                              double epsTerm, double negStep) {
    T wdT = (T) wd, decayT = (T) decay, b1 = (T) oneMinusBeta1, b2 = (T) oneMinusBeta2, e = (T) epsTerm, s = (T) negStep;
    GP_FOR_EACH(i, n) {
        T g = (flags & GP_ADAM_MAXIMIZE) ? -grad[i] : grad[i];
        T pi = p[i];
        if (flags & GP_ADAM_DECOUPLED) pi = gp_mul(pi, decayT);
        if (flags & GP_ADAM_L2) g = gp_add(g, gp_mul(pi, wdT));
        T mi = gp_add(m[i], gp_mul(gp_sub(g, m[i]), b1));
        T vi = gp_add(v[i], gp_mul(gp_sub(gp_mul(g, g), v[i]), b2));
        m[i] = mi;
        v[i] = vi;
        T second = vi;
        if (flags & GP_ADAM_AMSGRAD) vmax[i] = second = gp_max_nan(vmax[i], vi);
        p[i] = gp_add(pi, gp_mul(gp_div(mi, gp_add(gp_sqrt(second), e)), s));
    }
}

extern "C" __global__ void adam_f32(long long p, long long g, long long m, long long v, long long vmax, long long n,
                                    int flags, double wd, double decay, double oneMinusBeta1, double oneMinusBeta2,
                                    double epsTerm, double negStep) {
    gp_adam<float>((float*) p, (const float*) g, (float*) m, (float*) v, (float*) vmax, n, flags, wd, decay,
                   oneMinusBeta1, oneMinusBeta2, epsTerm, negStep);
}

extern "C" __global__ void adam_f64(long long p, long long g, long long m, long long v, long long vmax, long long n,
                                    int flags, double wd, double decay, double oneMinusBeta1, double oneMinusBeta2,
                                    double epsTerm, double negStep) {
    gp_adam<double>((double*) p, (const double*) g, (double*) m, (double*) v, (double*) vmax, n, flags, wd, decay,
                    oneMinusBeta1, oneMinusBeta2, epsTerm, negStep);
}
