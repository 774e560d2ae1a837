"""The call server a kernel leaves behind outlives the kernel's own shutdown."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from autograde.sandboxed import call_server
from autograde.sandboxed.protocol import Call, CallKind, ReplyStatus
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


COUNTER = {"n": 0}


def bump():
    COUNTER["n"] += 1
    return COUNTER["n"]


def sleepy(seconds):
    import time
    time.sleep(seconds)
    return seconds


def _server(tmp_path: Path, timeout: float = 30):
    path = tmp_path / "nb.sock"
    pid = call_server.start({"bump": bump, "sleepy": sleepy}, str(path), timeout=timeout)
    return path, pid


def _ask(channel, function, *args, session=""):
    return Remote(channel, function)._answer(channel.ask(Call(CallKind.CALL, function, args, {}, session=session)))


def test_a_checks_calls_share_one_process_and_every_check_starts_from_the_notebooks_state(tmp_path):
    path, pid = _server(tmp_path)
    try:
        with Channel(path, timeout=30) as channel:
            assert [_ask(channel, "bump", session="check-a") for _ in range(3)] == [1, 2, 3]
            assert _ask(channel, "bump", session="check-b") == 1  # not 4: a fresh fork of the notebook
            assert _ask(channel, "bump") == 1  # no session (a probe): a fork of its own
            assert _ask(channel, "bump") == 1
            one = Remote(channel, "bump")
            assert (one(), one()) == (1, 2) and Remote(channel, "bump")() == 1  # one Remote, one session
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def test_a_call_past_the_limit_ends_its_session_and_the_next_call_forks_afresh(tmp_path):
    path, pid = _server(tmp_path, timeout=1)
    try:
        with Channel(path, timeout=1) as channel:
            assert _ask(channel, "bump", session="s") == 1
            reply = channel.ask(Call(CallKind.CALL, "sleepy", (5,), {}, session="s"))
            assert reply.status is ReplyStatus.TIMEOUT
            assert _ask(channel, "bump", session="s") == 1  # the session's process was killed
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
