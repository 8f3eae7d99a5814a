"""Measures the time from starting the gpush kernel's process to its first kernel_info_reply.

    JUPYTER_PATH=... GPUSH_KERNEL_NAME=gpush /usr/bin/python3 startup_time.py [RUNS]

The client connects and sends kernel_info_request right after the process is spawned (ZeroMQ queues it until the
kernel binds), so the figure is process start to first reply. It prints each run and the median, in seconds.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

from kernel_session import KERNEL_NAME, TIMEOUT


def once():
    km = KernelManager(kernel_name=KERNEL_NAME)
    start = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        msg_id = kc.kernel_info()
        while kc.get_shell_msg(timeout=TIMEOUT)["parent_header"].get("msg_id") != msg_id:
            pass
        return time.monotonic() - start
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = [once() for _ in range(runs)]
    for t in times:
        print(f"{t:.3f}")
    print(f"median {statistics.median(times):.3f} s over {runs} runs")


if __name__ == "__main__":
    main()
