// Reductions over a set of dims, and cumsum. The host (CudaReduce) coalesces the input's dims into outer ones (one
// output element each) and inner ones (reduced), and picks a plan (ReducePlan): `lanes` threads (1, a warp or a
// block) fold one output element's inner positions, interleaved so that neighbouring lanes read neighbouring
// positions, then combine their partials with warp shuffles (and, for a block, once more through shared memory).
// With chunks > 1 the inner positions are cut into that many ranges, each folded by its own group into a partial
// in device memory, and reduce_parts combines each element's partials: two passes, no atomics, the same order on
// every run, so results are reproducible. Floating inputs accumulate in double and integers in long long, as the
// CPU backend does, so sums agree with it to rounding. Which partial wins never depends on the order they meet:
// NaN propagates through max and min and counts as the largest value for argmax (smallest for argmin), and among
// equal values (NaNs, +0 and -0) the first position wins, as in CPU Reduce's position-order loops.

// ReduceOp ordinals
#define R_SUM 0
#define R_PROD 1
#define R_MAX 2
#define R_MIN 3
#define R_ARGMAX 4
#define R_ARGMIN 5

#define GP_REDUCE_THREADS 256
#define GP_REDUCE_UNROLL 8   // loads each lane has in flight

struct GpReduce {
    GpShape outer;   // the kept dims
    GpShape inner;   // the reduced dims
};

struct GpPlan {
    long long lanes;    // threads that fold one output element: 1, 32 or GP_REDUCE_THREADS
    long long chunks;   // ranges the inner positions are cut into
    long long parts;    // with chunks > 1: the address of outer.numel * chunks GpParts, chunk-major
};

struct GpPart {
    double v;
    long long lv;
    long long index;   // the position of v, or -1 for an empty partial
};

__device__ __forceinline__ bool gp_isnan(double x) { return x != x; }

// Whether b beats a for max (or min): NaN beats numbers, larger (smaller) beats smaller, and among equals, NaNs
// included, the earlier position.
__device__ __forceinline__ bool gp_beats(bool max, bool integer, const GpPart& a, const GpPart& b) {
    if (integer) {
        if (b.lv != a.lv) return max ? b.lv > a.lv : b.lv < a.lv;
    } else {
        bool na = gp_isnan(a.v), nb = gp_isnan(b.v);
        if (na != nb) return nb;
        if (!na && b.v != a.v) return max ? b.v > a.v : b.v < a.v;
    }
    return b.index < a.index;
}

__device__ GpPart gp_combine(int op, bool integer, GpPart a, GpPart b) {
    switch (op) {
        case R_SUM: a.v += b.v; a.lv += b.lv; return a;
        case R_PROD: a.v *= b.v; a.lv *= b.lv; return a;
        default: {
            if (b.index < 0) return a;
            if (a.index < 0) return b;
            return gp_beats(op == R_MAX || op == R_ARGMAX, integer, a, b) ? b : a;
        }
    }
}

__device__ GpPart gp_identity(int op) {
    GpPart p;
    p.index = -1;
    switch (op) {
        case R_SUM: p.v = 0; p.lv = 0; break;
        case R_PROD: p.v = 1; p.lv = 1; break;
        case R_MAX: case R_ARGMAX:
            p.v = -__longlong_as_double(0x7FF0000000000000LL); p.lv = (long long) 0x8000000000000000ULL; break;
        default: p.v = __longlong_as_double(0x7FF0000000000000LL); p.lv = 0x7FFFFFFFFFFFFFFFLL; break;
    }
    return p;
}

// The partial of one element: its value (v for floats, lv for integers) at position.
__device__ __forceinline__ GpPart gp_part(bool integer, double v, long long lv, long long position) {
    GpPart x;
    x.index = position;
    x.v = integer ? 0 : v;
    x.lv = integer ? lv : 0;
    return x;
}

__device__ __forceinline__ GpPart gp_element(bool integer, const GpOperand& in, long long off, long long position) {
    return integer ? gp_part(true, 0, gp_load<long long>(in, off), position)
                   : gp_part(false, gp_load<double>(in, off), 0, position);
}

__device__ GpPart gp_shuffle_down(GpPart p, int delta) {
    GpPart r;
    r.v = __shfl_down_sync(0xFFFFFFFFu, p.v, delta);
    r.lv = __shfl_down_sync(0xFFFFFFFFu, p.lv, delta);
    r.index = __shfl_down_sync(0xFFFFFFFFu, p.index, delta);
    return r;
}

// Combines the partials of the first `width` lanes of each warp into its lane 0; the whole warp must call it.
__device__ __forceinline__ GpPart gp_warp_reduce(int op, bool integer, GpPart p, int width) {
    for (int d = width / 2; d > 0; d >>= 1) p = gp_combine(op, integer, p, gp_shuffle_down(p, d));
    return p;
}

// Combines the partials of groups of LANES threads into each group's first thread; every thread of the block must
// call it (for LANES = GP_REDUCE_THREADS it synchronises the block).
template <int LANES> __device__ GpPart gp_group_reduce(int op, bool integer, GpPart p) {
    if (LANES == 1) return p;
    p = gp_warp_reduce(op, integer, p, LANES < 32 ? LANES : 32);
    if (LANES > 32) {
        __shared__ GpPart warps[GP_REDUCE_THREADS / 32];
        if ((threadIdx.x & 31) == 0) warps[threadIdx.x >> 5] = p;
        __syncthreads();
        if (threadIdx.x < 32) {
            p = threadIdx.x < GP_REDUCE_THREADS / 32 ? warps[threadIdx.x] : gp_identity(op);
            p = gp_warp_reduce(op, integer, p, GP_REDUCE_THREADS / 32);
        }
        __syncthreads();
    }
    return p;
}

// The offset (in elements) of linear position j over shape s whose dims step by stride[] in the input.
__device__ __forceinline__ long long gp_position(const GpShape& s, const long long* stride, long long j) {
    long long off = 0;
    for (int d = (int) s.ndim - 1; d >= 0; d--) {
        long long size = s.size[d];
        off += (j % size) * stride[d];
        j /= size;
    }
    return off;
}

// Folds inner positions from + lane, from + lane + lanes, ... below to of the element whose inner dims start at
// base. One inner dim (the common case after coalescing) needs no division, and its loads go GP_REDUCE_UNROLL at a
// time so that several are in flight.
__device__ GpPart gp_fold(int op, bool integer, const GpReduce& r, const GpOperand& in, long long base,
                          long long from, long long to, long long lane, long long lanes) {
    GpPart p = gp_identity(op);
    const long long* istride = in.stride + r.outer.ndim;
    long long j = from + lane;
    if (r.inner.ndim <= 1) {
        long long s = r.inner.ndim == 1 ? istride[0] : 0;
        for (; j + (GP_REDUCE_UNROLL - 1) * lanes < to; j += GP_REDUCE_UNROLL * lanes) {
            double v[GP_REDUCE_UNROLL] = {};   // the raw values first, so the loads are in flight together
            long long lv[GP_REDUCE_UNROLL] = {};
            #pragma unroll
            for (int k = 0; k < GP_REDUCE_UNROLL; k++) {
                long long off = base + (j + k * lanes) * s;
                if (integer) lv[k] = gp_load<long long>(in, off);
                else v[k] = gp_load<double>(in, off);
            }
            #pragma unroll
            for (int k = 0; k < GP_REDUCE_UNROLL; k++) p = gp_combine(op, integer, p, gp_part(integer, v[k], lv[k], j + k * lanes));
        }
        for (; j < to; j += lanes) p = gp_combine(op, integer, p, gp_element(integer, in, base + j * s, j));
    } else {
        for (; j < to; j += lanes) p = gp_combine(op, integer, p, gp_element(integer, in, base + gp_position(r.inner, istride, j), j));
    }
    return p;
}

// An empty reduction stores the identity (and argmax 0), as on the CPU. out is contiguous over the outer positions.
__device__ __forceinline__ void gp_reduce_store(int op, bool integer, const GpOperand& out, long long o, const GpPart& p) {
    if (op == R_ARGMAX || op == R_ARGMIN) gp_store(out, o, p.index < 0 ? 0LL : p.index);
    else if (integer) gp_store(out, o, p.lv);
    else gp_store(out, o, p.v);
}

// Group g (chunk-major: g = chunk * outputs + output, so that neighbouring single-thread groups read neighbouring
// outputs) folds one chunk of one output element. The loop bound is the same for every thread of a block, as
// gp_group_reduce needs.
template <int LANES>
__device__ void gp_reduce(int op, bool integer, const GpReduce& r, const GpOperand& out, const GpOperand& in,
                          const GpPlan& plan) {
    const long long perBlock = GP_REDUCE_THREADS / LANES, lane = threadIdx.x % LANES;
    const long long outputs = r.outer.numel, groups = outputs * plan.chunks;
    const long long per = (r.inner.numel + plan.chunks - 1) / plan.chunks;
    for (long long first = blockIdx.x * perBlock; first < groups; first += (long long) gridDim.x * perBlock) {
        long long g = first + threadIdx.x / LANES, o = g % outputs, c = g / outputs;
        GpPart p = gp_identity(op);
        if (g < groups) {
            long long from = c * per, to = from + per < r.inner.numel ? from + per : r.inner.numel;
            p = gp_fold(op, integer, r, in, gp_position(r.outer, in.stride, o), from, to, lane, LANES);
        }
        p = gp_group_reduce<LANES>(op, integer, p);
        if (lane == 0 && g < groups) {
            if (plan.chunks == 1) gp_reduce_store(op, integer, out, o, p);
            else ((GpPart*) plan.parts)[g] = p;
        }
    }
}

__device__ __forceinline__ void gp_reduce_any(int op, bool integer, const GpReduce& r, const GpOperand& out,
                                              const GpOperand& in, const GpPlan& plan) {
    switch ((int) plan.lanes) {
        case 1: gp_reduce<1>(op, integer, r, out, in, plan); break;
        case 32: gp_reduce<32>(op, integer, r, out, in, plan); break;
        default: gp_reduce<GP_REDUCE_THREADS>(op, integer, r, out, in, plan); break;
    }
}

// in.stride holds the outer dims' strides first, then the inner dims'.
extern "C" __global__ void reduce_f64(int op, GpReduce r, GpOperand out, GpOperand in, GpPlan plan) {
    gp_reduce_any(op, false, r, out, in, plan);
}
extern "C" __global__ void reduce_i64(int op, GpReduce r, GpOperand out, GpOperand in, GpPlan plan) {
    gp_reduce_any(op, true, r, out, in, plan);
}

// The second pass of a reduction cut into chunks: one warp an output element combines its plan.chunks partials.
__device__ void gp_reduce_parts(int op, bool integer, long long outputs, const GpPlan& plan, const GpOperand& out) {
    const GpPart* parts = (const GpPart*) plan.parts;
    long long lane = threadIdx.x & 31, warps = (long long) gridDim.x * (blockDim.x >> 5);
    for (long long o = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5; o < outputs; o += warps) {
        GpPart p = gp_identity(op);
        for (long long c = lane; c < plan.chunks; c += 32) p = gp_combine(op, integer, p, parts[c * outputs + o]);
        p = gp_warp_reduce(op, integer, p, 32);
        if (lane == 0) gp_reduce_store(op, integer, out, o, p);
    }
}

extern "C" __global__ void reduce_parts_f64(int op, long long outputs, GpPlan plan, GpOperand out) {
    gp_reduce_parts(op, false, outputs, plan, out);
}
extern "C" __global__ void reduce_parts_i64(int op, long long outputs, GpPlan plan, GpOperand out) {
    gp_reduce_parts(op, true, outputs, plan, out);
}

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
