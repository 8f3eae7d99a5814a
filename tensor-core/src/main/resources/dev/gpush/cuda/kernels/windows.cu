// Sliding 2-d windows (the host side is CudaWindows), in float32 or float64 with one dtype on both sides, as on the
// CPU (CpuWindows):
//   unfold (im2col): cols[n, c, i, j, y, x] = img[n, c, y*s0 - p0 + i*d0, x*s1 - p1 + j*d1], 0 outside the image;
//   fold (col2im): every element of cols is added into img at that position; those outside are dropped.
// unfold runs one thread per element of cols. fold runs one thread per element of img, which adds the elements
// of cols that land on it in (i, j) order, each add rounded to T: the CPU's order (for one (i, j) at most one
// (y, x) lands on a pixel), so fold needs no atomics and matches the CPU exactly.

// The window geometry; every field 64-bit, as the Java side writes it (CudaWindows.geometry).
struct GpWindow {
    long long kh, kw, oh, ow;   // cols [N, C, kh, kw, oh, ow]
    long long h, w;             // img [N, C, h, w]
    long long s0, s1, p0, p1, d0, d1;
};

// cs is cols' shape (6 dims); img.stride holds img's 4 strides.
template <typename T> __device__ void gp_unfold(const GpShape& cs, const GpWindow& g, const GpOperand& cols,
                                                const GpOperand& img) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(p, cs.numel) {
        gp_unravel(cs, p, idx);
        long long iy = idx[4] * g.s0 - g.p0 + idx[2] * g.d0, ix = idx[5] * g.s1 - g.p1 + idx[3] * g.d1;
        T v = 0;
        if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w)
            v = ((const T*) img.data)[idx[0] * img.stride[0] + idx[1] * img.stride[1] + iy * img.stride[2] + ix * img.stride[3]];
        ((T*) cols.data)[gp_offset(cols, idx, 6)] = v;
    }
}

// is is img's shape (4 dims); cols.stride holds cols' 6 strides.
template <typename T> __device__ void gp_fold(const GpShape& is, const GpWindow& g, const GpOperand& cols,
                                              const GpOperand& img) {
    long long idx[GP_MAX_DIMS];
    GP_FOR_EACH(p, is.numel) {
        gp_unravel(is, p, idx);
        long long Y = idx[2], X = idx[3];
        T* at = (T*) img.data + gp_offset(img, idx, 4);
        T acc = *at;
        long long base = idx[0] * cols.stride[0] + idx[1] * cols.stride[1];
        for (long long i = 0; i < g.kh; i++) {
            long long ny = Y + g.p0 - i * g.d0;   // = y * s0
            if (ny < 0 || ny % g.s0 != 0 || ny / g.s0 >= g.oh) continue;
            long long y = ny / g.s0;
            for (long long j = 0; j < g.kw; j++) {
                long long nx = X + g.p1 - j * g.d1;
                if (nx < 0 || nx % g.s1 != 0 || nx / g.s1 >= g.ow) continue;
                long long x = nx / g.s1;
                acc += ((const T*) cols.data)[base + i * cols.stride[2] + j * cols.stride[3] + y * cols.stride[4]
                        + x * cols.stride[5]];
            }
        }
        *at = acc;
    }
}

extern "C" __global__ void unfold2d_f32(GpShape cs, GpWindow g, GpOperand cols, GpOperand img) { gp_unfold<float>(cs, g, cols, img); }
extern "C" __global__ void unfold2d_f64(GpShape cs, GpWindow g, GpOperand cols, GpOperand img) { gp_unfold<double>(cs, g, cols, img); }
extern "C" __global__ void fold2d_f32(GpShape is, GpWindow g, GpOperand cols, GpOperand img) { gp_fold<float>(is, g, cols, img); }
extern "C" __global__ void fold2d_f64(GpShape is, GpWindow g, GpOperand cols, GpOperand img) { gp_fold<double>(is, g, cols, img); }
