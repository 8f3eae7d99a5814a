package dev.gpush.nn;

import dev.gpush.autograd.GradMode;
import dev.gpush.backend.RandomOp;
import dev.gpush.ops.Creation;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

/**
 * Weight initialisations, as PyTorch's {@code torch.nn.init}. Rules:
 * <ul>
 *   <li>Each fills its tensor in place under no-grad (so parameters can be filled) and returns it.</li>
 *   <li>Random fills draw from the given {@link Generator}, or the default one when it is null or omitted.</li>
 *   <li>Fans follow PyTorch: dim 1 is fan in and dim 0 fan out, each times the product of the dims after 1
 *       (a convolution's receptive field).</li>
 * </ul>
 */
public final class Init {
    private Init() {}

    // ---------------------------------------------------------------- plain fills

    public static Tensor uniform_(Tensor t, double a, double b, Generator g) { return random(t, RandomOp.UNIFORM, a, b, g); }
    public static Tensor uniform_(Tensor t, double a, double b) { return uniform_(t, a, b, null); }
    /** Uniform on [0, 1). */
    public static Tensor uniform_(Tensor t) { return uniform_(t, 0, 1, null); }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) { return random(t, RandomOp.NORMAL, mean, std, g); }
    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, null); }
    /** Standard normal. */
    public static Tensor normal_(Tensor t) { return normal_(t, 0, 1, null); }

    public static Tensor constant_(Tensor t, double value) {
        try (GradMode ng = GradMode.disable()) {
            return t.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }
    public static Tensor ones_(Tensor t) { return constant_(t, 1); }

    // ---------------------------------------------------------------- scaled by the fans

    /** Glorot: uniform on ±gain·sqrt(6 / (fanIn + fanOut)). */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
        int[] fans = calculateFanInAndFanOut(t);
        double a = Math.sqrt(3.0) * gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
        return uniform_(t, -a, a, g);
    }

    public static Tensor xavierUniform_(Tensor t, double gain) { return xavierUniform_(t, gain, null); }
    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0, null); }

    /** Glorot: normal with std gain·sqrt(2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal_(Tensor t, double gain, Generator g) {
        int[] fans = calculateFanInAndFanOut(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (fans[0] + fans[1])), g);
    }

    public static Tensor xavierNormal_(Tensor t, double gain) { return xavierNormal_(t, gain, null); }
    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0, null); }

    /**
     * He: uniform on ±sqrt(3)·gain/sqrt(fan), the gain being {@code calculateGain(nonlinearity, a)} and the fan
     * chosen by {@code mode} ("fan_in" or "fan_out"). Linear's default is {@code a = sqrt(5)}.
     */
    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        if (t.numel() == 0) return t; // PyTorch warns and leaves an empty tensor alone
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform_(t, -bound, bound, g);
    }

    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity) {
        return kaimingUniform_(t, a, mode, nonlinearity, null);
    }

    public static Tensor kaimingUniform_(Tensor t, double a) { return kaimingUniform_(t, a, "fan_in", "leaky_relu", null); }
    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, "fan_in", "leaky_relu", null); }

    /** He: normal with std gain/sqrt(fan). */
    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        if (t.numel() == 0) return t;
        return normal_(t, 0, kaimingStd(t, a, mode, nonlinearity), g);
    }

    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity) {
        return kaimingNormal_(t, a, mode, nonlinearity, null);
    }

    public static Tensor kaimingNormal_(Tensor t, double a) { return kaimingNormal_(t, a, "fan_in", "leaky_relu", null); }
    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, "fan_in", "leaky_relu", null); }

    private static double kaimingStd(Tensor t, double a, String mode, String nonlinearity) {
        int[] fans = calculateFanInAndFanOut(t);
        int fan = switch (mode) {
            case "fan_in" -> fans[0];
            case "fan_out" -> fans[1];
            default -> throw new IllegalArgumentException("mode '" + mode + "' not supported, please use one of "
                    + "fan_in, fan_out");
        };
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    // ---------------------------------------------------------------- fans and gains

    /** {fanIn, fanOut} of a weight of at least 2 dims: [out, in, receptive field...]. */
    public static int[] calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2)
            throw new IllegalArgumentException("fan in and fan out can not be computed for a tensor with fewer than 2 "
                    + "dimensions, got shape " + Shapes.str(t.shapeRef()));
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return new int[]{t.size(1) * receptive, t.size(0) * receptive};
    }

    /**
     * The recommended gain for a nonlinearity: 1 for linear, conv and sigmoid, 5/3 for tanh, sqrt(2) for relu,
     * sqrt(2 / (1 + slope²)) for leaky_relu ({@code param} is the slope, 0.01 when null), 3/4 for selu.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("unsupported nonlinearity '" + nonlinearity + "'");
        };
    }

    public static double calculateGain(String nonlinearity) { return calculateGain(nonlinearity, null); }

    // ---------------------------------------------------------------- the fill

    private static Tensor random(Tensor t, RandomOp op, double a, double b, Generator g) {
        try (GradMode ng = GradMode.disable()) {
            if (g == null) return op == RandomOp.UNIFORM ? t.uniform_(a, b) : t.normal_(a, b);
            try (Tensor r = Creation.random(t.shapeRef(), t.dtype(), t.device(), g, op, a, b)) {
                return t.copy_(r);
            }
        }
    }
}
