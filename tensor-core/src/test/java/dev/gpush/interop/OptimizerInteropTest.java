package dev.gpush.interop;

import dev.gpush.nn.Linear;
import dev.gpush.optim.Adam;
import dev.gpush.optim.AdamW;
import dev.gpush.optim.Optimizer;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/**
 * Three steps of SGD (momentum with nesterov or dampening, weight decay), Adam (betas, eps, weight decay, amsgrad)
 * and AdamW (amsgrad) on a float64 Linear, fed PyTorch's gradients, leave the parameters where PyTorch's
 * {@code torch.optim} leaves them after each step (traces made by make_fixtures.py; the last step's gradients are
 * small, so amsgrad's running maximum matters).
 */
class OptimizerInteropTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"optim_sgd_nesterov", "optim_sgd_dampening", "optim_adam", "optim_adam_amsgrad",
            "optim_adamw_amsgrad"})
    void optimizerStepsFollowPyTorchsTrace(String name) {
        Fixture f = Fixture.load(name);
        Linear m = new Linear(3, 2);
        m.to(DType.FLOAT64);
        m.loadStateDict(f.state(), true);
        Optimizer opt = optimizer((String) f.meta("optimizer"), f.arg(), m.parameters());
        int steps = ((Number) f.meta("steps")).intValue();
        for (int k = 1; k <= steps; k++) {
            for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet())
                p.getValue().setGrad(f.get("grad." + k + "." + p.getKey()));
            opt.step();
            for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet())
                ParityCheck.assertClose(f, p.getKey() + " after step " + k, f.get("param." + k + "." + p.getKey()),
                        p.getValue(), ParityCheck.FLOAT64);
        }
    }

    /** The gpush optimizer for torch.optim's class name and keyword arguments, with PyTorch's defaults. */
    private static Optimizer optimizer(String name, Fixture.Args a, List<Tensor> params) {
        return switch (name) {
            case "SGD" -> new SGD(params, SGD.options().lr(a.d("lr", 1e-3)).momentum(a.d("momentum", 0))
                    .dampening(a.d("dampening", 0)).weightDecay(a.d("weight_decay", 0))
                    .nesterov(a.b("nesterov", false)));
            case "Adam" -> new Adam(params, adam(Adam.options(), a));
            case "AdamW" -> new AdamW(params, adam(AdamW.options(), a));
            default -> throw new IllegalArgumentException("no gpush optimizer for torch.optim." + name);
        };
    }

    private static Adam.Options adam(Adam.Options defaults, Fixture.Args a) {
        double[] betas = a.has("betas") ? doubles(a.raw("betas")) : new double[]{defaults.beta1(), defaults.beta2()};
        return defaults.lr(a.d("lr", defaults.lr())).betas(betas[0], betas[1]).eps(a.d("eps", defaults.eps()))
                .weightDecay(a.d("weight_decay", defaults.weightDecay())).amsgrad(a.b("amsgrad", false));
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
}
