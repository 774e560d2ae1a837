"""The grader's end of a call server: a student's function as a callable that holds no student code.

:class:`Remote` stands for one function of a student's notebook. Calling it sends
the arguments (pickled: the student's side may read what the grader sends) to
the notebook's call server (:mod:`autograde.sandboxed.call_server`) and returns
what the server claims the answer was, rebuilt from plain data by
:func:`helpers.checks.wire.decode`. A check compares that answer with values it
computed itself, in this process, where no student code ever runs.

Every failure of the other side becomes a :class:`~helpers.checks.CheckFailed`
of a known :class:`~helpers.checks.core.Failure` kind: a crash, a kill, a hang,
a reply that never ends, garbage or an oversized answer all fail the call,
never the grader.
"""

from __future__ import annotations

import os
import pickle
import secrets
import socket
import stat
import time
from pathlib import Path
from typing import Any

from autograde.sandboxed.protocol import (
    Call,
    CallKind,
    ChannelError,
    Reply,
    ReplyStatus,
    recv_frame,
    send_frame,
)
from autograde.trusted.collect import open_beneath
from helpers.checks import wire
from helpers.checks.core import CheckFailed, Failure, StudentRaised

#: Modules whose objects must never be sent to a student's process.
SECRET_MODULES = ("autograde", "reference_", "tests")


class GraderError(RuntimeError):
    """The grader itself is at fault (a check passed something that must not leave the grader)."""


class Channel:
    """One connection to one notebook's call server."""

    def __init__(self, path: str | os.PathLike, timeout: float, beneath: str | os.PathLike | None = None) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.lost = ""
        self.sock: socket.socket | None = None
        try:
            self.sock = _connect(self.path, Path(beneath) if beneath is not None else self.path.parent)
        except OSError as error:
            self.lost = f"the notebook's process did not answer ({error.strerror or error})"

    def ask(self, call: Call) -> Reply:
        if self.lost or self.sock is None:
            raise CheckFailed(f"no answer: {self.lost}", Failure.LOST)
        payload = _pickle(call)
        try:
            send_frame(self.sock, payload)
            return Reply.from_bytes(recv_frame(self.sock, time.monotonic() + self.timeout + 15))
        except (ChannelError, OSError) as error:
            self.close()
            self.lost = str(error)
            raise CheckFailed(f"no answer: {self.lost}", Failure.LOST) from None

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path, beneath: Path) -> socket.socket:
    """Connect to the socket at ``path`` without following a symlink planted anywhere below ``beneath``."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        fd = open_beneath(beneath, path, getattr(os, "O_PATH", os.O_RDONLY))
    except OSError:
        sock.close()
        raise
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            raise OSError(0, "not a socket")
        sock.connect(f"/proc/self/fd/{fd}")
    except OSError:
        sock.close()
        raise
    finally:
        os.close(fd)
    return sock


class _GuardedPickler(pickle.Pickler):
    """Refuses to send the grader's own functions or classes (the reference, hidden checks)."""

    def reducer_override(self, obj: Any) -> Any:
        module = getattr(obj, "__module__", None) or ""
        if isinstance(obj, type) or callable(obj):
            if module.startswith(SECRET_MODULES):
                raise GraderError(f"a check tried to send {module}.{getattr(obj, '__qualname__', obj)!s} "
                                  "to a student's process")
        return NotImplemented


def _pickle(call: Call) -> bytes:
    try:
        return call.to_bytes(pickler=_GuardedPickler)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise GraderError(f"the arguments of {call.function} cannot be sent: {error}") from None


class Remote:
    """A student's function, in the student's process; see the module docstring."""

    is_callee = True

    def __init__(self, channel: Channel, name: str) -> None:
        self.channel = channel
        self.__name__ = name
        # The plain calls of one Remote (one check's run) share one forked process, as they would
        # share the kernel in JupyterLab: a fork costs about 0.1 ms per MB of the kernel's memory.
        # Probes, which look at side effects, always start from the notebook's state.
        self.session = secrets.token_hex(8)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._answer(self.channel.ask(Call(CallKind.CALL, self.__name__, args, kwargs,
                                                  session=self.session)))

    def probe(self, observer: Any, *args: Any, **kwargs: Any) -> Any:
        name = f"{observer.__module__}:{observer.__qualname__}"
        if not observer.__module__.startswith("helpers.checks."):
            raise GraderError(f"{name} is not a public probe")
        return self._answer(self.channel.ask(Call(CallKind.PROBE, self.__name__, args, kwargs, probe=name)))

    def _answer(self, reply: Reply) -> Any:
        name = self.__name__
        if reply.status is ReplyStatus.RETURNED:
            try:
                return wire.decode(reply.value)
            except (wire.WireError, ValueError, TypeError, KeyError, IndexError, AttributeError,
                    RecursionError, OverflowError) as error:
                raise CheckFailed(f"{name}: the grader cannot read this answer: {error}.",
                                  Failure.UNREADABLE) from None
        if reply.status is ReplyStatus.RAISED:
            if reply.error_type == "NotImplementedError":
                raise NotImplementedError(reply.error)
            raise StudentRaised(reply.error_type, reply.error)
        if reply.status is ReplyStatus.MISSING:
            raise CheckFailed(f"{name} is not defined in the notebook.", Failure.MISSING)
        if reply.status is ReplyStatus.TIMEOUT:
            raise CheckFailed(f"{name} ran longer than the per-call limit ({reply.error}).", Failure.TIMEOUT)
        if reply.status is ReplyStatus.UNREADABLE:
            raise CheckFailed(f"{name}: the grader cannot read this answer: {reply.error}.", Failure.UNREADABLE)
        raise CheckFailed(f"{name} ended its Python process instead of returning.", Failure.LOST)
