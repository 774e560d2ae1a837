"""The kernel spec's command while autograding: ask the zygote for a warm kernel.

jupyter_client starts this in place of ``python -m ipykernel_launcher -f FILE``.
It hands its standard streams, environment, working directory and arguments to
:mod:`autograde.sandboxed.kernel_zygote` (the socket named by ``WEEK08_KERNEL_ZYGOTE``),
which forks a kernel that already has the libraries imported. The launcher then
stands in for that kernel: signals it receives (an interrupt from nbclient, a
termination) are passed on to the kernel's process group, and it exits with the
kernel's exit code. When no zygote is reachable it simply becomes an ordinary
ipykernel, so a kernel is always started.
"""

from __future__ import annotations

import os
import signal
import socket
import sys

from autograde.sandboxed.kernel_zygote import receive_message, send_message

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def ordinary_kernel() -> None:
    """Replace this process with a normal ipykernel (no zygote available)."""
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])


def main() -> int:
    path = os.environ.get("WEEK08_KERNEL_ZYGOTE")
    if not path:
        ordinary_kernel()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        send_message(sock, {"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd(),
                            "launcher_pid": os.getpid()}, fds=[0, 1, 2])
        reply, _ = receive_message(sock)
    except OSError:
        reply = None
    if not reply or "pid" not in reply:
        sock.close()
        ordinary_kernel()
    kernel = int(reply["pid"])

    def forward(signum: int, _frame) -> None:
        try:
            os.killpg(kernel, signum)  # the kernel and anything it started, as jupyter_client would
        except ProcessLookupError:
            try:
                os.kill(kernel, signum)  # not yet in its own process group
            except ProcessLookupError:
                pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        try:
            reply, _ = receive_message(sock)
        except InterruptedError:
            continue
        if reply is None:  # the zygote is gone: take the kernel down with us
            forward(signal.SIGKILL, None)
            return 1
        if "exit" in reply:
            code = int(reply["exit"])
            return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
