#!/usr/bin/python3
"""Checks, in PyTorch, the state dicts that gpush saved: the reverse direction of the fixtures.

    cd /work/main && mvn -pl tensor-core test -Dtest=StateDictExportInteropTest -Dgpush.interop.export=/tmp/gpush
    /usr/bin/python3 tensor-core/src/test/resources/torch/check_gpush_export.py /tmp/gpush

Each file there (written by StateDictExportInteropTest) holds a freshly initialised gpush module's state dict
(state.*), gpush's outputs on the fixture's inputs (output.*) and, for a training step, its state afterwards
(after.*). For each, this builds the PyTorch module from the fixture's metadata, loads the state with
load_state_dict(strict=True), runs the fixture's inputs and compares the outputs (and the state after) with gpush's.
Exits 1 if any file fails.
"""
import os
import sys

import torch

sys.dont_write_bytecode = True                   # keep the resources folder clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

TOLERANCE = 1e-10


def worst(a, b):
    return (a.double() - b.double()).abs().max().item() if a.numel() else 0.0


def check(path):
    name = os.path.basename(path)[:-len(".safetensors")]
    fixture, meta_json = mf.read_safetensors(os.path.join(mf.HERE, name + ".safetensors"))
    meta = mf.meta_of(meta_json)
    gpush, _ = mf.read_safetensors(path)
    state = {k[len("state."):]: v for k, v in gpush.items() if k.startswith("state.")}
    module = mf.build_module(meta, gpush)
    module.load_state_dict(state, strict=True)          # raises on a missing, unexpected or misshapen key
    module.train(meta["mode"] == "train")
    with torch.no_grad():
        outs = mf.run_forward(module, meta, fixture)
    errors = []
    for n, o in zip(meta["outputs"], outs):
        errors.append(("output." + n, worst(o, gpush["output." + n])))
    for k, v in module.state_dict().items():
        if "after." + k in gpush:
            errors.append(("after." + k, worst(v, gpush["after." + k])))
    bad = [(k, e) for k, e in errors if not e <= TOLERANCE]
    dtypes = sorted({str(v.dtype).replace("torch.", "") for v in state.values()})
    print("%-48s %s  %d tensors (%s) loaded strictly; max |torch - gpush| %.1e over %s"
          % (name, "FAIL" if bad else "ok  ", len(state), ",".join(dtypes) or "-",
             max([e for _, e in errors] or [0.0]), ", ".join(k for k, _ in errors)))
    return not bad


def main():
    torch.set_num_threads(1)
    directory = sys.argv[1]
    files = sorted(f for f in os.listdir(directory) if f.endswith(".safetensors"))
    if not files:
        sys.exit("no .safetensors files in " + directory)
    results = []
    for f in files:
        try:
            results.append(check(os.path.join(directory, f)))
        except Exception as e:                      # a strict load that fails names the keys: report and go on
            print("%-48s FAIL %s" % (f[:-len(".safetensors")], str(e).replace("\n", " ")))
            results.append(False)
    print("%d of %d files load into PyTorch and give gpush's outputs" % (sum(results), len(results)))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
