// Reductions over a set of dims, and cumsum. The host (CudaReduce) splits the input's dims into outer ones (one
// output element each) and inner ones (reduced). One block reduces one output element at a time: each thread
// folds a strided share of the inner elements, then the block combines the threads' partials through warp
// shuffles and shared memory. Floating inputs accumulate in double and integers in long long, as the CPU backend
// does, so sums agree with it to rounding. NaN propagates through max/min and counts as the largest value for
// argmax (and smallest for argmin); ties go to the first position (CPU Reduce's rules).

// ReduceOp ordinals
#define R_SUM 0
#define R_PROD 1
#define R_MAX 2
#define R_MIN 3
#define R_ARGMAX 4
#define R_ARGMIN 5

#define GP_REDUCE_THREADS 256

struct GpReduce {
    GpShape outer;   // the kept dims
    GpShape inner;   // the reduced dims
};

struct GpPart {
    double v;
    long long lv;
    long long index;
};

__device__ __forceinline__ bool gp_isnan(double x) { return x != x; }

// The partial that wins (arg ops) or the two combined; a comes from earlier positions than b.
__device__ GpPart gp_combine(int op, bool integer, GpPart a, GpPart b) {
    GpPart r = a;
    switch (op) {
        case R_SUM: r.v = a.v + b.v; r.lv = a.lv + b.lv; break;
        case R_PROD: r.v = a.v * b.v; r.lv = a.lv * b.lv; break;
        case R_MAX:
            r.v = gp_isnan(a.v) || gp_isnan(b.v) ? (gp_isnan(a.v) ? a.v : b.v) : (a.v >= b.v ? a.v : b.v);
            r.lv = a.lv >= b.lv ? a.lv : b.lv;
            break;
        case R_MIN:
            r.v = gp_isnan(a.v) || gp_isnan(b.v) ? (gp_isnan(a.v) ? a.v : b.v) : (a.v <= b.v ? a.v : b.v);
            r.lv = a.lv <= b.lv ? a.lv : b.lv;
            break;
        case R_ARGMAX:
        case R_ARGMIN: {
            bool max = op == R_ARGMAX;
            if (a.index < 0) return b;   // empty partial
            if (b.index < 0) return a;
            bool takeB;
            if (integer) takeB = max ? b.lv > a.lv : b.lv < a.lv;
            else if (gp_isnan(a.v)) takeB = false;
            else if (gp_isnan(b.v)) takeB = true;
            else takeB = max ? b.v > a.v : b.v < a.v;
            if (!takeB && (integer ? b.lv == a.lv : b.v == a.v) && b.index < a.index) takeB = true;
            return takeB ? b : a;
        }
    }
    return r;
}

__device__ GpPart gp_identity(int op) {
    GpPart p;
    p.index = -1;
    switch (op) {
        case R_SUM: p.v = 0; p.lv = 0; break;
        case R_PROD: p.v = 1; p.lv = 1; break;
        case R_MAX: p.v = -__longlong_as_double(0x7FF0000000000000LL); p.lv = (long long) 0x8000000000000000ULL; break;
        default: p.v = __longlong_as_double(0x7FF0000000000000LL); p.lv = 0x7FFFFFFFFFFFFFFFLL; break;
    }
    return p;
}

__device__ GpPart gp_shuffle_down(GpPart p, int delta) {
    GpPart r;
    r.v = __shfl_down_sync(0xFFFFFFFFu, p.v, delta);
    r.lv = __shfl_down_sync(0xFFFFFFFFu, p.lv, delta);
    r.index = __shfl_down_sync(0xFFFFFFFFu, p.index, delta);
    return r;
}

// Combines the partials of a block; thread 0 gets the result. Partials are combined in position order, so the
// first-position rule for ties holds.
__device__ GpPart gp_block_reduce(int op, bool integer, GpPart p) {
    __shared__ GpPart warps[GP_REDUCE_THREADS / 32];
    for (int d = 16; d > 0; d >>= 1) {
        GpPart other = gp_shuffle_down(p, d);
        if ((threadIdx.x & 31) + d < 32) p = gp_combine(op, integer, p, other);
    }
    if ((threadIdx.x & 31) == 0) warps[threadIdx.x >> 5] = p;
    __syncthreads();
    if (threadIdx.x == 0) {
        GpPart r = warps[0];
        for (int w = 1; w < (int) (blockDim.x >> 5); w++) r = gp_combine(op, integer, r, warps[w]);
        p = r;
    }
    __syncthreads();
    return p;
}

// out is contiguous over the outer positions (a fresh tensor, as on the CPU).
__device__ void gp_reduce(int op, bool integer, const GpReduce& r, const GpOperand& out, const GpOperand& in) {
    long long oidx[GP_MAX_DIMS], iidx[GP_MAX_DIMS];
    for (long long o = blockIdx.x; o < r.outer.numel; o += gridDim.x) {
        gp_unravel(r.outer, o, oidx);
        long long base = 0;
        for (int d = 0; d < (int) r.outer.ndim; d++) base += oidx[d] * in.stride[d];
        GpPart p = gp_identity(op);
        // each thread folds a contiguous run of positions, so its partial covers positions in order
        long long n = r.inner.numel, per = (n + blockDim.x - 1) / blockDim.x;
        long long from = threadIdx.x * per, to = from + per < n ? from + per : n;
        for (long long j = from; j < to; j++) {
            gp_unravel(r.inner, j, iidx);
            long long off = base;
            for (int d = 0; d < (int) r.inner.ndim; d++) off += iidx[d] * in.stride[r.outer.ndim + d];
            GpPart x;
            x.index = j;
            if (integer) { x.lv = gp_load<long long>(in, off); x.v = 0; }
            else { x.v = gp_load<double>(in, off); x.lv = 0; }
            p = gp_combine(op, integer, p, x);
        }
        p = gp_block_reduce(op, integer, p);
        if (threadIdx.x == 0) {   // an empty reduction stores the identity, as on the CPU
            if (op == R_ARGMAX || op == R_ARGMIN) gp_store(out, o, p.index < 0 ? 0LL : p.index);
            else if (integer) gp_store(out, o, p.lv);
            else gp_store(out, o, p.v);
        }
        __syncthreads();
    }
}

// in.stride holds the outer dims' strides first, then the inner dims'.
extern "C" __global__ void reduce_f64(int op, GpReduce r, GpOperand out, GpOperand in) { gp_reduce(op, false, r, out, in); }
extern "C" __global__ void reduce_i64(int op, GpReduce r, GpOperand out, GpOperand in) { gp_reduce(op, true, r, out, in); }

// Inclusive prefix sums, one thread per line. lines.size are the dims other than the scanned one; a.stride and
// out.stride hold their strides; len and the two strides along the scanned dim come apart.
extern "C" __global__ void cumsum_f64(GpShape lines, GpOperand out, GpOperand a, long long len, long long sa, long long so) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(l, lines.numel) {
        gp_unravel(lines, l, idx);
        long long ia = gp_offset(a, idx, lines.ndim), io = gp_offset(out, idx, lines.ndim);
        double acc = 0;
        for (long long i = 0; i < len; i++) {
            acc += gp_load<double>(a, ia + i * sa);
            gp_store(out, io + i * so, acc);
        }
    }
}

extern "C" __global__ void cumsum_i64(GpShape lines, GpOperand out, GpOperand a, long long len, long long sa, long long so) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(l, lines.numel) {
        gp_unravel(lines, l, idx);
        long long ia = gp_offset(a, idx, lines.ndim), io = gp_offset(out, idx, lines.ndim);
        long long acc = 0;
        for (long long i = 0; i < len; i++) {
            acc += gp_load<long long>(a, ia + i * sa);
            gp_store(out, io + i * so, acc);
        }
    }
}
