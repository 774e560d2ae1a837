"""Run untrusted student code with limits and, where the OS allows it, isolation.

Every process that runs student code (nbgrader and its kernels, the call servers)
is started through :func:`popen`, which applies:

- a **wall-clock limit** (the caller's timeout kills the whole process tree);
- a **memory limit** (``RLIMIT_AS``) and a **file-size limit** (``RLIMIT_FSIZE``);
- a **process-count limit**: a ``pids`` cgroup with ``pids.max`` when running as
  root (root ignores ``RLIMIT_NPROC``), ``RLIMIT_NPROC`` otherwise;
- **isolation** with bubblewrap (``bwrap``, the sandbox Flatpak uses; ``make setup``
  installs Debian's ``bubblewrap`` when it can): a new **PID namespace** (the
  submission sees and can signal only its own processes, and all of them die when
  its first process ends or the grader dies: ``--die-with-parent``), **no
  network**, a private ``/tmp`` and ``/dev/shm``, the **whole filesystem read-only**
  except the submission's scratch folder, chosen paths **hidden** behind empty
  mounts (the solutions, hidden checks, trusted code, the gradebook, other students'
  work), a new session (no terminal injection) and **no capabilities**.

Without bubblewrap, as root on Linux, the older isolation by ``unshare`` and
``mount`` applies (no network, read-only, hidden paths, no capabilities), but
without a PID namespace or private ``/dev/shm``; without root only the limits
apply. :func:`status` says which in plain words; ``make grade`` prints it once.
"""

from __future__ import annotations

import functools
import itertools
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PIDS_CGROUP = Path("/sys/fs/cgroup/pids")
_GROUP_NUMBERS = itertools.count()
#: Sandboxed processes still running (killed by :func:`kill_all` on Ctrl-C).
LIVE: set[subprocess.Popen] = set()


@dataclass
class Limits:
    """Resource limits for one sandboxed process tree (see :class:`autograde.settings.Settings`)."""

    memory_mb: int = 6144
    max_processes: int = 128
    max_file_mb: int = 1024


@dataclass
class Jail:
    """What a sandboxed process may write and what it must not see."""

    writable: Path  # the submission's scratch folder
    hidden: Sequence[Path] = field(default_factory=list)  # folders and files to hide
    network: bool = False
    #: Host folders shown read-only at their own path, even under the private /tmp: where the
    #: trusted side puts the files it passes to the student's functions (see ``autograde.grade``).
    visible: Sequence[Path] = field(default_factory=list)


BWRAP_MISSING = ("bubblewrap (bwrap) is not installed (as root, `make setup` installs Debian's bubblewrap): "
                 "isolation by unshare, without a PID namespace or a private /dev/shm")


@functools.cache
def engine() -> str:
    """How student code is isolated: ``WEEK08_SANDBOX`` when this machine can, else the best it can."""
    from autograde.settings import Settings

    wanted, can = Settings.from_environ().sandbox, available()
    if wanted == "bwrap" and can == "bwrap":
        return "bwrap"
    if can == "bwrap":  # bubblewrap present but not chosen: unshare when root allows it
        return "unshare" if _unshare_works() else "none"
    return can


def _unshare_works() -> bool:
    if os.geteuid() != 0 or any(shutil.which(t) is None for t in ("unshare", "mount", "setpriv")):
        return False
    return subprocess.run(["unshare", "--mount", "--net", "true"], capture_output=True).returncode == 0


@functools.cache
def available() -> str:
    """The strongest isolation this machine offers: ``"bwrap"``, ``"unshare"`` or ``"none"``."""
    if sys.platform != "linux":
        return "none"
    if shutil.which("bwrap") and subprocess.run(
            ["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "true"],
            capture_output=True).returncode == 0:
        return "bwrap"
    if os.geteuid() != 0 or any(shutil.which(t) is None for t in ("unshare", "mount", "setpriv")):
        return "none"
    if subprocess.run(["unshare", "--mount", "--net", "true"], capture_output=True).returncode != 0:
        return "none"
    return "unshare"


@functools.cache
def status() -> tuple[bool, str]:
    """Whether filesystem/network isolation is available, and a sentence saying so."""
    kind = engine()
    if kind == "bwrap":
        return True, ("isolation on (bubblewrap): own process namespace, no network, read-only filesystem, "
                      "private /tmp and /dev/shm, hidden grader files, no capabilities.")
    if kind == "unshare":
        why = ("bubblewrap is installed but WEEK08_SANDBOX=unshare chose the fallback (no own process namespace, "
               "shared /tmp and /dev/shm)") if available() == "bwrap" else BWRAP_MISSING
        return True, f"isolation on: no network, read-only filesystem, hidden grader files, no capabilities; {why}."
    if sys.platform != "linux":
        return False, "isolation needs Linux; grading runs with time and memory limits only."
    if os.geteuid() != 0:
        return False, ("isolation needs bubblewrap or root (namespaces); grading runs with time, "
                       "memory and process-count limits only.")
    return False, "unshare --mount --net is refused here and bubblewrap is missing; grading runs with limits only."


def _hidden(jail: Jail) -> list[Path]:
    """The paths to hide, without those inside another hidden folder (already hidden)."""
    hidden = [Path(p).resolve() for p in jail.hidden]
    return sorted({p for p in hidden if not any(o != p and o in p.parents for o in hidden)})


@functools.cache
def _empty_file() -> str:
    """An empty read-only file of the grader's own, mounted over files to hide."""
    fd, path = tempfile.mkstemp(prefix="week08-empty-")
    os.close(fd)
    os.chmod(path, 0o444)
    return path


def bwrap_argv(jail: Jail, cwd: str | os.PathLike | None = None) -> list[str]:
    """The ``bwrap`` command line that puts a command in ``jail`` (the command follows it)."""
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/dev/shm"]
    if jail.network:
        argv.append("--share-net")
    for path in _hidden(jail):
        if path.is_dir():
            argv += ["--tmpfs", str(path)]
        elif path.exists():  # (/dev/null cannot be used: bubblewrap's binds are nodev)
            argv += ["--ro-bind", _empty_file(), str(path)]
    for path in jail.visible:
        argv += ["--ro-bind", str(Path(path).resolve()), str(Path(path).resolve())]
    writable = str(Path(jail.writable).resolve())
    argv += ["--bind", writable, writable, "--cap-drop", "ALL"]
    if cwd is not None:
        argv += ["--chdir", str(Path(cwd).resolve())]
    return [*argv, "--"]


def _jail_script(jail: Jail) -> str:
    """Shell commands run inside the new namespaces before the student's process starts."""
    q = shlex.quote
    writable = q(str(jail.writable))
    # Keep a handle on the writable folder, hide what must be hidden (which may cover
    # the folder's own parent), then mount the folder back through the handle.
    lines = ["set -e", f"exec 9<{writable}", "mount --make-rprivate /"]
    for path in _hidden(jail):
        if path.is_dir():
            lines.append(f"mount -t tmpfs -o size=64k,mode=0755 week08-hidden {q(str(path))}")
        elif path.is_file():
            lines.append(f"mount --bind /dev/null {q(str(path))}")
    lines += [f"mkdir -p {writable}", f"mount --no-canonicalize --bind /proc/self/fd/9 {writable}", "exec 9<&-"]
    lines.append("mount -o remount,bind,ro /")
    lines.append("for m in $(awk '$2 ~ \"^/sys\" {print $2}' /proc/self/mounts); do "
                 "mount -o remount,bind,ro \"$m\" 2>/dev/null || true; done")
    if not jail.network:
        lines.append("ip link set lo up 2>/dev/null || true")
    lines.append('exec setpriv --bounding-set=-all --inh-caps=-all --no-new-privs -- "$@"')
    return "\n".join(lines)


def _cgroup(name: str, limits: Limits) -> Path | None:
    """A fresh pids cgroup (root only); None when cgroups are not writable."""
    if os.geteuid() != 0 or not PIDS_CGROUP.is_dir():
        return None
    # Unique per grader process and sandbox: two gradings on one machine (two TAs, two test
    # workers) may both have a student "alice", and killing one's cgroup must not touch the other.
    group = PIDS_CGROUP / "week08" / f"{name}-{os.getpid()}-{next(_GROUP_NUMBERS)}"
    try:
        group.mkdir(parents=True, exist_ok=True)
        (group / "pids.max").write_text(str(limits.max_processes))
    except OSError:
        return None
    return group


def _preexec(limits: Limits, group: Path | None):
    def apply() -> None:
        os.setsid()
        if group is not None:
            (group / "cgroup.procs").write_text(str(os.getpid()))
        else:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes, limits.max_processes))
        memory = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        size = limits.max_file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def popen(command: Sequence[str], *, name: str, jail: Jail | None, limits: Limits | None = None,
          **kwargs) -> subprocess.Popen:
    """Start ``command`` under the limits (and the jail, when isolation is available).

    Parameters
    ----------
    command:
        The program and its arguments.
    name:
        A name for the process tree (the cgroup's name), e.g. ``"alice-autograde"``.
    jail:
        Paths to keep writable or hidden; None runs without isolation.
    limits:
        Resource limits (defaults from :class:`Limits`).
    kwargs:
        Passed to :class:`subprocess.Popen` (``stdin``, ``stdout``, ``env``, ``cwd``...).
    """
    limits = limits or Limits()
    argv = list(command)
    if jail is not None and engine() == "bwrap":
        jail.writable.mkdir(parents=True, exist_ok=True)
        argv = [*bwrap_argv(jail, kwargs.get("cwd")), *argv]
    elif jail is not None and engine() == "unshare":
        net = [] if jail.network else ["--net"]
        argv = ["unshare", "--mount", *net, "--", "bash", "-c", _jail_script(jail), "week08-jail", *argv]
    group = _cgroup(name, limits)
    process = subprocess.Popen(argv, preexec_fn=_preexec(limits, group), **kwargs)  # noqa: PLW1509
    process.week08_cgroup = group  # type: ignore[attr-defined]
    LIVE.add(process)
    return process


def kill_tree(process: subprocess.Popen) -> None:
    """Kill a sandboxed process, its process group and everything left in its cgroup."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    group = getattr(process, "week08_cgroup", None)
    if group is not None and (group / "cgroup.procs").exists():
        for _ in range(50):
            pids = (group / "cgroup.procs").read_text().split()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def release(process: subprocess.Popen) -> None:
    """Kill leftovers (e.g. a kernel's children) and remove the process's cgroup."""
    kill_tree(process)
    LIVE.discard(process)
    group = getattr(process, "week08_cgroup", None)
    if group is not None:
        try:
            group.rmdir()
        except OSError:
            pass


def kill_all() -> None:
    """Kill every sandboxed process still running (an interrupted grading run)."""
    for process in list(LIVE):
        release(process)


def run(command: Sequence[str], *, name: str, jail: Jail | None, timeout: float,
        limits: Limits | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run to completion like :func:`subprocess.run`; on timeout kill the tree and re-raise."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    process = popen(command, name=name, jail=jail, limits=limits, text=True, **kwargs)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(process)
        release(process)
        raise
    release(process)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)
