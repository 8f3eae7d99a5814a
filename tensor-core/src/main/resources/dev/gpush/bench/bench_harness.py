"""The timing harness that numpy_bench.py and torch_bench.py share; PythonSide feeds it to Python before either.

A workload is one statement compiled into a plain loop (as timeit does), so a 1-element add pays for no function
call; the loop calls sync at its end (a device wait on CUDA). measure() warms up until three successive samples
agree within 10% (at least min_warmup samples, at most three times warmup_s), sizing each sample to last about
sample_s seconds, then returns runs samples as seconds per op.
"""
import json
import sys
import time


def emit(obj):
    print(json.dumps(obj))
    sys.stdout.flush()


def make_loop(stmt, env, sync=lambda: None):
    env = dict(env, _sync=sync)
    exec("def _loop(_n):\n    for _ in range(_n):\n        %s\n    _sync()\n" % stmt, env)
    return env["_loop"]


def measure(loop, warmup_s, runs, sample_s, min_warmup):
    def timed(n):
        t0 = time.perf_counter()
        loop(n)
        return time.perf_counter() - t0
    iters, history, spent = 1, [], 0.0
    while True:
        t = timed(iters)
        spent += t
        per_op = t / iters
        history.append(per_op)
        iters = max(1, min(1 << 30, int(sample_s / max(per_op, 1e-12))))
        last = history[-3:]
        steady = len(last) == 3 and max(last) <= 1.1 * min(last)
        if len(history) >= min_warmup and ((spent >= warmup_s and steady) or spent >= 3 * warmup_s):
            break
    return [timed(iters) / iters for _ in range(runs)]
