package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/**
 * Fused row kernels on a CUDA device through norms.cu: softmax, log_softmax and layer norm, forward and backward,
 * with Backend's contract (contiguous, float32 or float64 of one dtype; the ops check it). Rules:
 * <ul>
 *   <li>Rows of at most {@link #WARP_COLS} elements get a warp each (8 rows to a block of 256 threads); longer
 *       rows get a whole block. Either way the grid walks the rows in a grid-stride loop.</li>
 *   <li>Sums accumulate in double, as on the CPU (CpuNorms); so a float32 result is within a few float ulps of
 *       the CPU's.</li>
 *   <li>Layer norm's weight and bias gradients are two launches, no atomics, so they are the same from run to run:
 *       fixed chunks of rows sum into a float64 scratch per column, then the chunks add up in order.</li>
 * </ul>
 */
final class CudaNorms {
    private CudaNorms() {}

    static final int THREADS = 256;              // any multiple of 32 up to 1024 (norms.cu)
    static final int WARP_COLS = 1024;           // rows up to this long get one warp each
    private static final int ROWS_PER_BLOCK = THREADS / 32;
    private static final long PARTIAL_WORK = 1L << 17;   // (chunk, column) pairs the first gw/gb pass aims for

    static boolean softmax(CudaDevice dev, Tensor out, Tensor a, boolean log) {
        int cols = cols(a), rows = a.numel() / cols;
        boolean warp = cols <= WARP_COLS;
        dev.kernels().launchGrid("softmax" + suffix(a), grid(rows, warp), THREADS, addr(out), addr(a), (long) rows,
                (long) cols, log ? 1 : 0, warp ? 1 : 0);
        return true;
    }

    static boolean softmaxBackward(CudaDevice dev, Tensor gradIn, Tensor g, Tensor y, boolean log) {
        int cols = cols(y), rows = y.numel() / cols;
        boolean warp = cols <= WARP_COLS;
        dev.kernels().launchGrid("softmax_backward" + suffix(y), grid(rows, warp), THREADS, addr(gradIn), addr(g),
                addr(y), (long) rows, (long) cols, log ? 1 : 0, warp ? 1 : 0);
        return true;
    }

    static boolean layerNorm(CudaDevice dev, Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor w, Tensor b, double eps) {
        int rows = mean.numel(), cols = x.numel() / rows;
        boolean warp = cols <= WARP_COLS;
        dev.kernels().launchGrid("layer_norm" + suffix(x), grid(rows, warp), THREADS, addr(y), addr(mean), addr(rstd),
                addr(x), addr(w), addr(b), (long) rows, (long) cols, eps, warp ? 1 : 0);
        return true;
    }

    static boolean layerNormBackward(CudaDevice dev, Tensor gx, Tensor gw, Tensor gb, Tensor g, Tensor x, Tensor mean,
                                     Tensor rstd, Tensor w) {
        int rows = mean.numel(), cols = x.numel() / rows;
        String type = suffix(x);
        if (gx != null) {
            boolean warp = cols <= WARP_COLS;
            dev.kernels().launchGrid("layer_norm_backward" + type, grid(rows, warp), THREADS, addr(gx), addr(g), addr(x),
                    addr(mean), addr(rstd), addr(w), (long) rows, (long) cols, warp ? 1 : 0);
        }
        if (gw == null && gb == null) return true;
        long per = rowsPerChunk(rows, cols), chunks = (rows + per - 1) / per;
        int words = Math.toIntExact(2 * chunks * cols);
        try (Tensor partial = new Tensor(new CudaStorage(dev, DType.FLOAT64, words), new int[]{words}, new int[]{1}, 0, false)) {
            dev.kernels().launchOver("layer_norm_partials" + type, chunks * cols, addr(partial), addr(g), addr(x),
                    addr(mean), addr(rstd), (long) rows, (long) cols, chunks, per);
            // the scratch goes back to the allocator at once: the sum below runs before anything else on the stream
            dev.kernels().launchOver("layer_norm_sum" + type, cols, addr(gw), addr(gb), addr(partial), (long) cols, chunks);
        }
        return true;
    }

    /** Rows in each chunk of the first gw/gb pass: enough chunks to fill the device, none empty. */
    static long rowsPerChunk(int rows, int cols) {
        long chunks = Math.max(1, Math.min(rows, PARTIAL_WORK / cols));
        return (rows + chunks - 1) / chunks;
    }

    /** Blocks for {@code rows} rows: one per row, or one per {@link #ROWS_PER_BLOCK} rows in warp mode. */
    static int grid(int rows, boolean warp) {
        long groups = warp ? (rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK : rows;
        return (int) Math.max(1, Math.min(Kernels.MAX_BLOCKS, groups));
    }

    private static int cols(Tensor t) { return t.shapeRef().length == 0 ? 1 : t.size(-1); }

    private static String suffix(Tensor t) { return t.dtype() == DType.FLOAT32 ? "_f32" : "_f64"; }

    /** The device address of element 0, or 0 for an absent weight, bias or gradient. */
    private static long addr(Tensor t) { return t == null ? 0L : CudaElementwise.address(t); }
}
