"""Run untrusted student code with limits and, where the OS allows it, isolation.

Every process that runs student code (nbgrader's kernel, the verifier's child)
is started through :func:`popen`, which applies:

- a **wall-clock limit** (the caller's timeout kills the whole process group);
- a **memory limit** (``RLIMIT_AS``) and a **file-size limit** (``RLIMIT_FSIZE``);
- a **process-count limit**: a ``pids`` cgroup with ``pids.max`` when running as
  root (root ignores ``RLIMIT_NPROC``), ``RLIMIT_NPROC`` otherwise;
- when running as root with ``unshare``, ``mount`` and ``setpriv`` available
  (Linux): **no network** (a new network namespace), a **read-only view of the
  whole filesystem** except the submission's own scratch folder, chosen paths
  **hidden** behind empty mounts (the solutions, the gradebook, other students'
  work), and **no capabilities**, so the read-only view cannot be undone.

Where isolation is not available (not root, not Linux, no ``unshare``),
:func:`status` says so in plain words and the limits alone apply; ``make grade``
prints that message once.
"""

from __future__ import annotations

import functools
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PIDS_CGROUP = Path("/sys/fs/cgroup/pids")
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


@functools.cache
def status() -> tuple[bool, str]:
    """Whether filesystem/network isolation is available, and a sentence saying so."""
    if sys.platform != "linux":
        return False, "isolation needs Linux; grading runs with time and memory limits only."
    if os.geteuid() != 0:
        return False, ("isolation needs root (network and mount namespaces); grading runs with time, "
                       "memory and process-count limits only.")
    missing = [tool for tool in ("unshare", "mount", "setpriv") if shutil.which(tool) is None]
    if missing:
        return False, f"isolation needs {', '.join(missing)}; grading runs with limits only."
    probe = subprocess.run(["unshare", "--mount", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        return False, "unshare --mount --net is refused here; grading runs with limits only."
    return True, "isolation on: no network, read-only filesystem, hidden grader files, no capabilities."


def _jail_script(jail: Jail) -> str:
    """Shell commands run inside the new namespaces before the student's process starts."""
    q = shlex.quote
    writable = q(str(jail.writable))
    # Keep a handle on the writable folder, hide what must be hidden (which may cover
    # the folder's own parent), then mount the folder back through the handle.
    lines = ["set -e", f"exec 9<{writable}", "mount --make-rprivate /"]
    hidden = [Path(p).resolve() for p in jail.hidden]
    # A path inside another hidden folder is already hidden (and no longer exists to mount on).
    hidden = sorted({p for p in hidden if not any(o != p and o in p.parents for o in hidden)})
    for path in hidden:
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
    group = PIDS_CGROUP / "week08" / name
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
    if jail is not None and status()[0]:
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
