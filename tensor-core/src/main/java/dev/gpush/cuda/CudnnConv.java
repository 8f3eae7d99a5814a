package dev.gpush.cuda;

import dev.gpush.backend.BinaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.Arrays;

import static org.bytedeco.cuda.global.cudnn.*;

/**
 * conv2d forward and backward through cuDNN, with Backend.conv2d's contract. Rules:
 * <ul>
 *   <li>float32, float64, float16 and bfloat16 (the last two with float accumulation); inputs of other strides or
 *       dtypes are copied contiguous first. Groups and dilation go in the convolution descriptor.</li>
 *   <li>Algorithms come from cuDNN's heuristics ({@code cudnnGet*Algorithm_v7}, no benchmarking, so no
 *       allocation behind the caching allocator's back): the first one cuDNN reports usable, remembered per
 *       call shape. When cuDNN reports none usable (a dtype the GPU lacks), the call returns false before writing
 *       anything and the op runs its composite.</li>
 *   <li>The bias is added after the convolution by the elementwise kernel; its gradient is the op's sum.</li>
 *   <li>Without cuDNN every call returns false (Note [cuDNN is optional]).</li>
 * </ul>
 */
final class CudnnConv {
    private CudnnConv() {}

    private record Call(Cudnn cudnn, CudnnDescriptors d, cudnnTensorStruct x, cudnnFilterStruct w,
                        cudnnConvolutionStruct conv, cudnnTensorStruct y, String key) {}

    private static Call call(Cudnn cudnn, CudnnDescriptors d, DType dt, int[] x, int[] w, int[] y, int[] stride,
                             int[] padding, int[] dilation, int groups) {
        String key = dt + Arrays.toString(x) + Arrays.toString(w) + Arrays.toString(y) + Arrays.toString(stride)
                + Arrays.toString(padding) + Arrays.toString(dilation) + groups;
        return new Call(cudnn, d, d.tensor(dt, x[0], x[1], x[2], x[3]), d.filter(dt, w),
                d.convolution(dt, stride, padding, dilation, groups), d.tensor(dt, y[0], y[1], y[2], y[3]), key);
    }

    static boolean forward(CudaDevice dev, Tensor y, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding,
                           int[] dilation, int groups) {
        DType dt = y.dtype();
        Cudnn cudnn = Cudnn.dataType(dt) < 0 ? null : Cudnn.orNull(dev);
        if (cudnn == null) return false;
        Driver.use(dev.index());
        Tensor xc = Cudnn.contiguous(dev, x, dt), wc = Cudnn.contiguous(dev, w, dt);
        try (CudnnDescriptors d = new CudnnDescriptors()) {
            Call c = call(cudnn, d, dt, x.shapeRef(), w.shapeRef(), y.shapeRef(), stride, padding, dilation, groups);
            int algo = algorithm(c, "fwd");
            if (algo < 0) return false;
            long bytes;
            try (SizeTPointer size = new SizeTPointer(1)) {
                Cudnn.check(cudnnGetConvolutionForwardWorkspaceSize(cudnn.handle, c.x, c.w, c.conv, c.y, algo, size),
                        "cudnnGetConvolutionForwardWorkspaceSize");
                bytes = size.get();
            }
            try (Cudnn.Workspace ws = cudnn.new Workspace(bytes);
                 Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
                Cudnn.check(cudnnConvolutionForward(cudnn.handle, one, c.x, Cudnn.at(xc), c.w, Cudnn.at(wc), c.conv, algo,
                        ws.pointer(), ws.bytes, zero, c.y, Cudnn.at(y)), "cudnnConvolutionForward");
            }
        } finally {
            Cudnn.release(xc, x);
            Cudnn.release(wc, w);
        }
        if (b != null) {   // y += b [1, O, 1, 1], broadcast by stride 0
            int[] s = y.shapeRef();
            Tensor row = Tensor.borrow(b, s, new int[]{0, b.strideRef()[0], 0, 0}, b.storageOffset());
            CudaElementwise.binary(dev, BinaryOp.ADD, y, y, row);
        }
        return true;
    }

    static boolean backward(CudaDevice dev, Tensor gx, Tensor gw, Tensor gy, Tensor x, Tensor w, int[] stride,
                            int[] padding, int[] dilation, int groups) {
        DType dt = gy.dtype();
        Cudnn cudnn = Cudnn.dataType(dt) < 0 ? null : Cudnn.orNull(dev);
        if (cudnn == null) return false;
        Driver.use(dev.index());
        Tensor gyc = Cudnn.contiguous(dev, gy, dt), xc = Cudnn.contiguous(dev, x, dt), wc = Cudnn.contiguous(dev, w, dt);
        try (CudnnDescriptors d = new CudnnDescriptors()) {
            Call c = call(cudnn, d, dt, x.shapeRef(), w.shapeRef(), gy.shapeRef(), stride, padding, dilation, groups);
            int dataAlgo = gx == null ? 0 : algorithm(c, "data"), filterAlgo = gw == null ? 0 : algorithm(c, "filter");
            if (dataAlgo < 0 || filterAlgo < 0) return false;
            if (gx != null) backwardData(c, dataAlgo, dt, gx, gyc, wc);
            if (gw != null) backwardFilter(c, filterAlgo, dt, gw, gyc, xc);
        } finally {
            Cudnn.release(gyc, gy);
            Cudnn.release(xc, x);
            Cudnn.release(wc, w);
        }
        return true;
    }

    private static void backwardData(Call c, int algo, DType dt, Tensor gx, Tensor gy, Tensor w) {
        long bytes;
        try (SizeTPointer size = new SizeTPointer(1)) {
            Cudnn.check(cudnnGetConvolutionBackwardDataWorkspaceSize(c.cudnn.handle, c.w, c.y, c.conv, c.x, algo, size),
                    "cudnnGetConvolutionBackwardDataWorkspaceSize");
            bytes = size.get();
        }
        try (Cudnn.Workspace ws = c.cudnn.new Workspace(bytes);
             Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
            Cudnn.check(cudnnConvolutionBackwardData(c.cudnn.handle, one, c.w, Cudnn.at(w), c.y, Cudnn.at(gy), c.conv,
                    algo, ws.pointer(), ws.bytes, zero, c.x, Cudnn.at(gx)), "cudnnConvolutionBackwardData");
        }
    }

    private static void backwardFilter(Call c, int algo, DType dt, Tensor gw, Tensor gy, Tensor x) {
        long bytes;
        try (SizeTPointer size = new SizeTPointer(1)) {
            Cudnn.check(cudnnGetConvolutionBackwardFilterWorkspaceSize(c.cudnn.handle, c.x, c.y, c.conv, c.w, algo, size),
                    "cudnnGetConvolutionBackwardFilterWorkspaceSize");
            bytes = size.get();
        }
        try (Cudnn.Workspace ws = c.cudnn.new Workspace(bytes);
             Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
            Cudnn.check(cudnnConvolutionBackwardFilter(c.cudnn.handle, one, c.x, Cudnn.at(x), c.y, Cudnn.at(gy), c.conv,
                    algo, ws.pointer(), ws.bytes, zero, c.w, Cudnn.at(gw)), "cudnnConvolutionBackwardFilter");
        }
    }

    /** The first algorithm cuDNN's heuristics report usable for {@code kind} ("fwd", "data", "filter"), or -1. */
    private static int algorithm(Call c, String kind) {
        String key = kind + c.key;
        synchronized (c.cudnn.algorithms) {
            Integer known = c.cudnn.algorithms.get(key);
            if (known != null) return known;
        }
        int[] count = new int[1];
        int algo = -1;
        switch (kind) {
            case "fwd" -> {
                try (cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(CUDNN_CONVOLUTION_FWD_ALGO_COUNT)) {
                    Cudnn.check(cudnnGetConvolutionForwardAlgorithm_v7(c.cudnn.handle, c.x, c.w, c.conv, c.y,
                            CUDNN_CONVOLUTION_FWD_ALGO_COUNT, count, perf), "cudnnGetConvolutionForwardAlgorithm_v7");
                    for (int i = 0; i < count[0] && algo < 0; i++) {
                        cudnnConvolutionFwdAlgoPerf_t p = perf.getPointer(i);
                        if (p.status() == CUDNN_STATUS_SUCCESS) algo = p.algo();
                    }
                }
            }
            case "data" -> {
                try (cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT)) {
                    Cudnn.check(cudnnGetConvolutionBackwardDataAlgorithm_v7(c.cudnn.handle, c.w, c.y, c.conv, c.x,
                            CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, count, perf), "cudnnGetConvolutionBackwardDataAlgorithm_v7");
                    for (int i = 0; i < count[0] && algo < 0; i++) {
                        cudnnConvolutionBwdDataAlgoPerf_t p = perf.getPointer(i);
                        if (p.status() == CUDNN_STATUS_SUCCESS) algo = p.algo();
                    }
                }
            }
            default -> {
                try (cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT)) {
                    Cudnn.check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(c.cudnn.handle, c.x, c.y, c.conv, c.w,
                            CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, count, perf), "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
                    for (int i = 0; i < count[0] && algo < 0; i++) {
                        cudnnConvolutionBwdFilterAlgoPerf_t p = perf.getPointer(i);
                        if (p.status() == CUDNN_STATUS_SUCCESS) algo = p.algo();
                    }
                }
            }
        }
        synchronized (c.cudnn.algorithms) {
            c.cudnn.algorithms.put(key, algo);
        }
        return algo;
    }
}
