"""PyTorch side of `gpush bench --compare-pytorch`: the same workloads, at the same sizes, timed the same way.

Run by dev.gpush.bench.PythonSide with OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS set to the
thread count gpush runs with; torch.set_num_threads is called with it too. Arguments:

    torch_bench.py DEVICE WARMUP_S RUNS SAMPLE_S MIN_WARMUP_SAMPLES ID...

DEVICE is cpu or cuda. Each ID is KIND:ARG:... and carries its sizes (dev.gpush.bench's workload classes make them):

    eager_add:G             a + b on 1-element float32 tensors; G=1: a requires grad
    eager_chain:E           (x * w + b).tanh().sum().backward() on E elements, x requiring grad
    matmul:T:N              N x N @ N x N in T: float32, tf32 (float32 with TF32 allowed), bfloat16, float16
    add:N mul:N sum:N       float32, N elements
    softmax:R:C             softmax over the last dim of R x C float32
    layer_norm:R:C          layer norm over the last dim of R x C float32, with weight and bias
    conv_block:B:C:S        forward+backward of a ResNet basic block on B x C x S x S (see ConvBlock.java)
    train_step:B:L:V:D:H:F:N   one Adam step of the Transformer classifier (see TrainStep.java)
    train_memory:...        the same step's peak memory, in bytes (run in a fresh process)
    loader:S:F:B:W          one epoch of a DataLoader over a TensorDataset of S x F float32 rows, batch B, W workers

Output: one JSON object a line: {"info": {...}} first, then {"id": ID, "samples": [...]} with RUNS seconds per op
(bytes for train_memory), or {"id": ID, "error": "..."} when PyTorch cannot run it.

The timing mirrors dev.gpush.bench.Harness: warm up for at least WARMUP_S seconds and until three samples in a
row agree within 10% (at most three times WARMUP_S), and at least MIN_WARMUP_SAMPLES samples, sizing each sample
to last about SAMPLE_S seconds; then RUNS samples, each reported as seconds per op. A workload is one statement
compiled into a plain loop (as timeit does), so a 1-element add pays for no function call; on CUDA the loop
waits for the device at its end. Results are assigned to a local, so no work is skipped.

emit, make_loop and measure come from bench_harness.py, which PythonSide puts before this script.
"""
import json
import os
import sys
import time


def randn(torch, dev, *shape, dtype=None, grad=False):
    return torch.randn(*shape, device=dev, dtype=dtype or torch.float32, requires_grad=grad)


def conv_block(torch, dev, b, c, s):
    nn = torch.nn
    conv1, conv2 = (nn.Conv2d(c, c, 3, 1, 1, bias=False) for _ in range(2))
    bn1, bn2 = nn.BatchNorm2d(c), nn.BatchNorm2d(c)
    block = nn.ModuleList([conv1, bn1, conv2, bn2]).to(dev)
    x = randn(torch, dev, b, c, s, s, grad=True)

    def step():
        block.zero_grad(set_to_none=True)
        x.grad = None
        h = torch.relu(bn1(conv1(x)))
        out = torch.relu(bn2(conv2(h)) + x)
        out.sum().backward()
        return out
    return step


def transformer(torch, dev, b, l, vocab, d, heads, ff, layers):
    nn = torch.nn
    emb = nn.Embedding(vocab, d)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, ff, 0.1, batch_first=True), layers)
    head = nn.Linear(d, 4)
    model = nn.ModuleList([emb, enc, head]).to(dev)
    opt = torch.optim.Adam(model.parameters(), 1e-4)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randint(0, vocab, (b, l), device=dev)
    y = torch.randint(0, 4, (b,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(head(enc(emb(x)).mean(1)), y)
        loss.backward()
        opt.step()
        return loss
    return step


def status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise OSError("no %s in /proc/self/status" % key)


def train_memory(torch, dev, args):
    """Peak bytes over the steps, counted from before the model was built (see TrainStep.java)."""
    if dev == "cuda":
        base = torch.cuda.memory_allocated()
        step = transformer(torch, dev, *args)
        step(); step()
        torch.cuda.reset_peak_memory_stats()
        step()
        return float(torch.cuda.max_memory_allocated() - base)
    base = status_kb("VmRSS")
    step = transformer(torch, dev, *args)
    step(); step(); step()
    return float(status_kb("VmHWM") - base) * 1024


def setup(torch, dev, kind, a):
    """The statement to time and its variables."""
    F = torch.nn.functional
    if kind == "eager_add":
        return "_r = a + b", {"a": randn(torch, dev, 1, grad=a[0] == 1), "b": randn(torch, dev, 1)}
    if kind == "eager_chain":
        return "_y = (x * w + b).tanh().sum(); _y.backward()", {
            "x": randn(torch, dev, a[0], grad=True), "w": randn(torch, dev, a[0]), "b": randn(torch, dev, a[0])}
    if kind == "matmul":
        return "_r = a @ b", {"a": a[1], "b": a[2]}
    if kind in ("add", "mul"):
        return "_r = a %s b" % ("+" if kind == "add" else "*"), {"a": randn(torch, dev, a[0]), "b": randn(torch, dev, a[0])}
    if kind == "sum":
        return "_r = a.sum()", {"a": randn(torch, dev, a[0])}
    if kind == "softmax":
        return "_r = torch.softmax(x, -1)", {"torch": torch, "x": randn(torch, dev, a[0], a[1])}
    if kind == "layer_norm":
        return "_r = F.layer_norm(x, (c,), w, b)", {"F": F, "c": a[1], "x": randn(torch, dev, a[0], a[1]),
                                                    "w": randn(torch, dev, a[1]), "b": randn(torch, dev, a[1])}
    if kind == "conv_block":
        return "_r = step()", {"step": conv_block(torch, dev, *a)}
    if kind == "train_step":
        return "_r = step()", {"step": transformer(torch, dev, *a)}
    if kind == "loader":
        samples, features, batch, workers = a
        data = torch.utils.data.TensorDataset(torch.randn(samples, features), torch.randint(0, 10, (samples,)))
        loader = torch.utils.data.DataLoader(data, batch_size=batch, num_workers=workers)
        return "for _b in loader: pass", {"loader": loader}
    raise ValueError("torch_bench.py: unknown workload kind " + kind)


def matmul_args(torch, dev, a):
    kind, n = a[0], int(a[1])
    torch.backends.cuda.matmul.allow_tf32 = kind == "tf32"
    dtype = {"float32": torch.float32, "tf32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[kind]
    return [kind, randn(torch, dev, n, n, dtype=dtype), randn(torch, dev, n, n, dtype=dtype)]


def info(torch, dev, threads):
    i = {"torch": torch.__version__, "python": sys.version.split()[0], "threads": torch.get_num_threads(),
         "interop_threads": torch.get_num_interop_threads(), "device": dev, "blas_env": threads}
    try:
        i["mkldnn"] = str(torch.backends.mkldnn.is_available())
    except Exception:
        pass
    if dev == "cuda":
        i["gpu"] = torch.cuda.get_device_name(0)
        i["cuda"] = str(torch.version.cuda)
        i["cudnn"] = str(torch.backends.cudnn.version())
    return i


def main(argv):
    if len(argv) < 5:
        raise SystemExit("usage: torch_bench.py DEVICE WARMUP_S RUNS SAMPLE_S MIN_WARMUP_SAMPLES ID...")
    dev, warmup_s, runs, sample_s, min_warmup = argv[0], float(argv[1]), int(argv[2]), float(argv[3]), int(argv[4])
    import torch
    threads = int(os.environ.get("OMP_NUM_THREADS", "0")) or os.cpu_count()
    torch.set_num_threads(threads)
    if dev == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("torch_bench.py: this torch cannot use CUDA (torch %s)" % torch.__version__)
        torch.backends.cudnn.allow_tf32 = False  # float32 convolutions in float32, as gpush's
        torch.backends.cudnn.benchmark = False
    sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
    emit({"info": info(torch, dev, threads)})
    for workload in argv[5:]:
        kind, *rest = workload.split(":")
        try:
            if kind == "train_memory":
                emit({"id": workload, "samples": [train_memory(torch, dev, [int(v) for v in rest])]})
                continue
            args = matmul_args(torch, dev, rest) if kind == "matmul" else [int(v) for v in rest]
            stmt, env = setup(torch, dev, kind, args)
            emit({"id": workload, "samples": measure(make_loop(stmt, env, sync), warmup_s, runs, sample_s, min_warmup)})
        except Exception as e:  # the row shows n/a and the note says why; the other workloads still run
            emit({"id": workload, "error": "%s: %s" % (type(e).__name__, e)})


if __name__ == "__main__":
    main(sys.argv[1:])
