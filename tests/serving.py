"""Serve functions from a call server in a forked process, as the kernel does while grading.

The checks then call them through :class:`autograde.trusted.remote.Remote`, exactly
as :mod:`autograde.trusted.decide` does: across a process boundary, plain data back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from autograde.sandboxed import call_server
from autograde.trusted.remote import Channel, Remote


@contextlib.contextmanager
def served(namespace: dict, timeout: float = 60.0) -> Iterator[Channel]:
    """A channel to a call server holding ``namespace`` (killed afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="week08-serve-"))
    path = folder / "calls.sock"
    pid = call_server.start(namespace, str(path), timeout=timeout)
    channel = Channel(path, timeout)
    try:
        yield channel
    finally:
        channel.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        path.unlink(missing_ok=True)
        folder.rmdir()


def remote(channel: Channel, name: str) -> Remote:
    return Remote(channel, name)
