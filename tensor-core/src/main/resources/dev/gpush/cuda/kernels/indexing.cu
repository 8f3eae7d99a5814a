// Gather, scatter, index select/add and nonzero (the host side is CudaIndexing). The CPU backend's rules
// (CpuIndexing) hold here too:
//  - Same-dtype operands move their bits unchanged; mixed dtypes go through long long (integers and bool) or
//    double (Note [compute in double]).
//  - Accumulation is the CPU's formula per element: float32 adds in float, float16/bfloat16 add in float and round
//    to 16 bits, integers wrap, bool adds as or; mixed dtypes add in long long or double and round to the output.
//  - An index outside [0, size) is not followed: the kernel records it in err (err[0] = 1, err[1] = the index,
//    the first to claim the flag) and skips the element; the host reads err after the launch and throws.
//  - Scatter gives each thread whole lines (all positions along the indexed dim, in index order), so duplicate
//    indices meet on one thread: the last one wins and sums run in the CPU's order, with no atomics (Note [lines]
//    in CpuIndexing). index_add runs one thread per element and accumulates with atomics, so sums over duplicate
//    indices may round differently from the CPU (integer sums are exact).

__device__ __forceinline__ int gp_itemsize(int dtype) {
    switch (dtype) {
        case GP_BOOL: return 1;
        case GP_FLOAT16: case GP_BFLOAT16: return 2;
        case GP_INT32: case GP_FLOAT32: return 4;
        default: return 8;
    }
}

__device__ __forceinline__ bool gp_floating(int dtype) { return dtype >= GP_FLOAT16; }

// dst[doff] = src[soff], converting dtype.
__device__ void gp_move(const GpOperand& dst, long long doff, const GpOperand& src, long long soff) {
    int dt = (int) dst.dtype, st = (int) src.dtype;
    if (dt == st) {
        switch (gp_itemsize(dt)) {
            case 1: ((unsigned char*) dst.data)[doff] = ((const unsigned char*) src.data)[soff]; break;
            case 2: ((unsigned short*) dst.data)[doff] = ((const unsigned short*) src.data)[soff]; break;
            case 4: ((unsigned int*) dst.data)[doff] = ((const unsigned int*) src.data)[soff]; break;
            default: ((unsigned long long*) dst.data)[doff] = ((const unsigned long long*) src.data)[soff]; break;
        }
    } else if (!gp_floating(dt) && !gp_floating(st)) {
        gp_store(dst, doff, gp_load<long long>(src, soff));
    } else {
        gp_store(dst, doff, gp_load<double>(src, soff));
    }
}

// dst[doff] += src[soff] by the CPU's accumulate formula, not atomically.
__device__ void gp_accumulate(const GpOperand& dst, long long doff, const GpOperand& src, long long soff) {
    int dt = (int) dst.dtype;
    if (dt == (int) src.dtype) {
        switch (dt) {
            case GP_FLOAT32: ((float*) dst.data)[doff] += ((const float*) src.data)[soff]; return;
            case GP_FLOAT64: ((double*) dst.data)[doff] += ((const double*) src.data)[soff]; return;
            case GP_INT64: ((long long*) dst.data)[doff] += ((const long long*) src.data)[soff]; return;
            case GP_INT32: ((int*) dst.data)[doff] += ((const int*) src.data)[soff]; return;
            case GP_BOOL: ((unsigned char*) dst.data)[doff] |= ((const unsigned char*) src.data)[soff]; return;
            default:   // float16, bfloat16: add in float, round once
                gp_store(dst, doff, gp_load<float>(dst, doff) + gp_load<float>(src, soff));
                return;
        }
    }
    if (!gp_floating(dt)) gp_store(dst, doff, gp_load<long long>(dst, doff) + gp_load<long long>(src, soff));
    else gp_store(dst, doff, gp_load<double>(dst, doff) + gp_load<double>(src, soff));
}

// gp_accumulate made atomic: the hardware's atomicAdd for same-dtype float32, float64, int32 and int64; otherwise
// a compare-and-swap loop on the aligned 32- or 64-bit word that holds the element, which applies gp_accumulate
// to a private copy of the word (float16, bfloat16, bool and mixed dtypes).
__device__ void gp_atomic_accumulate(const GpOperand& dst, long long doff, const GpOperand& src, long long soff) {
    int dt = (int) dst.dtype;
    if (dt == (int) src.dtype) {
        switch (dt) {
            case GP_FLOAT32: atomicAdd((float*) dst.data + doff, ((const float*) src.data)[soff]); return;
            case GP_FLOAT64: atomicAdd((double*) dst.data + doff, ((const double*) src.data)[soff]); return;
            case GP_INT32: atomicAdd((int*) dst.data + doff, ((const int*) src.data)[soff]); return;
            case GP_INT64:
                atomicAdd((unsigned long long*) dst.data + doff, (unsigned long long) ((const long long*) src.data)[soff]);
                return;
            default: break;
        }
    }
    GpOperand mine;
    mine.dtype = dt;
    int size = gp_itemsize(dt);
    if (size == 8) {
        unsigned long long* word = (unsigned long long*) dst.data + doff;
        unsigned long long seen = *((volatile unsigned long long*) word);
        while (true) {
            unsigned long long next = seen;
            mine.data = (long long) &next;
            gp_accumulate(mine, 0, src, soff);
            unsigned long long prev = atomicCAS(word, seen, next);
            if (prev == seen) return;
            seen = prev;
        }
    }
    unsigned long long at = (unsigned long long) dst.data + (unsigned long long) doff * size;
    unsigned int* word = (unsigned int*) (at & ~3ULL);
    int byte = (int) (at & 3ULL);   // little-endian: the element's bytes within the word
    unsigned int seen = *((volatile unsigned int*) word);
    while (true) {
        unsigned int next = seen;
        mine.data = (long long) ((unsigned char*) &next + byte);
        gp_accumulate(mine, 0, src, soff);
        unsigned int prev = atomicCAS(word, seen, next);
        if (prev == seen) return;
        seen = prev;
    }
}

// The index at ioff if it lies in [0, size), else -1 after recording it in err.
__device__ __forceinline__ long long gp_checked(const GpOperand& index, long long ioff, long long size, unsigned long long* err) {
    long long i = gp_load<long long>(index, ioff);
    if (i >= 0 && i < size) return i;
    if (atomicCAS(err, 0ULL, 1ULL) == 0ULL) err[1] = (unsigned long long) i;
    return -1;
}

// out[p] = a[p with p[dim] = index[p]] over the (coalesced) shape s. a.stride is 0 along dim; step is a's stride
// along dim and size its extent. indexSelect runs here too, with index's stride 0 on every dim but dim.
extern "C" __global__ void gather(GpShape s, GpOperand out, GpOperand index, GpOperand a, long long size,
                                  long long step, long long err) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(p, s.numel) {
        gp_unravel(s, p, idx);
        long long k = gp_checked(index, gp_offset(index, idx, s.ndim), size, (unsigned long long*) err);
        if (k >= 0) gp_move(out, gp_offset(out, idx, s.ndim), a, gp_offset(a, idx, s.ndim) + k * step);
    }
}

// out[p with p[dim] = index[p]] = src[p] (or += with add), one thread per line. lines is index's shape with dim
// taken out; len is index's extent along dim; istep, sstep and ostep the three strides along dim; out.stride is 0
// along dim and size is out's extent there.
extern "C" __global__ void scatter(GpShape lines, GpOperand out, GpOperand index, GpOperand src, long long len,
                                   long long istep, long long sstep, long long ostep, long long size, int add,
                                   long long err) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(l, lines.numel) {
        gp_unravel(lines, l, idx);
        long long io = gp_offset(index, idx, lines.ndim), so = gp_offset(src, idx, lines.ndim);
        long long oo = gp_offset(out, idx, lines.ndim);
        for (long long j = 0; j < len; j++) {
            long long k = gp_checked(index, io + j * istep, size, (unsigned long long*) err);
            if (k < 0) continue;
            if (add) gp_accumulate(out, oo + k * ostep, src, so + j * sstep);
            else gp_move(out, oo + k * ostep, src, so + j * sstep);
        }
    }
}

// out.select(dim, index[k]) += src.select(dim, k), one thread per element of src (shape s, coalesced), atomically.
// index.stride is 0 on every dim but dim; out.stride is 0 along dim, step is its stride there and size its extent.
extern "C" __global__ void index_add(GpShape s, GpOperand out, GpOperand index, GpOperand src, long long size,
                                     long long step, long long err) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(p, s.numel) {
        gp_unravel(s, p, idx);
        long long k = gp_checked(index, gp_offset(index, idx, s.ndim), size, (unsigned long long*) err);
        if (k >= 0) gp_atomic_accumulate(out, gp_offset(out, idx, s.ndim) + k * step, src, gp_offset(src, idx, s.ndim));
    }
}

__device__ __forceinline__ bool gp_nonzero_at(const GpShape& s, const GpOperand& a, long long p, long long* idx) {
    gp_unravel(s, p, idx);
    long long off = gp_offset(a, idx, s.ndim);
    return gp_floating((int) a.dtype) ? gp_load<double>(a, off) != 0 : gp_load<long long>(a, off) != 0;
}

// nonzero, pass 1: chunk t of `chunks` (elements [t * chunk, (t + 1) * chunk) in row-major order of a's own
// shape s, not coalesced) counts its non-zeros into counts[t].
extern "C" __global__ void nonzero_count(GpShape s, GpOperand a, long long chunk, long long chunks, long long counts) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(t, chunks) {
        long long n = 0, to = (t + 1) * chunk < s.numel ? (t + 1) * chunk : s.numel;
        for (long long p = t * chunk; p < to; p++) if (gp_nonzero_at(s, a, p, idx)) n++;
        ((long long*) counts)[t] = n;
    }
}

// nonzero, pass 2: chunk t writes the coordinates of its non-zeros, in order, as rows of out [count, ndim]
// starting at row firsts[t] (the exclusive prefix sum of pass 1's counts).
extern "C" __global__ void nonzero_fill(GpShape s, GpOperand a, long long chunk, long long chunks, long long firsts,
                                        long long out) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(t, chunks) {
        long long row = ((const long long*) firsts)[t], to = (t + 1) * chunk < s.numel ? (t + 1) * chunk : s.numel;
        long long* o = (long long*) out;
        for (long long p = t * chunk; p < to; p++) {
            if (!gp_nonzero_at(s, a, p, idx)) continue;
            for (int d = 0; d < (int) s.ndim; d++) o[row * s.ndim + d] = idx[d];
            row++;
        }
    }
}
