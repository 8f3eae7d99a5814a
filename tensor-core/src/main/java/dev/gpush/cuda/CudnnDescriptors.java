package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnPoolingStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.bytedeco.cuda.global.cudnn.*;

/**
 * The cuDNN descriptors of one call, made through this object and destroyed together by {@link #close()} (in a
 * try-with-resources block, so an exception never leaks one). Tensors are packed NCHW.
 */
final class CudnnDescriptors implements AutoCloseable {
    private final Deque<Runnable> destroy = new ArrayDeque<>();

    /** A packed NCHW tensor of {@code dtype}. */
    cudnnTensorStruct tensor(DType dtype, int n, int c, int h, int w) {
        cudnnTensorStruct d = new cudnnTensorStruct();
        Cudnn.check(cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor");
        destroy.push(() -> cudnnDestroyTensorDescriptor(d));
        Cudnn.check(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, Cudnn.dataType(dtype), n, c, h, w),
                "cudnnSetTensor4dDescriptor");
        return d;
    }

    /** A tensor of {@code shape} [N, C, ...] seen as NCHW with the trailing dims folded: [N, C, rest, 1]. */
    cudnnTensorStruct tensor(DType dtype, int[] shape) {
        int rest = 1;
        for (int d = 2; d < shape.length; d++) rest *= shape[d];
        return tensor(dtype, shape[0], shape[1], rest, 1);
    }

    /** A packed filter [O, C/groups, kh, kw]. */
    cudnnFilterStruct filter(DType dtype, int[] shape) {
        cudnnFilterStruct d = new cudnnFilterStruct();
        Cudnn.check(cudnnCreateFilterDescriptor(d), "cudnnCreateFilterDescriptor");
        destroy.push(() -> cudnnDestroyFilterDescriptor(d));
        Cudnn.check(cudnnSetFilter4dDescriptor(d, Cudnn.dataType(dtype), CUDNN_TENSOR_NCHW, shape[0], shape[1],
                shape[2], shape[3]), "cudnnSetFilter4dDescriptor");
        return d;
    }

    /**
     * A cross-correlation (conv2d's sense) with {@code groups}. float64 computes in double and the rest in float;
     * float32 and float64 use FMA kernels only (no TF32: results equal the CPU's within float32 rounding), float16
     * and bfloat16 may use tensor cores.
     */
    cudnnConvolutionStruct convolution(DType dtype, int[] stride, int[] padding, int[] dilation, int groups) {
        cudnnConvolutionStruct d = new cudnnConvolutionStruct();
        Cudnn.check(cudnnCreateConvolutionDescriptor(d), "cudnnCreateConvolutionDescriptor");
        destroy.push(() -> cudnnDestroyConvolutionDescriptor(d));
        int compute = dtype == DType.FLOAT64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
        Cudnn.check(cudnnSetConvolution2dDescriptor(d, padding[0], padding[1], stride[0], stride[1], dilation[0],
                dilation[1], CUDNN_CROSS_CORRELATION, compute), "cudnnSetConvolution2dDescriptor");
        Cudnn.check(cudnnSetConvolutionGroupCount(d, groups), "cudnnSetConvolutionGroupCount");
        boolean full = dtype == DType.FLOAT32 || dtype == DType.FLOAT64;
        Cudnn.check(cudnnSetConvolutionMathType(d, full ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH),
                "cudnnSetConvolutionMathType");
        return d;
    }

    /** Max pooling (NaN propagates) or average pooling counting the padding or not. */
    cudnnPoolingStruct pooling(boolean max, boolean countIncludePad, int[] kernel, int[] stride, int[] padding) {
        cudnnPoolingStruct d = new cudnnPoolingStruct();
        Cudnn.check(cudnnCreatePoolingDescriptor(d), "cudnnCreatePoolingDescriptor");
        destroy.push(() -> cudnnDestroyPoolingDescriptor(d));
        int mode = max ? CUDNN_POOLING_MAX
                : countIncludePad ? CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
        Cudnn.check(cudnnSetPooling2dDescriptor(d, mode, CUDNN_PROPAGATE_NAN, kernel[0], kernel[1], padding[0],
                padding[1], stride[0], stride[1]), "cudnnSetPooling2dDescriptor");
        return d;
    }

    /** The per-channel descriptor of batch norm's scale, bias and statistics for input {@code x}. */
    cudnnTensorStruct batchNormParams(cudnnTensorStruct x) {
        cudnnTensorStruct d = new cudnnTensorStruct();
        Cudnn.check(cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor");
        destroy.push(() -> cudnnDestroyTensorDescriptor(d));
        Cudnn.check(cudnnDeriveBNTensorDescriptor(d, x, CUDNN_BATCHNORM_SPATIAL), "cudnnDeriveBNTensorDescriptor");
        return d;
    }

    /** Destroys every descriptor made, newest first. */
    @Override public void close() {
        while (!destroy.isEmpty()) destroy.pop().run();
    }
}
