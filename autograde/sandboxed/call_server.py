"""Inside the sandbox: answer the grader's calls with the functions of an executed notebook.

When nbgrader has run the last cell of a student's notebook, the kernel forks a
call server (:func:`start`, run by :class:`autograde.sandboxed.execute.ExecuteAndServe`):
a copy of the kernel process holding everything the notebook defined, exactly
as the notebook left it (module-level variables, helpers from earlier cells,
other exercises' functions). The notebook is not executed a second time.

The server listens on a Unix socket in the student's scratch folder. For every
*session* of the grader (the plain calls of one check's run, as they would run
one after another in one kernel in JupyterLab) it forks once more (a
:class:`Session`: every check starts from the notebook's state, so one check
cannot prepare the next or leave the server broken); a probe, which looks at
side effects, gets a fork of its own. The session's process calls the function,
turns the answer into plain data (:mod:`helpers.checks.wire`) and sends a
:class:`~autograde.sandboxed.protocol.Reply`. A call that runs past the per-call
limit is killed with its session (the next call forks afresh). Forking once per
call instead cost 0.1 ms per MB of the kernel's memory each time: 49 s instead
of 39 s for every check of the course on the reference. Everything the student's code prints goes to ``/dev/null``:
nothing from these calls reaches the student, only the grader's verdicts do.

Nothing in this process decides a grade: it holds no reference solution, no
expected value and no key; the grader compares what it sends back.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import select
import signal
import socket
import sys
import time
from typing import Any

from autograde.sandboxed.protocol import (
    Call,
    CallKind,
    ChannelError,
    FrameTimeout,
    FrameTooLarge,
    Reply,
    ReplyStatus,
    recv_frame,
    send_frame,
)
from helpers.checks import wire

#: Seconds one call may take (WEEK08_CELL_TIMEOUT, as for a notebook cell).
CALL_TIMEOUT = float(os.environ.get("WEEK08_CELL_TIMEOUT", "60"))
#: Seconds the server waits for the grader before it gives up.
IDLE_TIMEOUT = 3600.0
#: Modules whose probes the grader may ask for (public code, shipped to students).
PROBE_MODULES = ("helpers.checks.",)


def start(namespace: dict, path: str, timeout: float | None = None) -> int:
    """Fork a call server for ``namespace`` listening on ``path``; returns its pid (in the caller)."""
    if os.path.lexists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    folder = os.open(os.path.dirname(path) or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:  # through the folder's descriptor: a socket path may be longer than the 108 bytes bind() takes
        listener.bind(f"/proc/self/fd/{folder}/{os.path.basename(path)}")
    except OSError:
        listener.bind(path)
    finally:
        os.close(folder)
    listener.listen(1)
    ready, told = os.pipe()
    pid = os.fork()
    if pid:
        listener.close()
        os.close(told)
        # Return (and let the kernel shut down) only once the server has left the kernel's
        # process group: ipykernel terminates the children in its group when it shuts down.
        select.select([ready], [], [], 10)
        os.close(ready)
        return pid
    code = 0
    try:
        os.setsid()  # out of the kernel's process group, which is killed when the kernel shuts down
        os.close(ready)
        os.close(told)  # the kernel's select() returns
        _become_server(namespace, listener, CALL_TIMEOUT if timeout is None else timeout)
    except BaseException:  # noqa: BLE001 - the server must never return into the kernel's code
        code = 1
    os._exit(code)


def _become_server(namespace: dict, listener: socket.socket, timeout: float) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    _silence()
    _close_fds(keep={listener.fileno()})
    listener.settimeout(IDLE_TIMEOUT)
    try:
        conn, _ = listener.accept()
    except OSError:
        return
    listener.close()
    serve(conn, namespace, timeout)


def _silence() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    sys.stdin = open(os.devnull)  # noqa: SIM115


def _close_fds(keep: set[int]) -> None:
    """Close the kernel's sockets and files: the server talks to the grader only."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def serve(conn: socket.socket, namespace: dict, timeout: float) -> None:
    """Answer calls on ``conn`` until the grader closes it."""
    session: Session | None = None
    try:
        while True:
            try:
                request = recv_frame(conn, time.monotonic() + IDLE_TIMEOUT)
            except ChannelError:
                return
            name = Call.session_of(request)
            if session is not None and (not name or session.name != name):
                session.end()
                session = None
            if not name:  # a probe: from the notebook's state, in a process of its own
                reply = Session(namespace, "").ask(request, timeout, last=True)
            else:
                session = session if session is not None and session.alive else Session(namespace, name)
                reply = session.ask(request, timeout)
            try:
                send_frame(conn, reply)
            except OSError:
                return
    finally:
        if session is not None:
            session.end()


class Session:
    """A process forked from the notebook's state that answers one session's calls in turn.

    Forking per session instead of per call saves a fork for every call but the first
    (about 0.1 ms per MB of the kernel's memory). A call that runs past the limit, ends
    its process or answers too much ends the session; the next call forks afresh.
    """

    def __init__(self, namespace: dict, name: str) -> None:
        self.name = name
        self.alive = True
        ours, theirs = socket.socketpair()
        self.pid = os.fork()
        if self.pid == 0:
            ours.close()
            code = 0
            try:
                _answer_calls(theirs, namespace)
            except BaseException:  # noqa: BLE001 - never return into the server's loop
                code = 1
            os._exit(code)
        theirs.close()
        self.sock = ours

    def ask(self, request: bytes, timeout: float, last: bool = False) -> bytes:
        """The reply to one call, within ``timeout`` seconds."""
        try:
            send_frame(self.sock, request)
            return recv_frame(self.sock, time.monotonic() + timeout, limit=wire.MAX_BYTES)
        except FrameTimeout:
            self.end()
            return Reply(ReplyStatus.TIMEOUT, error=f"stopped after {timeout:g} s").to_bytes()
        except FrameTooLarge:
            self.end()
            return Reply(ReplyStatus.UNREADABLE, error="the answer is too large").to_bytes()
        except (ChannelError, OSError):
            self.end()
            return Reply(ReplyStatus.DIED, error="the call ended its process").to_bytes()
        finally:
            if last:
                self.end()

    def end(self) -> None:
        if self.alive:
            self.alive = False
            self.sock.close()
            _kill(self.pid)


def _answer_calls(sock: socket.socket, namespace: dict) -> None:
    """In a session's process: compute each call the server passes on, until it closes the socket."""
    while True:
        try:
            request = recv_frame(sock, time.monotonic() + IDLE_TIMEOUT)
        except ChannelError:
            return
        send_frame(sock, compute(request, namespace))


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def compute(request: bytes, namespace: dict) -> bytes:
    """In the call's own process: the reply to one call (never raises)."""
    call = Call.from_bytes(request)
    function = namespace.get(call.function)
    if not callable(function):
        return Reply(ReplyStatus.MISSING, error=f"{call.function} is not defined").to_bytes()
    try:
        with _no_process_pools():
            if call.kind is CallKind.PROBE:
                result = _probe(call.probe or "")(function, *call.args, **call.kwargs)
            else:
                result = function(*call.args, **call.kwargs)
    except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from student code too
        return Reply(ReplyStatus.RAISED, error_type=_name(error), error=_text(error)).to_bytes()
    try:
        return Reply(ReplyStatus.RETURNED, value=wire.encode(result)).to_bytes()
    except wire.WireError as error:
        return Reply(ReplyStatus.UNREADABLE, error=str(error)).to_bytes()
    except Exception as error:  # noqa: BLE001 - a property of the answer raised while it was read
        return Reply(ReplyStatus.UNREADABLE, error=f"reading the answer raised {_name(error)}").to_bytes()


def _no_process_pools() -> Any:
    """joblib's pools of the kernel do not survive a fork: ``n_jobs=-1`` runs on threads in a call."""
    if "joblib" not in sys.modules:
        return contextlib.nullcontext()
    from joblib import parallel_config

    return parallel_config(backend="threading")


def _probe(name: str) -> Any:
    module, _, attr = name.partition(":")
    if not module.startswith(PROBE_MODULES):
        raise LookupError(f"{module} is not a module of public checks")
    return getattr(importlib.import_module(module), attr)


def _name(error: BaseException) -> str:
    try:
        return str(type(error).__name__)[:100]
    except Exception:  # noqa: BLE001
        return "Exception"


def _text(error: BaseException) -> str:
    try:
        return str(error)[:2000]
    except Exception:  # noqa: BLE001
        return ""
