#!/usr/bin/python3
"""Makes the PyTorch fixtures that dev.gpush.interop's tests compare gpush against.

Run it with Debian's PyTorch (apt-get install python3-torch; 1.13.1 when the files were made) from any directory:

    /usr/bin/python3 tensor-core/src/test/resources/torch/make_fixtures.py

It rewrites every *.safetensors file beside it; the output is the same on every run (fixed seeds, one thread).

One file per case, in the safetensors format (written here by hand: the safetensors package is not needed):
  state.<name>        the module's state_dict under PyTorch's names (float64; num_batches_tracked int64)
  input.<name>        the forward's tensor arguments; masks, indices and targets keep their own dtype
  output.<name>       PyTorch's outputs, named as in the "outputs" metadata list
  probe.<name>        fixed random weights r_k: the scalar whose gradients are stored is L = sum_k sum(output_k * r_k)
  grad.input.<name>   dL/d input, for every floating point input
  grad.state.<name>   dL/d parameter, for every parameter (buffers have none)
  after.<name>        the state_dict after the forward (BatchNorm in training updates its running statistics)
and in __metadata__, each value a JSON text:
  module   PyTorch's class name; args  its constructor's keyword arguments (tensor arguments such as a loss's
  weight are not repeated: they are the state's buffers); forward  the forward's non-tensor keyword arguments;
  inputs   the names of the forward's positional tensor arguments, in order (a name may repeat: self-attention);
  mode     "train" or "eval"; outputs  the names of the outputs, in order.

Optimizer traces (optim_*.safetensors) hold a Linear's state.*, the gradient fed in at each step (grad.<k>.<name>)
and the parameters after each step (param.<k>.<name>), k = 1, 2, 3; metadata: optimizer, its args, steps.

The module is always built from the metadata (build_module), so the metadata describes it completely; its
parameters are then moved off PyTorch's defaults by a random amount, so that a LayerNorm's weight is not all ones.

check_gpush_export.py reads files that gpush wrote in the same layout and checks them against PyTorch.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL"}
NUMPY = {"F64": "<f8", "F32": "<f4", "I64": "<i8", "I32": "<i4", "BOOL": "|b1"}
TORCH = {v: k for k, v in DTYPES.items()}


# ---------------------------------------------------------------- the file format

def write_safetensors(path, tensors, metadata):
    """8-byte little-endian header length, the JSON header (padded with spaces to 8 bytes), the raw bytes."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().astype(NUMPY[DTYPES[t.dtype]]).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """The tensors and the metadata of a safetensors file."""
    import numpy as np
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        a = np.frombuffer(raw[8 + n + b:8 + n + end], dtype=NUMPY[e["dtype"]]).reshape(e["shape"])
        tensors[name] = torch.from_numpy(a.copy()).to(TORCH[e["dtype"]])
    return tensors, metadata


def meta_of(meta_json):
    return {k: json.loads(v) for k, v in meta_json.items()}


# ---------------------------------------------------------------- building and running a case

LOSSES_WITH_WEIGHTS = ("CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss")


def build_module(meta, state):
    """The PyTorch module that the metadata describes; a loss's weight tensors come from the state."""
    name, args = meta["module"], dict(meta["args"])
    if name == "TransformerEncoder":
        layer = nn.TransformerEncoderLayer(**args.pop("encoder_layer"))
        norm = args.pop("norm")
        return nn.TransformerEncoder(layer, norm=None if norm is None else nn.LayerNorm(**norm), **args).double()
    if name in LOSSES_WITH_WEIGHTS:
        for key in ("weight", "pos_weight"):
            if "state." + key in state:
                args[key] = state["state." + key]
    return getattr(nn, name)(**args).double()


def run_forward(module, meta, tensors):
    """The outputs, in the order of meta["outputs"], of the module on the file's inputs."""
    positional = [tensors["input." + n] for n in meta["inputs"]]
    inputs = {k[len("input."):]: v for k, v in tensors.items() if k.startswith("input.")}
    keywords = {k: v for k, v in inputs.items() if k not in meta["inputs"]}
    out = module(*positional, **keywords, **meta["forward"])
    outs = list(out) if isinstance(out, tuple) else [out]
    return [o for o in outs if o is not None]


def make_case(file_name, module, args, inputs, forward=None, mode="eval", outputs=("output",), state=None,
              perturb=0.1, positional=None):
    """Builds the module from its metadata, runs it, and writes inputs, state, outputs and gradients.

    inputs: name -> tensor, positional in order, keyword arguments marked with a leading "~";
    positional: the positional names when they are not simply the unmarked ones (self-attention repeats one)."""
    if positional is None:
        positional = [n for n in inputs if not n.startswith("~")]
    meta = {"module": module, "args": args, "forward": forward or {}, "mode": mode,
            "inputs": positional, "outputs": list(outputs)}
    tensors = {"input." + n.lstrip("~"): t for n, t in inputs.items()}
    for k, v in (state or {}).items():
        tensors["state." + k] = v.double() if v.is_floating_point() else v
    m = build_module(meta, tensors)
    with torch.no_grad():
        for n, p in m.named_parameters():
            p.add_(perturb * torch.randn_like(p))
        for n, b in m.named_buffers():
            if "state." + n in tensors:
                b.copy_(tensors["state." + n])
    m.train(mode == "train")
    for k, v in m.state_dict().items():
        tensors["state." + k] = v.detach().clone()
    leaves = {}
    for k in list(tensors):
        if k.startswith("input.") and tensors[k].is_floating_point() and not k.endswith("mask"):
            tensors[k] = tensors[k].detach().clone().requires_grad_(True)
            leaves[k] = tensors[k]
    outs = run_forward(m, meta, tensors)
    assert len(outs) == len(outputs), (file_name, len(outs), outputs)
    loss = 0
    for name, o in zip(outputs, outs):
        probe = torch.randn(o.shape, dtype=o.dtype)
        tensors["output." + name] = o.detach()
        tensors["probe." + name] = probe
        loss = loss + (o * probe).sum()
    loss.backward()
    for k, leaf in leaves.items():
        tensors["grad." + k] = leaf.grad if leaf.grad is not None else torch.zeros_like(leaf)
        tensors[k] = leaf.detach()
    for n, p in m.named_parameters():
        tensors["grad.state." + n] = p.grad
    if mode == "train" and any(True for _ in m.buffers()):
        for k, v in m.state_dict().items():
            tensors["after." + k] = v.detach().clone()
    meta_json = {k: json.dumps(v) for k, v in meta.items()}
    meta_json["torch_version"] = json.dumps(torch.__version__)
    write_safetensors(os.path.join(HERE, file_name + ".safetensors"), tensors, meta_json)


def randn(*shape):
    return torch.randn(*shape, dtype=torch.float64)


# ---------------------------------------------------------------- the cases

def basic_layers():
    make_case("linear", "Linear", {"in_features": 4, "out_features": 3}, {"x": randn(2, 5, 4)})
    make_case("linear_no_bias", "Linear", {"in_features": 4, "out_features": 3, "bias": False}, {"x": randn(3, 4)})
    make_case("embedding_padding_idx", "Embedding", {"num_embeddings": 7, "embedding_dim": 4, "padding_idx": 2},
              {"indices": torch.tensor([[0, 2, 5, 2, 6], [1, 1, 3, 2, 4]])})
    make_case("layer_norm", "LayerNorm", {"normalized_shape": [3, 4], "eps": 1e-5}, {"x": randn(2, 3, 4)})
    make_case("layer_norm_no_affine", "LayerNorm", {"normalized_shape": [5], "eps": 1e-3,
                                                    "elementwise_affine": False}, {"x": randn(4, 5)})
    make_case("dropout_eval", "Dropout", {"p": 0.3}, {"x": randn(3, 4)}, mode="eval")
    x = randn(3, 5)
    x[0, 0] = 0.0                                   # the kink of relu: PyTorch's slope there is 0
    make_case("relu", "ReLU", {}, {"x": x})
    make_case("gelu", "GELU", {"approximate": "none"}, {"x": randn(3, 5) * 2})
    make_case("gelu_tanh", "GELU", {"approximate": "tanh"}, {"x": randn(3, 5) * 2})
    make_case("silu", "SiLU", {}, {"x": randn(3, 5) * 2})
    make_case("tanh", "Tanh", {}, {"x": randn(3, 5)})
    make_case("flatten", "Flatten", {}, {"x": randn(2, 3, 2, 2)})
    make_case("flatten_dims", "Flatten", {"start_dim": 0, "end_dim": 1}, {"x": randn(2, 3, 2)})


def attention():
    x = randn(2, 4, 8)
    padding = torch.tensor([[False, False, False, True], [False, True, False, False]])
    make_case("mha_batch_first_self_padding", "MultiheadAttention",
              {"embed_dim": 8, "num_heads": 2, "batch_first": True},
              {"query": x, "~key_padding_mask": padding}, positional=["query", "query", "query"],
              forward={"need_weights": True}, outputs=("output", "weights"))
    make_case("mha_seq_first_cross_masks_per_head_weights", "MultiheadAttention",
              {"embed_dim": 8, "num_heads": 2},
              {"query": randn(3, 2, 8), "key": randn(5, 2, 8), "value": randn(5, 2, 8),
               "~key_padding_mask": torch.tensor([[False] * 4 + [True], [False, True] + [False] * 3]),
               "~attn_mask": randn(3, 5)},
              forward={"need_weights": True, "average_attn_weights": False}, outputs=("output", "weights"))
    make_case("mha_bool_causal_mask_no_weights", "MultiheadAttention",
              {"embed_dim": 6, "num_heads": 3, "batch_first": True},
              {"query": randn(2, 4, 6), "~attn_mask": torch.ones(4, 4, dtype=torch.bool).triu(1)},
              positional=["query", "query", "query"],
              forward={"need_weights": False})
    make_case("mha_no_bias_3d_mask", "MultiheadAttention",
              {"embed_dim": 4, "num_heads": 2, "bias": False},
              {"query": randn(3, 2, 4), "key": randn(3, 2, 4), "value": randn(3, 2, 4), "~attn_mask": randn(4, 3, 3)},
              forward={"need_weights": True}, outputs=("output", "weights"))


def transformer():
    layer = {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "dropout": 0.0, "activation": "relu",
             "batch_first": True, "norm_first": False}
    padding = torch.tensor([[False, False, True, True], [False, False, False, False]])
    make_case("encoder_layer_post_norm_relu", "TransformerEncoderLayer", layer,
              {"src": randn(2, 4, 8), "~src_key_padding_mask": padding}, perturb=0.2)
    causal = torch.zeros(4, 4, dtype=torch.float64).masked_fill(torch.ones(4, 4, dtype=torch.bool).triu(1),
                                                                float("-inf"))
    make_case("encoder_layer_pre_norm_gelu_eval", "TransformerEncoderLayer",
              dict(layer, dropout=0.1, activation="gelu", batch_first=False, norm_first=True, layer_norm_eps=1e-6),
              {"src": randn(4, 2, 8), "~src_mask": causal}, mode="eval", perturb=0.2)
    make_case("encoder_two_layers_final_norm", "TransformerEncoder",
              {"encoder_layer": layer, "num_layers": 2, "norm": {"normalized_shape": 8}},
              {"src": randn(2, 4, 8), "~mask": causal, "~src_key_padding_mask": padding}, perturb=0.2)


def convolution():
    make_case("conv2d", "Conv2d", {"in_channels": 3, "out_channels": 4, "kernel_size": 3}, {"x": randn(2, 3, 6, 6)})
    make_case("conv2d_stride_padding_dilation_groups", "Conv2d",
              {"in_channels": 4, "out_channels": 6, "kernel_size": [3, 2], "stride": [2, 1], "padding": [1, 2],
               "dilation": [2, 1], "groups": 2}, {"x": randn(2, 4, 7, 6)})
    make_case("conv2d_same_no_bias", "Conv2d",
              {"in_channels": 2, "out_channels": 3, "kernel_size": 3, "padding": "same", "dilation": 2,
               "bias": False}, {"x": randn(1, 2, 6, 5)})
    make_case("max_pool2d", "MaxPool2d", {"kernel_size": 3, "stride": 2, "padding": 1}, {"x": randn(2, 3, 7, 7)})
    make_case("max_pool2d_dilation_ceil", "MaxPool2d",
              {"kernel_size": 2, "stride": 2, "dilation": 2, "ceil_mode": True}, {"x": randn(1, 2, 8, 7)})
    make_case("avg_pool2d", "AvgPool2d", {"kernel_size": 3, "stride": 2, "padding": 1}, {"x": randn(2, 3, 7, 7)})
    make_case("avg_pool2d_exclude_pad_ceil", "AvgPool2d",
              {"kernel_size": [3, 2], "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False},
              {"x": randn(1, 2, 6, 7)})
    make_case("adaptive_avg_pool2d", "AdaptiveAvgPool2d", {"output_size": [3, 2]}, {"x": randn(2, 3, 7, 5)})


def batch_norm():
    def stats(c, tracked):
        return {"running_mean": randn(c) * 0.5, "running_var": randn(c).abs() + 0.5,
                "num_batches_tracked": torch.tensor(tracked)}
    make_case("batch_norm1d_train", "BatchNorm1d", {"num_features": 3}, {"x": randn(4, 3) * 2 + 1},
              mode="train", state=stats(3, 0))
    make_case("batch_norm1d_train_3d_cumulative", "BatchNorm1d", {"num_features": 3, "momentum": None},
              {"x": randn(4, 3, 5)}, mode="train", state=stats(3, 3))
    make_case("batch_norm2d_train", "BatchNorm2d", {"num_features": 3, "momentum": 0.2, "eps": 1e-3},
              {"x": randn(2, 3, 4, 4)}, mode="train", state=stats(3, 5))
    make_case("batch_norm2d_eval", "BatchNorm2d", {"num_features": 3}, {"x": randn(2, 3, 4, 4)},
              mode="eval", state=stats(3, 7))
    make_case("batch_norm1d_no_affine_eval", "BatchNorm1d", {"num_features": 4, "affine": False},
              {"x": randn(3, 4)}, mode="eval", state=stats(4, 2))


def losses():
    logits = lambda *s: randn(*s) * 2
    make_case("cross_entropy_indices", "CrossEntropyLoss", {},
              {"input": logits(5, 4), "target": torch.tensor([0, 3, 1, 1, 2])})
    make_case("cross_entropy_weight_ignore_smoothing_kdim", "CrossEntropyLoss",
              {"ignore_index": 1, "label_smoothing": 0.1},
              {"input": logits(3, 4, 2), "target": torch.tensor([[0, 1], [3, 2], [1, 3]])},
              state={"weight": torch.tensor([0.5, 2.0, 1.0, 1.5])})
    make_case("cross_entropy_weight_sum", "CrossEntropyLoss", {"reduction": "sum"},
              {"input": logits(4, 3), "target": torch.tensor([2, 0, 1, 2])},
              state={"weight": torch.tensor([0.2, 1.0, 3.0])})
    make_case("cross_entropy_none_smoothing", "CrossEntropyLoss", {"reduction": "none", "label_smoothing": 0.3},
              {"input": logits(4, 3), "target": torch.tensor([2, -100, 1, 0])})
    probs = torch.softmax(randn(5, 4), dim=1)
    make_case("cross_entropy_probabilities_weight_smoothing", "CrossEntropyLoss", {"label_smoothing": 0.2},
              {"input": logits(5, 4), "target": probs}, state={"weight": torch.tensor([1.0, 0.5, 2.0, 1.5])})
    make_case("cross_entropy_probabilities_none", "CrossEntropyLoss", {"reduction": "none"},
              {"input": logits(2, 3, 2), "target": torch.softmax(randn(2, 3, 2), dim=1)})
    make_case("nll_weight_ignore", "NLLLoss", {"ignore_index": 0},
              {"input": torch.log_softmax(randn(5, 3), 1), "target": torch.tensor([0, 1, 2, 2, 1])},
              state={"weight": torch.tensor([1.0, 2.0, 0.5])})
    make_case("nll_sum", "NLLLoss", {"reduction": "sum"},
              {"input": torch.log_softmax(randn(4, 3), 1), "target": torch.tensor([0, 1, 2, 2])})
    for red in ("mean", "sum", "none"):
        make_case("mse_" + red, "MSELoss", {"reduction": red}, {"input": randn(3, 4), "target": randn(3, 4)})
        make_case("l1_" + red, "L1Loss", {"reduction": red}, {"input": randn(3, 4), "target": randn(3, 4)})
    make_case("bce_with_logits_pos_weight", "BCEWithLogitsLoss", {},
              {"input": logits(4, 3), "target": torch.rand(4, 3, dtype=torch.float64)},
              state={"pos_weight": torch.tensor([0.5, 2.0, 3.0])})
    make_case("bce_with_logits_weight_pos_weight_sum", "BCEWithLogitsLoss", {"reduction": "sum"},
              {"input": logits(4, 3), "target": (torch.rand(4, 3) > 0.5).double()},
              state={"weight": torch.tensor([1.0, 0.25, 2.0]), "pos_weight": torch.tensor([3.0, 1.0, 0.5])})
    make_case("bce_with_logits_none", "BCEWithLogitsLoss", {"reduction": "none"},
              {"input": logits(2, 5), "target": torch.rand(2, 5, dtype=torch.float64)})


# ---------------------------------------------------------------- optimizer traces

def optimizer_trace(file_name, optimizer, args, steps=3):
    m = nn.Linear(3, 2).double()
    tensors = {"state." + k: v.detach().clone() for k, v in m.state_dict().items()}
    opt = getattr(torch.optim, optimizer)(m.parameters(), **args)
    for k in range(1, steps + 1):
        for n, p in m.named_parameters():
            p.grad = randn(*p.shape) * (0.1 if k == 3 else 1.0)      # a small last step: amsgrad keeps its max
            tensors["grad.%d.%s" % (k, n)] = p.grad.clone()
        opt.step()
        for n, p in m.named_parameters():
            tensors["param.%d.%s" % (k, n)] = p.detach().clone()
    meta = {"optimizer": optimizer, "args": args, "steps": steps, "torch_version": torch.__version__}
    write_safetensors(os.path.join(HERE, file_name + ".safetensors"), tensors,
                      {k: json.dumps(v) for k, v in meta.items()})


def optimizers():
    optimizer_trace("optim_sgd_nesterov", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01})
    optimizer_trace("optim_sgd_dampening", "SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.3,
                                                   "weight_decay": 0.1})
    optimizer_trace("optim_adam", "Adam", {"lr": 0.01, "betas": [0.8, 0.95], "eps": 1e-6, "weight_decay": 0.1})
    optimizer_trace("optim_adam_amsgrad", "Adam", {"lr": 0.02, "amsgrad": True})
    optimizer_trace("optim_adamw_amsgrad", "AdamW", {"lr": 0.01, "weight_decay": 0.05, "amsgrad": True})


def main():
    torch.manual_seed(20240603)
    torch.set_num_threads(1)
    for old in os.listdir(HERE):
        if old.endswith(".safetensors"):
            os.remove(os.path.join(HERE, old))
    for group in (basic_layers, attention, transformer, convolution, batch_norm, losses, optimizers):
        group()
    total = sum(os.path.getsize(os.path.join(HERE, f)) for f in os.listdir(HERE) if f.endswith(".safetensors"))
    print("wrote %d files, %d bytes" % (len([f for f in os.listdir(HERE) if f.endswith(".safetensors")]), total),
          file=sys.stderr)


if __name__ == "__main__":
    main()
