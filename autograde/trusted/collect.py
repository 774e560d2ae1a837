"""Trusted: copy what a sandbox produced back into the course, reading it as untrusted data.

Only regular files the grader expects are copied (the autograded notebook of each
staged notebook, by name), opened without following symlinks (``O_NOFOLLOW``, a
planted link to ``/etc/shadow`` or a classmate's folder is refused), with a size
cap. Anything else in the scratch folder is ignored; what was refused is noted
in the student's feedback. The copy happens **before** the grader sends a single
hidden case to the student's call servers, and nothing is read from the sandbox
afterwards, so nothing a hidden case made can reach the student.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Collected:
    """What was copied, and what was refused with the reason."""

    files: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def copy_regular(source: Path, target: Path, max_bytes: int) -> str | None:
    """Copy one regular file without following links; None when done, else why not."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return "a symbolic link" if error.errno in (40, 20) else f"unreadable ({error.strerror})"
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


def collect(folder: Path, names: list[str], target: Path, max_bytes: int) -> Collected:
    """Copy ``folder/<name>`` for each expected ``name`` into ``target``."""
    out = Collected()
    for name in names:
        why = copy_regular(folder / name, target / name, max_bytes)
        if why is None:
            out.files.append(name)
        elif why != "missing":
            out.refused[name] = why
    return out
