// Fused row kernels (the host side is CudaNorms): softmax and log_softmax over the last dim, layer norm over the
// trailing elements, forward and backward, with Backend's contract: contiguous, float32 or float64 of one dtype,
// a row is the last `cols` elements; layer norm's mean and rstd are float64, one per row. Rules:
//  - A row belongs to one group of threads: a warp when `warp` is set (short rows; a block of 256 threads then
//    works on 8 rows at a time), else the whole block. Groups walk the rows with a grid-stride loop.
//  - Each thread takes a strided share of the row's elements; sums and the max combine through gp_group_sum and
//    gp_group_max (xor shuffles, so every lane ends with the same bits, then one word per warp in shared memory).
//  - Sums accumulate in double, as the CPU's CpuNorms does; elementwise math runs in the storage type T. So a
//    float32 result differs from the CPU's by a few float ulps, and a float64 one by double rounding only.
//  - Layer norm's weight and bias gradients sum over rows in two passes, deterministic: layer_norm_partials_*
//    sums fixed chunks of rows per column into a float64 scratch [chunks, cols] (two of them, gw's then gb's),
//    and layer_norm_sum_* adds the chunks in order.
//  - Any block size that is a multiple of 32, up to 1024, works (the host launches 256).

__device__ __forceinline__ double gp_warp_sum(double v) {
    for (int d = 16; d > 0; d >>= 1) v += __shfl_xor_sync(0xFFFFFFFFu, v, d);
    return v;
}

// NaN wins, as Java's Math.max does on the CPU.
__device__ __forceinline__ double gp_nan_max(double a, double b) { return a != a || b != b ? a + b : (a >= b ? a : b); }

__device__ __forceinline__ double gp_warp_max(double v) {
    for (int d = 16; d > 0; d >>= 1) v = gp_nan_max(v, __shfl_xor_sync(0xFFFFFFFFu, v, d));
    return v;
}

// The sum of v over the row's group, in every thread of the group. In block mode every thread of the block calls it.
__device__ double gp_group_sum(double v, bool warp) {
    __shared__ double partial[32];
    v = gp_warp_sum(v);
    if (warp) return v;
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    __syncthreads();                      // the previous call's readers are done with `partial`
    if (lane == 0) partial[threadIdx.x >> 5] = v;
    __syncthreads();
    return gp_warp_sum(lane < warps ? partial[lane] : 0.0);
}

__device__ double gp_group_max(double v, bool warp) {
    __shared__ double partial[32];
    v = gp_warp_max(v);
    if (warp) return v;
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    __syncthreads();
    if (lane == 0) partial[threadIdx.x >> 5] = v;
    __syncthreads();
    return gp_warp_max(lane < warps ? partial[lane] : -__longlong_as_double(0x7FF0000000000000LL));
}

// The group's rows: (first row, step between rows, this thread's lane in the group, lanes in the group).
struct GpRows {
    long long first, step;
    int lane, lanes;
};

__device__ __forceinline__ GpRows gp_rows(bool warp) {
    GpRows r;
    if (warp) {
        long long warpsPerBlock = blockDim.x >> 5;
        r.first = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5);
        r.step = gridDim.x * warpsPerBlock;
        r.lane = threadIdx.x & 31;
        r.lanes = 32;
    } else {
        r.first = blockIdx.x;
        r.step = gridDim.x;
        r.lane = threadIdx.x;
        r.lanes = blockDim.x;
    }
    return r;
}

__device__ __forceinline__ float gp_exp(float x) { return expf(x); }
__device__ __forceinline__ double gp_exp(double x) { return exp(x); }

// softmax: out = exp(x - max) / sum(exp(x - max)); log: out = (x - max) - log(sum(exp(x - max))).
template <typename T> __device__ void gp_softmax(T* out, const T* in, long long rows, long long cols, int logOut, int warp) {
    GpRows g = gp_rows(warp);
    for (long long r = g.first; r < rows; r += g.step) {
        const T* x = in + r * cols;
        T* y = out + r * cols;
        double m = -__longlong_as_double(0x7FF0000000000000LL);
        for (long long i = g.lane; i < cols; i += g.lanes) m = gp_nan_max(m, (double) x[i]);
        T max = (T) gp_group_max(m, warp);
        double s = 0;
        for (long long i = g.lane; i < cols; i += g.lanes) s += (double) gp_exp(x[i] - max);
        s = gp_group_sum(s, warp);
        if (logOut) {
            T lse = (T) log(s);
            for (long long i = g.lane; i < cols; i += g.lanes) y[i] = (x[i] - max) - lse;
        } else {
            T inv = (T) (1.0 / s);
            for (long long i = g.lane; i < cols; i += g.lanes) y[i] = gp_exp(x[i] - max) * inv;
        }
    }
}

// softmax: gi = y * (g - sum(g * y)); log_softmax: gi = g - exp(y) * sum(g).
template <typename T> __device__ void gp_softmax_backward(T* gradIn, const T* grad, const T* out, long long rows,
                                                          long long cols, int logOut, int warp) {
    GpRows gr = gp_rows(warp);
    for (long long r = gr.first; r < rows; r += gr.step) {
        const T* g = grad + r * cols;
        const T* y = out + r * cols;
        T* gi = gradIn + r * cols;
        double s = 0;
        for (long long i = gr.lane; i < cols; i += gr.lanes) s += logOut ? (double) g[i] : (double) g[i] * (double) y[i];
        T sum = (T) gp_group_sum(s, warp);
        for (long long i = gr.lane; i < cols; i += gr.lanes)
            gi[i] = logOut ? g[i] - gp_exp(y[i]) * sum : y[i] * (g[i] - sum);
    }
}

// y = (x - mean) * rstd * w + b with the biased variance (two passes over the row, as the CPU); w, b may be null.
template <typename T> __device__ void gp_layer_norm(T* yy, double* mean, double* rstd, const T* xx, const T* w,
                                                    const T* b, long long rows, long long cols, double eps, int warp) {
    GpRows g = gp_rows(warp);
    for (long long r = g.first; r < rows; r += g.step) {
        const T* x = xx + r * cols;
        T* y = yy + r * cols;
        double s = 0;
        for (long long i = g.lane; i < cols; i += g.lanes) s += (double) x[i];
        double mu = gp_group_sum(s, warp) / cols;
        double q = 0;
        for (long long i = g.lane; i < cols; i += g.lanes) { double c = (double) x[i] - mu; q += c * c; }
        double rs = 1.0 / sqrt(gp_group_sum(q, warp) / cols + eps);
        if (g.lane == 0) { mean[r] = mu; rstd[r] = rs; }
        for (long long i = g.lane; i < cols; i += g.lanes) {
            double v = ((double) x[i] - mu) * rs;
            if (w) v *= (double) w[i];
            if (b) v += (double) b[i];
            y[i] = (T) v;
        }
    }
}

// With xh = (x - mean) * rstd and d = g * w: gx = rstd * (d - mean(d) - xh * mean(d * xh)) per row.
template <typename T> __device__ void gp_layer_norm_backward(T* gxx, const T* gg, const T* xx, const double* mean,
                                                             const double* rstd, const T* w, long long rows,
                                                             long long cols, int warp) {
    GpRows gr = gp_rows(warp);
    for (long long r = gr.first; r < rows; r += gr.step) {
        const T* g = gg + r * cols;
        const T* x = xx + r * cols;
        T* gx = gxx + r * cols;
        double mu = mean[r], rs = rstd[r], sd = 0, sdx = 0;
        for (long long i = gr.lane; i < cols; i += gr.lanes) {
            double d = w ? (double) g[i] * (double) w[i] : (double) g[i];
            sd += d;
            sdx += d * (((double) x[i] - mu) * rs);
        }
        double md = gp_group_sum(sd, warp) / cols, mdx = gp_group_sum(sdx, warp) / cols;
        for (long long i = gr.lane; i < cols; i += gr.lanes) {
            double d = w ? (double) g[i] * (double) w[i] : (double) g[i];
            double xh = ((double) x[i] - mu) * rs;
            gx[i] = (T) (rs * (d - md - xh * mdx));
        }
    }
}

// Pass 1 of gw and gb: partial[c * cols + j] = sum over chunk c's rows of g * xh (and, in partial[chunks * cols + ..],
// of g). Chunk c is rows [c * per, min((c + 1) * per, rows)); consecutive threads take consecutive columns.
template <typename T> __device__ void gp_layer_norm_partials(double* partial, const T* g, const T* x,
                                                             const double* mean, const double* rstd, long long rows,
                                                             long long cols, long long chunks, long long per) {
    GP_FOR_EACH(k, chunks * cols) {
        long long c = k / cols, j = k % cols, to = (c + 1) * per < rows ? (c + 1) * per : rows;
        double sw = 0, sb = 0;
        for (long long r = c * per; r < to; r++) {
            double gv = (double) g[r * cols + j];
            sw += gv * (((double) x[r * cols + j] - mean[r]) * rstd[r]);
            sb += gv;
        }
        partial[k] = sw;
        partial[chunks * cols + k] = sb;
    }
}

// Pass 2: out[j] = the chunks' partials of column j added in chunk order; gw or gb may be null (not wanted).
template <typename T> __device__ void gp_layer_norm_sum(T* gw, T* gb, const double* partial, long long cols, long long chunks) {
    GP_FOR_EACH(j, cols) {
        double sw = 0, sb = 0;
        for (long long c = 0; c < chunks; c++) {
            sw += partial[c * cols + j];
            sb += partial[(chunks + c) * cols + j];
        }
        if (gw) gw[j] = (T) sw;
        if (gb) gb[j] = (T) sb;
    }
}

#define GP_NORMS(T, S) \
extern "C" __global__ void softmax_##S(long long out, long long in, long long rows, long long cols, int logOut, int warp) { \
    gp_softmax<T>((T*) out, (const T*) in, rows, cols, logOut, warp); } \
extern "C" __global__ void softmax_backward_##S(long long gi, long long g, long long y, long long rows, long long cols, \
                                                int logOut, int warp) { \
    gp_softmax_backward<T>((T*) gi, (const T*) g, (const T*) y, rows, cols, logOut, warp); } \
extern "C" __global__ void layer_norm_##S(long long y, long long mean, long long rstd, long long x, long long w, \
                                          long long b, long long rows, long long cols, double eps, int warp) { \
    gp_layer_norm<T>((T*) y, (double*) mean, (double*) rstd, (const T*) x, (const T*) w, (const T*) b, rows, cols, \
                     eps, warp); } \
extern "C" __global__ void layer_norm_backward_##S(long long gx, long long g, long long x, long long mean, \
                                                   long long rstd, long long w, long long rows, long long cols, int warp) { \
    gp_layer_norm_backward<T>((T*) gx, (const T*) g, (const T*) x, (const double*) mean, (const double*) rstd, \
                              (const T*) w, rows, cols, warp); } \
extern "C" __global__ void layer_norm_partials_##S(long long partial, long long g, long long x, long long mean, \
                                                   long long rstd, long long rows, long long cols, long long chunks, \
                                                   long long per) { \
    gp_layer_norm_partials<T>((double*) partial, (const T*) g, (const T*) x, (const double*) mean, \
                              (const double*) rstd, rows, cols, chunks, per); } \
extern "C" __global__ void layer_norm_sum_##S(long long gw, long long gb, long long partial, long long cols, \
                                              long long chunks) { \
    gp_layer_norm_sum<T>((T*) gw, (T*) gb, (const double*) partial, cols, chunks); }

GP_NORMS(float, f32)
GP_NORMS(double, f64)
