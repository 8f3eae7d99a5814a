"""NumPy side of `gpush bench --compare-numpy`: the same workloads, timed the same way.

Run by dev.gpush.bench.Numpy with the thread variables (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS)
already set, since BLAS reads them when numpy is imported. Arguments:

    numpy_bench.py WARMUP_S RUNS SAMPLE_S WORKLOAD...

where WORKLOAD is KIND:N with KIND one of matmul (float32 N x N @ N x N), add (float32, N elements) and
sum (float32, N elements). Output, one record a line, tab-separated:

    INFO  key  value
    RESULT  KIND:N  seconds-per-op,seconds-per-op,...    (RUNS values)

The timing mirrors dev.gpush.bench.Harness: warm up for at least WARMUP_S seconds and until three samples in a
row agree within 10% (at most three times WARMUP_S), sizing each sample to last about SAMPLE_S seconds; then
RUNS samples, each reported as seconds per op. timeit compiles the statement into a plain loop, so the loop
costs what a Python `for` costs and no function call is added to a 1-element add.
"""
import sys
import timeit


def measure(stmt, env, warmup_s, runs, sample_s):
    timer = timeit.Timer(stmt, globals=env)
    iters, per_op, history, spent = 1, None, [], 0.0
    while True:
        t = timer.timeit(iters)
        spent += t
        per_op = t / iters
        history.append(per_op)
        iters = max(1, min(1 << 30, int(sample_s / max(per_op, 1e-12))))
        last = history[-3:]
        steady = len(last) == 3 and max(last) <= 1.1 * min(last)
        if (spent >= warmup_s and steady) or spent >= 3 * warmup_s:
            break
    return [timer.timeit(iters) / iters for _ in range(runs)]


def setup(kind, n, np):
    rng = np.random.default_rng(0)
    if kind == "matmul":
        return "a @ b", {"a": rng.standard_normal((n, n), dtype=np.float32),
                         "b": rng.standard_normal((n, n), dtype=np.float32)}
    if kind == "add":
        return "a + b", {"a": rng.standard_normal(n, dtype=np.float32),
                         "b": rng.standard_normal(n, dtype=np.float32)}
    if kind == "sum":
        return "a.sum()", {"a": rng.standard_normal(n, dtype=np.float32)}
    raise SystemExit("numpy_bench.py: unknown workload kind " + kind)


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
    if len(argv) < 4:
        raise SystemExit("usage: numpy_bench.py WARMUP_S RUNS SAMPLE_S KIND:N...")
    warmup_s, runs, sample_s = float(argv[0]), int(argv[1]), float(argv[2])
    import numpy as np
    print("INFO\tnumpy\t" + np.__version__)
    # matmul makes numpy load its BLAS, where it loads it lazily
    np.ones((2, 2), dtype=np.float32) @ np.ones((2, 2), dtype=np.float32)
    built, loaded, reference = blas_info(np)
    print("INFO\tblas\t" + built)
    print("INFO\tblas_loaded\t" + (" ".join(loaded) or "unknown"))
    print("INFO\treference_blas\t" + ("yes" if reference else "no"))
    print("INFO\tpython\t" + sys.version.split()[0])
    sys.stdout.flush()
    for workload in argv[3:]:
        kind, n = workload.split(":")
        stmt, env = setup(kind, int(n), np)
        seconds = measure(stmt, env, warmup_s, runs, sample_s)
        print("RESULT\t%s\t%s" % (workload, ",".join(repr(s) for s in seconds)))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
