"""The wire between the grader (trusted) and a student's call server (sandboxed).

One Unix stream socket per notebook. Every message is a *frame*: a 4-byte
big-endian length, then that many bytes.

- grader -> student: a :class:`Call`, pickled (the student side may unpickle what
  the grader sends; never the other way round);
- student -> grader: a :class:`Reply`, as JSON only, at most
  :data:`helpers.checks.wire.MAX_BYTES` bytes, read against a deadline, so a
  reply that never ends, is too large or is not JSON is a failed call, never a
  hang or a crash of the grader.
"""

from __future__ import annotations

import enum
import io
import json
import pickle
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from helpers.checks.wire import MAX_BYTES

_HEADER = struct.Struct(">I")
#: Width of the session field at the start of a call's bytes.
SESSION_BYTES = 16


class ChannelError(ConnectionError):
    """The other side closed, timed out, or sent something that is not a frame."""


class FrameTimeout(ChannelError):
    """No complete frame before the deadline."""


class FrameTooLarge(ChannelError):
    """A frame announced more bytes than the limit."""


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def recv_frame(sock: socket.socket, deadline: float, limit: int = MAX_BYTES + 4096) -> bytes:
    """One frame, or :class:`ChannelError` if it does not arrive whole before ``deadline`` (monotonic)."""
    header = _recv_exactly(sock, _HEADER.size, deadline)
    (size,) = _HEADER.unpack(header)
    if size > limit:
        raise FrameTooLarge(f"a reply of {size} bytes is over the limit of {limit}")
    return _recv_exactly(sock, size, deadline)


def _recv_exactly(sock: socket.socket, size: int, deadline: float) -> bytes:
    chunks, got = [], 0
    while got < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FrameTimeout("no complete reply before the deadline")
        sock.settimeout(left)
        try:
            chunk = sock.recv(min(size - got, 1 << 20))
        except TimeoutError:
            raise FrameTimeout("no complete reply before the deadline") from None
        except OSError as error:
            raise ChannelError(f"the connection failed: {error}") from None
        if not chunk:
            raise ChannelError("the student's process closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class CallKind(enum.StrEnum):
    CALL = "call"  # call the notebook's function with the arguments
    PROBE = "probe"  # run a public probe (helpers.checks) on the notebook's function


@dataclass
class Call:
    """What the grader asks: call ``function`` of the notebook (through ``probe``, if given)."""

    kind: CallKind
    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    probe: str | None = None  # "helpers.checks.nb05:probe_set_seed"
    #: Calls with the same non-empty session run one after another in one process forked from the
    #: notebook's state (as a check's calls run in one kernel in JupyterLab); "" forks afresh.
    session: str = ""

    def to_bytes(self, pickler: type[pickle.Pickler] = pickle.Pickler) -> bytes:
        """The session (fixed width, readable without unpickling the arguments), then the pickled call."""
        session = self.session.encode("ascii")
        if len(session) > SESSION_BYTES:
            raise ValueError(f"a session name has at most {SESSION_BYTES} characters")
        buffer = io.BytesIO(session.ljust(SESSION_BYTES))
        buffer.seek(0, io.SEEK_END)
        pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
            {"kind": self.kind.value, "function": self.function, "args": self.args, "kwargs": self.kwargs,
             "probe": self.probe})
        return buffer.getvalue()

    @staticmethod
    def session_of(data: bytes) -> str:
        """The session of a call's bytes, without unpickling anything."""
        return data[:SESSION_BYTES].decode("ascii", errors="replace").strip()

    @classmethod
    def from_bytes(cls, data: bytes) -> Call:  # only ever on the student's side
        raw = pickle.loads(data[SESSION_BYTES:])  # noqa: S301 - the grader is the sender
        return cls(CallKind(raw["kind"]), raw["function"], tuple(raw["args"]), dict(raw["kwargs"]), raw["probe"],
                   cls.session_of(data))


class ReplyStatus(enum.StrEnum):
    RETURNED = "returned"  # value holds the answer as plain data
    RAISED = "raised"  # the function raised: error_type and error say what
    MISSING = "missing"  # no such function in the notebook
    TIMEOUT = "timeout"  # the call ran past the per-call limit and was stopped
    DIED = "died"  # the call ended its process without a reply
    UNREADABLE = "unreadable"  # the answer could not be turned into plain data


@dataclass
class Reply:
    """What the student's side answers (JSON)."""

    status: ReplyStatus
    value: Any = None  # plain data (helpers.checks.wire.encode), only when RETURNED
    error_type: str = ""
    error: str = ""

    def to_bytes(self) -> bytes:
        return json.dumps({"status": self.status.value, "value": self.value, "error_type": self.error_type,
                           "error": self.error}, allow_nan=False, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Reply:
        """Parse defensively: anything unexpected is a :class:`ChannelError`."""
        try:
            raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
            if not isinstance(raw, dict) or set(raw) != {"status", "value", "error_type", "error"}:
                raise ValueError("unexpected fields")
            status = ReplyStatus(raw["status"])
            if not isinstance(raw["error_type"], str) or not isinstance(raw["error"], str):
                raise ValueError("error fields must be strings")
            return cls(status, raw["value"], raw["error_type"][:200], raw["error"][:2000])
        except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as error:
            raise ChannelError(f"the reply is not valid ({type(error).__name__})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} in a reply")
