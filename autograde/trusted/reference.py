"""The reference solution's functions, extracted from ``solutions/``.

The hidden checks compare a student's function with the reference function of the
same name: ``solution("01_manual_grid_search").grid_search``. Extraction keeps only
definitions (see :mod:`helpers.notebook_code`), so the notebook's experiments do not run.

Hidden inputs are fixed, so the reference's answers are the same for every student:
:func:`memoized` remembers them (:func:`helpers.checks.core.remember`, kept by a
:class:`FileStore` under ``.grading/expected/<grading key>/`` that the trusted workers
share), so each is computed once per version of the checks, not once per student.
Only for notebooks whose reference functions are pure; notebook 04 logs to trackio
and notebook 05 sets global seeds, so their checks use :func:`solution` directly.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import types
from pathlib import Path
from typing import Any

from autograde import ASSIGNMENT, COURSE_ROOT
from helpers.checks.core import STORE, Store, remember
from helpers.notebook_code import definitions_source, is_test_cell, load_definitions

__all__ = ["SOLUTIONS_DIR", "FileStore", "definitions_source", "is_test_cell", "load_definitions", "memoized",
           "solution", "use_store"]

SOLUTIONS_DIR = COURSE_ROOT / "solutions" / ASSIGNMENT

#: Answers kept in memory per process; beyond this they are read from their files.
MAX_ENTRIES = 4096

_PROVIDED: dict[str, types.ModuleType] = {}
_MEMOS: dict[str, Memoized] = {}


def solution(notebook: str) -> types.ModuleType:
    """The reference solution of one notebook, e.g. ``solution("01_manual_grid_search")``."""
    if notebook not in _PROVIDED:
        _PROVIDED[notebook] = load_definitions(SOLUTIONS_DIR / f"{notebook}.ipynb", f"reference_{notebook}")
    return _PROVIDED[notebook]


def memoized(notebook: str) -> Memoized:
    """:func:`solution`, with every function's answers remembered (:func:`helpers.checks.core.remember`)."""
    if notebook not in _MEMOS:
        _MEMOS[notebook] = Memoized(solution(notebook))
    return _MEMOS[notebook]


class Memoized:
    """A reference module whose functions' answers go through :func:`helpers.checks.core.remember`."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        if isinstance(value, type) or not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            return remember(value, *args, **kwargs)

        call.__name__ = call.__qualname__ = name
        call.__module__ = value.__module__  # reference_<notebook>: never sent to a student (remote.py)
        call.__wrapped__ = value
        return call


class FileStore(Store):
    """Answers kept as files under one folder (trusted: hidden from every sandbox), plus a memory copy.

    One file per answer, written atomically, so workers grading at the same time can share it;
    the folder is named by the grading key, so a change of solutions or checks starts afresh.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.memory: dict[bytes, bytes] = {}
        self.hits = 0

    def _path(self, key: bytes) -> Path:
        return self.folder / f"{hashlib.sha256(key).hexdigest()}.pickle"

    def get(self, key: bytes) -> bytes | None:
        if key in self.memory:
            self.hits += 1
            return self.memory[key]
        try:
            saved_key, value = pickle.loads(self._path(key).read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
            return None
        if saved_key != key:
            return None
        self.hits += 1
        self._keep(key, value)
        return value

    def put(self, key: bytes, value: bytes) -> None:
        self._keep(key, value)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._path(key)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        except OSError:
            pass

    def _keep(self, key: bytes, value: bytes) -> None:
        if len(self.memory) < MAX_ENTRIES:
            self.memory[key] = value


def use_store(folder: Path) -> FileStore:
    """Make :func:`helpers.checks.core.remember` keep its answers under ``folder`` in this process."""
    store = STORE[0]
    if not (isinstance(store, FileStore) and store.folder == folder):
        store = FileStore(folder)
        STORE[0] = store
    return store
