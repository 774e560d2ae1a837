"""Trusted: copy what a sandbox produced back into the course, reading it as untrusted data.

Only regular files the grader expects are copied (the autograded notebook of each
staged notebook, by name), opened without following a symlink anywhere below the
scratch folder (:func:`open_beneath`: a planted link to ``/etc/shadow``, to the
solutions or to a classmate's folder, in place of the notebook or of any folder
above it, is refused), with a size cap. Anything else in the scratch folder is ignored; what was refused is noted
in the student's feedback. The copy happens **before** the grader sends a single
hidden case to the student's call servers, and nothing is read from the sandbox
afterwards, so nothing a hidden case made can reach the student.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Collected:
    """What was copied, and what was refused with the reason."""

    files: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def open_beneath(base: Path, path: Path, flags: int) -> int:
    """Open ``path``, inside the trusted folder ``base``, without following any symlink below ``base``.

    Every entry below ``base`` is the student's to plant. The file is opened with
    ``O_NOFOLLOW`` (its last component) and then the kernel is asked where the
    descriptor really is (``/proc/self/fd``): anything but ``base``'s real path
    followed by the same components went through a link, and is refused with
    ``ELOOP``. The check is on the open descriptor, so swapping a folder for a link
    after the check changes nothing.
    """
    real_base = os.path.realpath(base)
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    if relative.startswith("..") or os.path.isabs(relative):
        raise OSError(errno.EXDEV, "outside the scratch folder", str(path))
    wanted = os.path.normpath(os.path.join(real_base, relative))
    fd = os.open(wanted, flags | os.O_NOFOLLOW)
    try:
        actual = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        actual = None  # no /proc: only the last component is checked
    if actual is not None and actual != wanted:
        os.close(fd)
        raise OSError(errno.ELOOP, "reached through a symbolic link", str(path))
    return fd


def copy_regular(base: Path, source: Path, target: Path, max_bytes: int) -> str | None:
    """Copy one regular file from below ``base`` without following links; None when done, else why not."""
    try:
        fd = open_beneath(base, source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        if error.errno == errno.ELOOP and "through" in str(error.strerror):
            return "reached through a symbolic link"
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            return "a symbolic link"
        return f"unreadable ({error.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > max_bytes:
            return f"larger than {max_bytes // 2**20} MB"
        data = b""
        while len(data) <= max_bytes:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            data += chunk
        if len(data) > max_bytes:
            return f"larger than {max_bytes // 2**20} MB"
    finally:
        os.close(fd)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return None


def collect(base: Path, folder: Path, names: list[str], target: Path, max_bytes: int) -> Collected:
    """Copy ``folder/<name>`` for each expected ``name`` into ``target``; ``folder`` is below ``base``."""
    out = Collected()
    for name in names:
        why = copy_regular(base, folder / name, target / name, max_bytes)
        if why is None:
            out.files.append(name)
        elif why != "missing":
            out.refused[name] = why
    return out
