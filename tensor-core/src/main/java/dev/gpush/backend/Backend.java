package dev.gpush.backend;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Storage;
import dev.gpush.tensor.Tensor;

/**
 * The primitive kernels a device provides. Every tensor op is built on these.
 *
 * <p>Contract: operands arrive as strided views already broadcast to the output's shape (stride 0 along
 * broadcast dims) and on this backend's device. {@code out} may be any strided view, including one that
 * overlaps an input elementwise (in-place ops). Inputs may differ in dtype from {@code out}; the backend
 * converts on load and store. Shape, dtype and device checks happen in the ops, never here.
 */
public interface Backend {
    /**
     * Storage for {@code length} elements: every element 0 (false) when {@code zeroed}, otherwise uninitialised
     * (whatever the memory held; a GPU skips its memset), and then the caller must write every element before
     * anything reads it. Note [uninitialised outputs] in {@code ops.Creation} says which ops may ask for that.
     */
    Storage allocate(DType dtype, int length, boolean zeroed);

    /** Storage holding a copy of a Java array (float[], double[], long[], int[], short[] raw half bits, byte[]). */
    Storage fromArray(DType dtype, Object array);

    /** Copies a contiguous CPU-side view of {@code src} into a Java array of the dtype's storage type. */
    Object toArray(Tensor src);

    /** Fills with {@code value}: integer dtypes take its {@code longValue()} exactly, floating ones its double. */
    void fill(Tensor out, Number value);

    /** {@code out = src}, converting dtype; both have the same shape. */
    void copy(Tensor out, Tensor src);

    void unary(UnaryOp op, Tensor out, Tensor a);

    void binary(BinaryOp op, Tensor out, Tensor a, Tensor b);

    /** {@code out = cond ? a : b}. */
    void where(Tensor out, Tensor cond, Tensor a, Tensor b);

    /** Reduces {@code a} over {@code dims}; {@code out} has {@code a}'s shape with those dims set to 1. */
    void reduce(ReduceOp op, Tensor out, Tensor a, int[] dims);

    /** Inclusive prefix sum along {@code dim}. */
    void cumsum(Tensor out, Tensor a, int dim);

    /** Batched GEMM: a [B, M, K] times b [B, K, N] into out [B, M, N]; any strides. */
    void matmul(Tensor out, Tensor a, Tensor b);

    /** {@code out[..i..] = a[..index[..i..]..]} along {@code dim} (torch.gather). */
    void gather(Tensor out, Tensor a, int dim, Tensor index);

    /** {@code out[..index[..i..]..] = src[..i..]} (or {@code +=} when {@code add}) along {@code dim}, in place. */
    void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean add);

    /** Selects whole slices: {@code out.select(dim, i) = a.select(dim, index[i])}. */
    void indexSelect(Tensor out, Tensor a, int dim, Tensor index);

    /** {@code out.select(dim, index[i]) += src.select(dim, i)}, in place. */
    void indexAdd(Tensor out, int dim, Tensor index, Tensor src);

    /**
     * Sliding 2-d windows (im2col): {@code cols[n, c, i, j, y, x] = img[n, c, y*stride[0] - padding[0] +
     * i*dilation[0], x*stride[1] - padding[1] + j*dilation[1]]}, 0 where that falls outside the image. With
     * {@code fold}, its adjoint (col2im): every element of {@code cols} is added into {@code img} at that
     * position, in place, and those outside are dropped. Both are float32 or float64, of one dtype.
     */
    void unfold2d(Tensor cols, Tensor img, int[] stride, int[] padding, int[] dilation, boolean fold);

    // Fused window and batch-norm kernels (cuDNN on CUDA). Each returns false where the device has none for these
    // arguments, leaving its outputs untouched; the op then runs its composite of the primitives above. Inputs may
    // have any strides (the device copies what its library needs contiguous); outputs are contiguous; every tensor
    // is non-empty, on this device, of the input's floating dtype.

    /**
     * 2-d convolution (cross-correlation, as conv2d): {@code y [N, O, oh, ow] = x [N, C, H, W] (*) w [O, C/groups,
     * kh, kw] + b [O]}, zero padding {@code padding} on both sides, {@code oh} and {@code ow} by
     * {@code Windows.outputSize}. {@code b} may be null.
     */
    boolean conv2d(Tensor y, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups);

    /**
     * conv2d's backward from the output's gradient {@code gy}: the input's {@code gx} and the weight's {@code gw},
     * either null when not wanted (the bias's gradient is a sum the op takes itself).
     */
    boolean conv2dBackward(Tensor gx, Tensor gw, Tensor gy, Tensor x, Tensor w, int[] stride, int[] padding,
                           int[] dilation, int groups);

    /**
     * 2-d pooling of {@code x [N, C, H, W]} into {@code y [N, C, oh, ow]}, floor rounding, symmetric padding: the
     * maximum of each window (padding never wins), or with {@code max} false the mean, divided by the window's
     * size with {@code countIncludePad} and by the part inside the image without.
     */
    boolean pool2d(Tensor y, Tensor x, boolean max, int[] kernel, int[] stride, int[] padding, boolean countIncludePad);

    /** pool2d's backward: {@code gx} from the output's gradient {@code gy}, the forward's {@code y} and {@code x}. */
    boolean pool2dBackward(Tensor gx, Tensor gy, Tensor y, Tensor x, boolean max, int[] kernel, int[] stride,
                           int[] padding, boolean countIncludePad);

    /**
     * Batch norm of {@code x [N, C, ...]} per channel, {@code y = (x - mean) * invstd * w + b}, {@code w} and
     * {@code b} [C] or null (1 and 0). Training: the batch's mean and {@code invstd = 1 / sqrt(var + eps)} (biased
     * variance) go to {@code saveMean} and {@code saveInvstd} [C], and the running statistics (both or neither
     * null) move in place: {@code r = (1 - momentum) r + momentum s}, with the unbiased variance. Eval
     * ({@code training} false): the running statistics normalise, and the saved ones are null. float32 or float64;
     * w, b, the running and the saved statistics are contiguous, of x's dtype.
     */
    boolean batchNorm(Tensor y, Tensor saveMean, Tensor saveInvstd, Tensor x, Tensor w, Tensor b, Tensor runningMean,
                      Tensor runningVar, boolean training, double momentum, double eps);

    /**
     * Training batch norm's backward from the saved mean and invstd: the input's {@code gx}, the weight's
     * {@code gw} and the bias's {@code gb} (each null when not wanted); {@code w} null means 1.
     */
    boolean batchNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor gy, Tensor x, Tensor w, Tensor saveMean,
                              Tensor saveInvstd, double eps);

    /**
     * Fused softmax over the last dim, row by row: {@code out = exp(a - max) / sum(exp(a - max))}, or with
     * {@code log}, {@code (a - max) - log(sum(exp(a - max)))}. Unlike the other primitives this one has a narrow
     * contract: {@code a} and {@code out} are contiguous, non-empty, of one dtype, float32 or float64. Returns false
     * where the device has no fused kernel; the op then runs its composite of the primitives above.
     */
    boolean softmax(Tensor out, Tensor a, boolean log);

    /**
     * Softmax's backward from its output {@code y} and the output's gradient {@code g}, with the layout rules of
     * {@link #softmax}: {@code gradIn = y * (g - sum(g * y))}, or with {@code log}, {@code g - exp(y) * sum(g)},
     * the sums over the last dim. Returns false where the device has no fused kernel.
     */
    boolean softmaxBackward(Tensor gradIn, Tensor g, Tensor y, boolean log);

    /**
     * Fused layer norm over rows of {@code x.numel() / mean.numel()} trailing elements: {@code y = (x - mean) *
     * rstd * w + b} with the biased variance, {@code rstd = 1 / sqrt(var + eps)}; {@code w} and {@code b} (one
     * row each) may be null. Stores each row's mean and rstd into {@code mean} and {@code rstd} (float64).
     * x, y, w and b are contiguous, non-empty, of one dtype, float32 or float64. Returns false where the device
     * has no fused kernel; the op then runs its composite.
     */
    boolean layerNorm(Tensor y, Tensor mean, Tensor rstd, Tensor x, Tensor w, Tensor b, double eps);

    /**
     * Layer norm's backward from the saved mean and rstd: the input's gradient {@code gx}, and the weight's and
     * bias's {@code gw}, {@code gb} summed over rows; each of the three may be null (not wanted), and {@code w}
     * may be null (no weight). The layout rules of {@link #layerNorm}. Returns false where the device has no
     * fused kernel.
     */
    boolean layerNormBackward(Tensor gx, Tensor gw, Tensor gb, Tensor g, Tensor x, Tensor mean, Tensor rstd, Tensor w);

    /**
     * One fused Adam/AdamW step in place: updates {@code param}, {@code expAvg}, {@code expAvgSq} and, with
     * {@code s.amsgrad()}, {@code maxExpAvgSq} (else null) from {@code grad}, with exactly the operations and
     * roundings listed in {@link AdamStep}, so the result equals the optimizer's composite to the bit. All tensors
     * are contiguous, of one shape and one dtype, float32 or float64, and non-empty. Returns false where the device
     * has no fused step; the optimizer then runs its composite.
     */
    boolean adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamStep s);

    /** Positions of the non-zero elements of {@code a}, as an int64 tensor [count, a.dim()]. */
    Tensor nonzero(Tensor a);

    /** Fills {@code out} (contiguous) with element {@code i} drawn from Philox stream (seed, offset + i). */
    void random(RandomOp op, Tensor out, double a, double b, long seed, long offset);
}
