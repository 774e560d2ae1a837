"""Warm kernels for autograding: fork each notebook's kernel from a process that has already imported the libraries.

Every notebook of this course starts by importing NumPy, pandas, scikit-learn,
matplotlib and Optuna, and every kernel starts by importing IPython and
ipykernel: about 2.5 s per notebook, a third of the time nbgrader spends on a
submission. The zygote pays that once per submission: it imports those
libraries (and nothing that reads the student's environment), then waits on a
Unix socket. For each kernel that nbgrader starts, :mod:`autograde.sandboxed.kernel_launcher`
(the kernel spec's command) asks the zygote to ``fork()``; the child takes the
launcher's standard streams, environment and working directory and becomes an
ordinary ipykernel.

Isolation is unchanged: the zygote runs inside the submission's sandbox (it is
started by :mod:`autograde.sandboxed.nbgrader_run`, in the same jail), no student code has
run in it when it forks, and every kernel is a separate process with its own
process group. The child re-seeds Python's and NumPy's global random generators,
as a freshly started interpreter would have. If the launcher dies (nbclient
kills a kernel that does not stop), the zygote kills the child's process group.

    python -m autograde.sandboxed.kernel_zygote SOCKET_PATH
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import sys
import threading

#: Third-party modules imported before forking. Some read the environment when
#: imported (BLAS thread counts, ``JOBLIB_MULTIPROCESSING``); the zygote is started
#: with the same grading environment as every kernel it forks, so they agree.
#: Nothing of the course (``helpers``, trackio) is imported here.
PRELOAD = [
    "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel",
    "numpy", "scipy.stats", "pandas", "matplotlib", "matplotlib.pyplot",
    "sklearn.base", "sklearn.compose", "sklearn.dummy", "sklearn.ensemble", "sklearn.feature_selection",
    "sklearn.gaussian_process", "sklearn.impute", "sklearn.linear_model", "sklearn.metrics",
    "sklearn.model_selection", "sklearn.neighbors", "sklearn.pipeline", "sklearn.preprocessing",
    "sklearn.svm", "sklearn.tree", "threadpoolctl", "joblib", "optuna",
    "matplotlib.backends.backend_agg", "IPython.core.pylabtools",
]
HEADER = struct.Struct("!I")


def send_message(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    """Send one length-prefixed JSON message, with file descriptors attached to its first byte if given."""
    body = json.dumps(message).encode()
    data = HEADER.pack(len(body)) + body
    sent = socket.send_fds(sock, [data], fds) if fds else 0
    sock.sendall(data[sent:])


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        more = sock.recv(size - len(data))
        if not more:
            return None
        data += more
    return data


def receive_message(sock: socket.socket, max_fds: int = 0) -> tuple[dict | None, list[int]]:
    """One message and the file descriptors that came with it; ``(None, fds)`` at end of stream.

    Reads exactly one message, never into the next one.
    """
    fds: list[int] = []
    if max_fds:
        first, fds, _, _ = socket.recv_fds(sock, 1, max_fds)
        rest = _read_exactly(sock, HEADER.size - 1) if first else None
        header = first + rest if rest is not None else None
    else:
        header = _read_exactly(sock, HEADER.size)
    if header is None:
        return None, list(fds)
    (size,) = HEADER.unpack(header)
    body = _read_exactly(sock, size)
    return (json.loads(body) if body is not None else None), list(fds)


def preload() -> None:
    """Import the libraries every kernel needs, the way ipykernel would see them."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel sets it
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - a missing optional library only costs its import later
            pass
    warm_up_figures()
    if threading.active_count() != 1:  # forking a process with threads is not safe
        raise SystemExit("kernel zygote: a preloaded module started a thread; not forking")


def warm_up_figures() -> None:
    """Draw one small figure off-screen, so fonts and the renderer are loaded before forking."""
    try:
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(2, 2))
        axes = figure.add_subplot()
        axes.plot([0, 1], [0, 1], label="warm-up")
        axes.set_title("warm-up")
        axes.legend()
        FigureCanvasAgg(figure).print_png(io.BytesIO())
    except Exception:  # noqa: BLE001 - only a speed-up
        pass


def redirect_log_handlers(original: dict[int, str]) -> None:
    """Point logging handlers made in the zygote at the kernel's streams.

    A library imported in a fresh kernel (Optuna's trial log, for one) binds its
    handler to the kernel's ``sys.stderr``, so its lines reach the notebook in order.
    Imported in the zygote, the handler holds the zygote's stream instead; this
    re-points it, so the notebook shows the same output as with an ordinary kernel.
    """
    import logging

    loggers = [logging.getLogger()] + [item for item in logging.Logger.manager.loggerDict.values()
                                       if isinstance(item, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and id(handler.stream) in original:
                handler.setStream(getattr(sys, original[id(handler.stream)]))


def become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: take the launcher's streams, environment and folder, then run ipykernel."""
    os.setpgid(0, 0)
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import random

    random.seed()  # a fresh interpreter seeds from the OS; a forked one would repeat the zygote's state
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    argv = list(request["argv"])
    if os.environ.get("JPY_PARENT_PID"):  # ipykernel read it at import time, in the zygote: pass it on
        argv.insert(0, f"--IPKernelApp.parent_handle={int(os.environ['JPY_PARENT_PID'])}")
    sys.argv = ["ipykernel_launcher", *argv]
    from ipykernel.kernelapp import IPKernelApp

    original = {id(sys.stdout): "stdout", id(sys.stderr): "stderr"}
    try:
        app = IPKernelApp.instance()
        app.initialize(argv)
        redirect_log_handlers(original)
        app.start()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Zygote:
    """The fork server: one listening socket, one connection and child per kernel."""

    def __init__(self, path: str) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        os.chmod(path, 0o600)
        self.listener.listen(16)
        self.parent = os.pidfd_open(os.getppid())
        self.kernels: dict[int, dict] = {}  # child pid -> {"conn", "pidfd", "launcher"}

    def serve(self) -> None:
        """Fork kernels on request until the process that started the zygote ends."""
        while True:
            watched = [self.listener, self.parent]
            for kernel in self.kernels.values():
                watched += [kernel["conn"], kernel["pidfd"], kernel["launcher"]]
            ready, _, _ = select.select(watched, [], [])
            if self.parent in ready:
                self.stop()
                return
            if self.listener in ready:
                self.accept()
            for pid, kernel in list(self.kernels.items()):
                if kernel["pidfd"] in ready:
                    self.reap(pid)
                elif kernel["conn"] in ready or kernel["launcher"] in ready:
                    self.kill(pid)  # the launcher is gone: nobody can stop this kernel any more

    def accept(self) -> None:
        conn, _ = self.listener.accept()
        try:
            request, fds = receive_message(conn, max_fds=3)
            if request is None or len(fds) != 3:
                raise ValueError("bad request")
            launcher = os.pidfd_open(int(request["launcher_pid"]))
        except (OSError, ValueError, KeyError, TypeError):
            conn.close()
            return
        pid = os.fork()
        if pid == 0:
            self.listener.close()
            conn.close()
            for other in self.kernels.values():  # other kernels' handles are none of this kernel's business
                other["conn"].close()
                os.close(other["pidfd"])
                os.close(other["launcher"])
            become_kernel(request, fds)
        for fd in fds:
            os.close(fd)
        self.kernels[pid] = {"conn": conn, "pidfd": os.pidfd_open(pid), "launcher": launcher}
        send_message(conn, {"pid": pid})

    def reap(self, pid: int) -> None:
        kernel = self.kernels.pop(pid)
        _, status = os.waitpid(pid, 0)
        try:
            send_message(kernel["conn"], {"exit": os.waitstatus_to_exitcode(status)})
        except OSError:
            pass
        kernel["conn"].close()
        os.close(kernel["pidfd"])
        os.close(kernel["launcher"])

    def kill(self, pid: int) -> None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.reap(pid)

    def stop(self) -> None:
        for pid in list(self.kernels):
            self.kill(pid)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    preload()
    zygote = Zygote(args[0])
    print("ready", flush=True)
    os.dup2(2, 1)  # nothing else goes to the starter's pipe
    zygote.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
