"""The call server a kernel leaves behind outlives the kernel's own shutdown."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from autograde.trusted.remote import Channel, Remote

# What ipykernel does on shutdown (kernelbase._progressively_terminate_all_children): signal
# every child still in the kernel's process group, at once, right after the last request.
KERNEL = textwrap.dedent("""
    import os, signal, sys
    import psutil
    from autograde.sandboxed import call_server

    os.setpgid(0, 0)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core: the parent runs on after fork()
    def answer():
        return 42
    server = call_server.start({"answer": answer}, sys.argv[1], timeout=30)
    for child in psutil.Process().children(recursive=True):
        try:
            if os.getpgid(child.pid) == os.getpgrp():
                os.kill(child.pid, signal.SIGKILL)
        except OSError:
            pass
    print(server, flush=True)
""")


def test_call_server_survives_the_kernel_killing_its_process_group(tmp_path: Path) -> None:
    path = tmp_path / "nb.sock"
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", KERNEL, str(path)], capture_output=True, text=True,
                              timeout=60, check=True)
        server = int(done.stdout)
        try:
            with Channel(path, timeout=30) as channel:
                assert not channel.lost, channel.lost
                assert Remote(channel, "answer")() == 42
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server, signal.SIGKILL)
