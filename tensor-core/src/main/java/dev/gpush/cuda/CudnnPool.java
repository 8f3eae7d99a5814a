package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.bytedeco.cuda.cudnn.cudnnPoolingStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.cuda.global.cudnn.*;

/**
 * Max and average 2-d pooling through cuDNN, with Backend.pool2d's contract: float32, float64 and float16 (bfloat16
 * returns false, as does a machine without cuDNN; the op then runs its composite). Inputs of other strides are
 * copied contiguous first. The op calls this only for floor rounding, no dilation and no divisor override, the
 * cases cuDNN's pooling descriptor expresses.
 */
final class CudnnPool {
    private CudnnPool() {}

    private static Cudnn cudnn(CudaDevice dev, DType dt) {
        boolean taken = dt == DType.FLOAT32 || dt == DType.FLOAT64 || dt == DType.FLOAT16;
        return taken ? Cudnn.orNull(dev) : null;
    }

    static boolean forward(CudaDevice dev, Tensor y, Tensor x, boolean max, int[] kernel, int[] stride, int[] padding,
                           boolean countIncludePad) {
        DType dt = y.dtype();
        Cudnn cudnn = cudnn(dev, dt);
        if (cudnn == null) return false;
        Driver.use(dev.index());
        Tensor xc = Cudnn.contiguous(dev, x, dt);
        try (CudnnDescriptors d = new CudnnDescriptors();
             Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
            cudnnPoolingStruct p = d.pooling(max, countIncludePad, kernel, stride, padding);
            cudnnTensorStruct xd = d.tensor(dt, x.shapeRef()), yd = d.tensor(dt, y.shapeRef());
            Cudnn.check(cudnnPoolingForward(cudnn.handle, p, one, xd, Cudnn.at(xc), zero, yd, Cudnn.at(y)),
                    "cudnnPoolingForward");
        } finally {
            Cudnn.release(xc, x);
        }
        return true;
    }

    static boolean backward(CudaDevice dev, Tensor gx, Tensor gy, Tensor y, Tensor x, boolean max, int[] kernel,
                            int[] stride, int[] padding, boolean countIncludePad) {
        DType dt = gx.dtype();
        Cudnn cudnn = cudnn(dev, dt);
        if (cudnn == null) return false;
        Driver.use(dev.index());
        Tensor gyc = Cudnn.contiguous(dev, gy, dt), yc = Cudnn.contiguous(dev, y, dt), xc = Cudnn.contiguous(dev, x, dt);
        try (CudnnDescriptors d = new CudnnDescriptors();
             Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
            cudnnPoolingStruct p = d.pooling(max, countIncludePad, kernel, stride, padding);
            cudnnTensorStruct xd = d.tensor(dt, x.shapeRef()), yd = d.tensor(dt, y.shapeRef());
            Cudnn.check(cudnnPoolingBackward(cudnn.handle, p, one, yd, Cudnn.at(yc), yd, Cudnn.at(gyc), xd, Cudnn.at(xc),
                    zero, xd, Cudnn.at(gx)), "cudnnPoolingBackward");
        } finally {
            Cudnn.release(gyc, gy);
            Cudnn.release(yc, y);
            Cudnn.release(xc, x);
        }
        return true;
    }
}
