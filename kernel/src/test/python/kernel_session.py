"""Starting the installed gpush kernel with jupyter_client and talking to it, for the protocol tests.

The kernelspec is found the way Jupyter finds any: JUPYTER_PATH names the folder that the JUnit test installed it
into, and GPUSH_KERNEL_NAME its name. TIMEOUT guards against a hung kernel; it is no speed requirement.
"""
import os
import time
from queue import Empty

from jupyter_client.manager import KernelManager

KERNEL_NAME = os.environ.get("GPUSH_KERNEL_NAME", "gpush")
TIMEOUT = 120


def start_kernel(**popen_args):
    """A started kernel and a connected client whose channels are running."""
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(**popen_args)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def stop_kernel(km, kc):
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=False)


def iopub_until(kc, msg_id, predicate):
    """IOPub messages of the request msg_id, up to and including the first one that predicate accepts."""
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(msg)
        if predicate(msg):
            return seen
    raise AssertionError(f"no matching IOPub message for {msg_id}; saw {[m['msg_type'] for m in seen]}")


def outputs(kc, msg_id):
    """The IOPub messages of a request up to its status idle, without the status messages."""
    msgs = iopub_until(kc, msg_id, lambda m: m["msg_type"] == "status"
                       and m["content"]["execution_state"] == "idle")
    return [m for m in msgs if m["msg_type"] != "status"]


def shell_reply(kc, msg_id):
    """The shell reply to the request msg_id; replies to other requests are skipped."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = kc.get_shell_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg
    raise AssertionError(f"no reply to {msg_id}")


def execute(kc, code, **options):
    """Runs code; answers (execute_reply, the IOPub output messages of the cell)."""
    msg_id = kc.execute(code, **options)
    out = outputs(kc, msg_id)
    return shell_reply(kc, msg_id), out


def request(kc, send, *args, **kwargs):
    """Sends a shell request with send (kc.complete, kc.inspect, ...) and answers its reply's content."""
    msg_id = send(*args, **kwargs)
    return shell_reply(kc, msg_id)["content"]


def text_of(msgs, msg_type="stream", name="stdout"):
    return "".join(m["content"]["text"] for m in msgs
                   if m["msg_type"] == msg_type and m["content"].get("name") == name)


def no_message(channel_get, seconds=0.0):
    """Whether a channel has nothing for us within seconds."""
    try:
        channel_get(timeout=seconds)
    except Empty:
        return True
    return False
