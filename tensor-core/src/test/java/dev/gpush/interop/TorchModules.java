package dev.gpush.interop;

import dev.gpush.nn.AdaptiveAvgPool2d;
import dev.gpush.nn.AvgPool2d;
import dev.gpush.nn.BCEWithLogitsLoss;
import dev.gpush.nn.BatchNorm1d;
import dev.gpush.nn.BatchNorm2d;
import dev.gpush.nn.Conv2d;
import dev.gpush.nn.CrossEntropyLoss;
import dev.gpush.nn.Dropout;
import dev.gpush.nn.Embedding;
import dev.gpush.nn.Flatten;
import dev.gpush.nn.GELU;
import dev.gpush.nn.L1Loss;
import dev.gpush.nn.LayerNorm;
import dev.gpush.nn.Linear;
import dev.gpush.nn.Losses;
import dev.gpush.nn.MSELoss;
import dev.gpush.nn.MaxPool2d;
import dev.gpush.nn.Module;
import dev.gpush.nn.MultiheadAttention;
import dev.gpush.nn.NLLLoss;
import dev.gpush.nn.ReLU;
import dev.gpush.nn.Reduction;
import dev.gpush.nn.SiLU;
import dev.gpush.nn.Tanh;
import dev.gpush.nn.TransformerEncoder;
import dev.gpush.nn.TransformerEncoderLayer;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gpush module for a fixture's PyTorch class and keyword arguments (PyTorch's defaults where the fixture
 * leaves one out), and the call of its forward with the fixture's inputs. A class with no case here fails,
 * so a new fixture cannot go untested.
 */
final class TorchModules {
    private TorchModules() {}

    /** A freshly initialised gpush module (float32, as PyTorch's default) made with the fixture's arguments. */
    static Module build(Fixture f) {
        Fixture.Args a = f.arg();
        Map<String, Tensor> state = f.state();
        return switch (f.module()) {
            case "Linear" -> new Linear(a.i("in_features", 0), a.i("out_features", 0), a.b("bias", true));
            case "Embedding" -> new Embedding(a.i("num_embeddings", 0), a.i("embedding_dim", 0),
                    a.nullableI("padding_idx", null));
            case "LayerNorm" -> layerNorm(a);
            case "Dropout" -> new Dropout(a.d("p", 0.5));
            case "ReLU" -> new ReLU();
            case "GELU" -> new GELU(a.s("approximate", "none"));
            case "SiLU" -> new SiLU();
            case "Tanh" -> new Tanh();
            case "Flatten" -> new Flatten(a.i("start_dim", 1), a.i("end_dim", -1));
            case "MultiheadAttention" -> new MultiheadAttention(a.i("embed_dim", 0), a.i("num_heads", 0),
                    a.d("dropout", 0), a.b("bias", true), a.b("batch_first", false));
            case "TransformerEncoderLayer" -> encoderLayer(a);
            case "TransformerEncoder" -> new TransformerEncoder(encoderLayer(a.sub("encoder_layer")),
                    a.i("num_layers", 0), a.raw("norm") == null ? null : layerNorm(a.sub("norm")));
            case "Conv2d" -> conv2d(a);
            case "MaxPool2d" -> new MaxPool2d(a.pair("kernel_size", null), a.pair("stride", a.pair("kernel_size", null)),
                    a.pair("padding", new int[]{0, 0}), a.pair("dilation", new int[]{1, 1}), a.b("ceil_mode", false));
            case "AvgPool2d" -> new AvgPool2d(a.pair("kernel_size", null), a.pair("stride", a.pair("kernel_size", null)),
                    a.pair("padding", new int[]{0, 0}), a.b("ceil_mode", false), a.b("count_include_pad", true),
                    a.nullableI("divisor_override", null));
            case "AdaptiveAvgPool2d" -> {
                int[] size = a.pair("output_size", null);
                yield new AdaptiveAvgPool2d(size[0], size[1]);
            }
            case "BatchNorm1d" -> new BatchNorm1d(a.i("num_features", 0), a.d("eps", 1e-5),
                    a.nullableD("momentum", 0.1), a.b("affine", true), a.b("track_running_stats", true));
            case "BatchNorm2d" -> new BatchNorm2d(a.i("num_features", 0), a.d("eps", 1e-5),
                    a.nullableD("momentum", 0.1), a.b("affine", true), a.b("track_running_stats", true));
            case "CrossEntropyLoss" -> new CrossEntropyLoss(state.get("weight"),
                    a.i("ignore_index", (int) Losses.IGNORE_INDEX), reduction(a), a.d("label_smoothing", 0));
            case "NLLLoss" -> new NLLLoss(state.get("weight"), a.i("ignore_index", (int) Losses.IGNORE_INDEX),
                    reduction(a));
            case "MSELoss" -> new MSELoss(reduction(a));
            case "L1Loss" -> new L1Loss(reduction(a));
            case "BCEWithLogitsLoss" -> new BCEWithLogitsLoss(state.get("weight"), reduction(a),
                    state.get("pos_weight"));
            default -> throw new IllegalArgumentException("fixture " + f + ": no gpush module for PyTorch's "
                    + f.module());
        };
    }

    /**
     * The module's outputs on the fixture's inputs, in the order of the fixture's "outputs": the positional
     * inputs in order, the keyword ones (masks) by name, and the non-tensor keyword arguments from "forward".
     */
    static List<Tensor> forward(Module m, Fixture f) {
        List<Tensor> in = new ArrayList<>();
        for (String n : f.inputNames()) in.add(f.input(n));
        Fixture.Args kw = new Fixture.Args(f.forwardArgs());
        return switch (m) {
            case MultiheadAttention mha -> {
                MultiheadAttention.Output o = mha.forward(in.get(0), in.get(1), in.get(2),
                        f.input("key_padding_mask"), kw.b("need_weights", true), f.input("attn_mask"),
                        kw.b("average_attn_weights", true), kw.b("is_causal", false));
                yield o.weights() == null ? List.of(o.output()) : List.of(o.output(), o.weights());
            }
            case TransformerEncoderLayer layer ->
                    List.of(layer.forward(in.get(0), f.input("src_mask"), f.input("src_key_padding_mask")));
            case TransformerEncoder encoder ->
                    List.of(encoder.forward(in.get(0), f.input("mask"), f.input("src_key_padding_mask")));
            case CrossEntropyLoss loss -> List.of(loss.forward(in.get(0), in.get(1)));
            case NLLLoss loss -> List.of(loss.forward(in.get(0), in.get(1)));
            case MSELoss loss -> List.of(loss.forward(in.get(0), in.get(1)));
            case L1Loss loss -> List.of(loss.forward(in.get(0), in.get(1)));
            case BCEWithLogitsLoss loss -> List.of(loss.forward(in.get(0), in.get(1)));
            default -> List.of(m.forward(in.get(0)));
        };
    }

    private static LayerNorm layerNorm(Fixture.Args a) {
        return new LayerNorm(a.ints("normalized_shape", null), a.d("eps", 1e-5), a.b("elementwise_affine", true));
    }

    private static TransformerEncoderLayer encoderLayer(Fixture.Args a) {
        return new TransformerEncoderLayer(a.i("d_model", 0), a.i("nhead", 0), a.i("dim_feedforward", 2048),
                a.d("dropout", 0.1), a.s("activation", "relu"), a.d("layer_norm_eps", 1e-5),
                a.b("batch_first", false), a.b("norm_first", false), true);
    }

    private static Conv2d conv2d(Fixture.Args a) {
        int in = a.i("in_channels", 0), out = a.i("out_channels", 0), groups = a.i("groups", 1);
        int[] k = a.pair("kernel_size", null), s = a.pair("stride", new int[]{1, 1});
        int[] d = a.pair("dilation", new int[]{1, 1});
        boolean bias = a.b("bias", true);
        if (a.raw("padding") instanceof String mode) return new Conv2d(in, out, k, s, mode, d, groups, bias);
        return new Conv2d(in, out, k, s, a.pair("padding", new int[]{0, 0}), d, groups, bias);
    }

    private static Reduction reduction(Fixture.Args a) { return Reduction.of(a.s("reduction", "mean")); }
}
