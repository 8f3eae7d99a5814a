package dev.gpush.cuda;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.cuda.global.cudnn.*;

/**
 * Batch norm through cuDNN's spatial mode, with Backend.batchNorm's contract: an input [N, C, ...] is seen as
 * [N, C, rest, 1], so one mode serves BatchNorm1d and BatchNorm2d. Rules:
 * <ul>
 *   <li>float32 and float64 (the op computes float16 and bfloat16 in float32, Note [half accumulation]); anything
 *       else, or a machine without cuDNN, returns false and the op runs its composite.</li>
 *   <li>cuDNN wants a scale and a bias: a missing weight is a tensor of ones, a missing bias one of zeros, and a
 *       gradient not wanted goes to a scratch tensor.</li>
 *   <li>cuDNN moves the running statistics itself (factor {@code momentum}, unbiased variance), in place.</li>
 * </ul>
 */
final class CudnnBatchNorm {
    private CudnnBatchNorm() {}

    static boolean forward(CudaDevice dev, Tensor y, Tensor saveMean, Tensor saveInvstd, Tensor x, Tensor w, Tensor b,
                           Tensor runningMean, Tensor runningVar, boolean training, double momentum, double eps) {
        DType dt = y.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) return false;
        Cudnn cudnn = Cudnn.orNull(dev);
        if (cudnn == null) return false;
        Driver.use(dev.index());
        int c = x.shapeRef()[1];
        Tensor xc = Cudnn.contiguous(dev, x, dt);
        Tensor scale = w != null ? w : filled(dev, dt, c, 1), shift = b != null ? b : filled(dev, dt, c, 0);
        try (CudnnDescriptors d = new CudnnDescriptors();
             Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
            cudnnTensorStruct xd = d.tensor(dt, x.shapeRef()), pd = d.batchNormParams(xd);
            if (training)
                Cudnn.check(cudnnBatchNormalizationForwardTraining(cudnn.handle, CUDNN_BATCHNORM_SPATIAL, one, zero,
                        xd, Cudnn.at(xc), xd, Cudnn.at(y), pd, Cudnn.at(scale), Cudnn.at(shift), momentum,
                        Cudnn.at(runningMean), Cudnn.at(runningVar), eps, Cudnn.at(saveMean), Cudnn.at(saveInvstd)),
                        "cudnnBatchNormalizationForwardTraining");
            else
                Cudnn.check(cudnnBatchNormalizationForwardInference(cudnn.handle, CUDNN_BATCHNORM_SPATIAL, one, zero,
                        xd, Cudnn.at(xc), xd, Cudnn.at(y), pd, Cudnn.at(scale), Cudnn.at(shift),
                        Cudnn.at(runningMean), Cudnn.at(runningVar), eps), "cudnnBatchNormalizationForwardInference");
        } finally {
            Cudnn.release(xc, x);
            Cudnn.release(scale, w);
            Cudnn.release(shift, b);
        }
        return true;
    }

    static boolean backward(CudaDevice dev, Tensor gx, Tensor gw, Tensor gb, Tensor gy, Tensor x, Tensor w,
                            Tensor saveMean, Tensor saveInvstd, double eps) {
        DType dt = x.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) return false;
        Cudnn cudnn = Cudnn.orNull(dev);
        if (cudnn == null) return false;
        Driver.use(dev.index());
        int c = x.shapeRef()[1];
        Tensor xc = Cudnn.contiguous(dev, x, dt), gyc = Cudnn.contiguous(dev, gy, dt);
        Tensor scale = w != null ? w : filled(dev, dt, c, 1);
        Tensor dx = gx != null ? gx : CudaBackend.contiguousLike(dev, x, dt);
        Tensor dw = gw != null ? gw : CudaBackend.contiguousLike(dev, saveMean, dt);
        Tensor db = gb != null ? gb : CudaBackend.contiguousLike(dev, saveMean, dt);
        try (CudnnDescriptors d = new CudnnDescriptors();
             Pointer one = Cudnn.scalar(dt, 1); Pointer zero = Cudnn.scalar(dt, 0)) {
            cudnnTensorStruct xd = d.tensor(dt, x.shapeRef()), pd = d.batchNormParams(xd);
            Cudnn.check(cudnnBatchNormalizationBackward(cudnn.handle, CUDNN_BATCHNORM_SPATIAL, one, zero, one, zero,
                    xd, Cudnn.at(xc), xd, Cudnn.at(gyc), xd, Cudnn.at(dx), pd, Cudnn.at(scale), Cudnn.at(dw),
                    Cudnn.at(db), eps, Cudnn.at(saveMean), Cudnn.at(saveInvstd)), "cudnnBatchNormalizationBackward");
        } finally {
            Cudnn.release(xc, x);
            Cudnn.release(gyc, gy);
            Cudnn.release(scale, w);
            Cudnn.release(dx, gx);
            Cudnn.release(dw, gw);
            Cudnn.release(db, gb);
        }
        return true;
    }

    /** A contiguous [n] tensor of {@code dtype} holding {@code value}. */
    private static Tensor filled(CudaDevice dev, DType dtype, int n, double value) {
        Tensor t = new Tensor(new CudaStorage(dev, dtype, n), new int[]{n}, Shapes.contiguousStrides(new int[]{n}), 0,
                false);
        CudaElementwise.fill(dev, t, value);
        return t;
    }
}
