package dev.gpush.bench;

import dev.gpush.nn.BatchNorm2d;
import dev.gpush.nn.Conv2d;
import dev.gpush.nn.Sequential;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.List;

/**
 * Forward and backward of a ResNet basic block, in training mode: relu(bn2(conv2(relu(bn1(conv1(x))))) + x) with
 * 3x3 convolutions (padding 1, no bias), then {@code sum().backward()}. The input requires grad, as it does inside
 * a network, so backward computes the gradient of the input as well as of the weights; gradients are set to none
 * before each step (PyTorch's {@code zero_grad(set_to_none=True)}).
 *
 * <p>GFLOP/s counts the convolutions only: 2 x batch x C x C x 9 x size^2 each forward, and twice that backward
 * (the input's gradient and the weight's).
 */
final class ConvBlock {
    private ConvBlock() {}

    static Workload workload(Profile.Conv c, Device device) {
        double flops = 3 * 2 * (2.0 * c.batch() * c.channels() * c.channels() * 9 * c.size() * c.size());
        return new Workload("conv block fwd+bwd " + c.batch() + "x" + c.channels() + "x" + c.size() + "x" + c.size(),
                null, "conv_block:" + c.batch() + ":" + c.channels() + ":" + c.size(),
                List.of(Workload.Metric.rate("steps/s", 1), Workload.Metric.rate("GFLOP/s", flops / 1e9)),
                Workload.timed(device, () -> {
                    var conv1 = new Conv2d(c.channels(), c.channels(), 3, 1, 1, 1, 1, false);
                    var conv2 = new Conv2d(c.channels(), c.channels(), 3, 1, 1, 1, 1, false);
                    var bn1 = new BatchNorm2d(c.channels());
                    var bn2 = new BatchNorm2d(c.channels());
                    var block = new Sequential(conv1, bn1, conv2, bn2); // holds the parameters; forward is below
                    block.to(device);
                    Tensor x = Tensor.randn(new int[]{c.batch(), c.channels(), c.size(), c.size()}, DType.FLOAT32, device)
                            .requiresGrad(true);
                    return iterations -> {
                        for (long i = 0; i < iterations; i++) {
                            block.zeroGrad();
                            x.setGrad(null);
                            Tensor h = bn1.forward(conv1.forward(x)).relu();
                            Tensor out = bn2.forward(conv2.forward(h)).add(x).relu();
                            out.sum().backward();
                            Sink.keep(i, out);
                        }
                    };
                }));
    }
}
