"""NumPy side of `gpush bench --compare-numpy`: the workloads NumPy has, timed the same way.

Run by dev.gpush.bench.PythonSide with OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS already set, since
BLAS reads them when numpy is imported. Arguments (those of torch_bench.py; DEVICE must be cpu):

    numpy_bench.py DEVICE WARMUP_S RUNS SAMPLE_S MIN_WARMUP_SAMPLES ID...

where ID is KIND:N with KIND one of matmul (float32 N x N @ N x N), add (float32, N elements) and sum (float32,
N elements). Output: one JSON object a line: {"info": {...}} first, then {"id": ID, "samples": [...]} with RUNS
seconds per op, or {"id": ID, "error": "..."}.

The timing mirrors dev.gpush.bench.Harness (and torch_bench.py): warm up for at least WARMUP_S seconds and until
three samples in a row agree within 10% (at most three times WARMUP_S), and at least MIN_WARMUP_SAMPLES samples,
sizing each sample to last about SAMPLE_S seconds; then RUNS samples, each reported as seconds per op. A workload
is one statement compiled into a plain loop, as timeit does, so a 1-element add pays for no function call.

emit, make_loop and measure come from bench_harness.py, which PythonSide puts before this script.
"""
import json
import sys
import time


def setup(kind, n, np):
    rng = np.random.default_rng(0)
    if kind == "matmul":
        return "_r = a @ b", {"a": rng.standard_normal((n, n), dtype=np.float32),
                              "b": rng.standard_normal((n, n), dtype=np.float32)}
    if kind == "add":
        return "_r = a + b", {"a": rng.standard_normal(n, dtype=np.float32),
                              "b": rng.standard_normal(n, dtype=np.float32)}
    if kind == "sum":
        return "_r = a.sum()", {"a": rng.standard_normal(n, dtype=np.float32)}
    raise ValueError("numpy_bench.py: unknown workload kind " + kind)


def blas_info(np):
    """The BLAS numpy was built against, and the BLAS libraries actually mapped into this process."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        built = "%s %s" % (blas.get("name", "?"), blas.get("version", "?"))
    except Exception:  # numpy < 1.25 has no mode="dicts"
        built = ",".join(getattr(np.__config__, "blas_opt_info", {}).get("libraries", [])) or "unknown"
    loaded = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = path.rsplit("/", 1)[-1]
                if path.startswith("/") and any(k in name.lower() for k in ("blas", "mkl", "blis", "accelerate")):
                    loaded.add(path)
    except OSError:
        pass
    # Debian's netlib BLAS lives in .../blas/libblas.so.3; its OpenBLAS and BLIS alternatives in other folders
    reference = bool(loaded) and all(p.split("/")[-2:-1] == ["blas"] and p.split("/")[-1].startswith("libblas.so")
                                     for p in loaded)
    return built, sorted(loaded), reference


def main(argv):
    if len(argv) < 5:
        raise SystemExit("usage: numpy_bench.py DEVICE WARMUP_S RUNS SAMPLE_S MIN_WARMUP_SAMPLES KIND:N...")
    if argv[0] != "cpu":
        raise SystemExit("numpy_bench.py: NumPy runs on the cpu only, not " + argv[0])
    warmup_s, runs, sample_s, min_warmup = float(argv[1]), int(argv[2]), float(argv[3]), int(argv[4])
    import numpy as np
    # matmul makes numpy load its BLAS, where it loads it lazily
    np.ones((2, 2), dtype=np.float32) @ np.ones((2, 2), dtype=np.float32)
    built, loaded, reference = blas_info(np)
    emit({"info": {"numpy": np.__version__, "blas": built, "blas_loaded": " ".join(loaded) or "unknown",
                   "reference_blas": "yes" if reference else "no", "python": sys.version.split()[0]}})
    for workload in argv[5:]:
        kind, n = workload.split(":")
        try:
            stmt, env = setup(kind, int(n), np)
            emit({"id": workload, "samples": measure(make_loop(stmt, env), warmup_s, runs, sample_s, min_warmup)})
        except Exception as e:
            emit({"id": workload, "error": "%s: %s" % (type(e).__name__, e)})


if __name__ == "__main__":
    main(sys.argv[1:])
