"""The reference solution's functions, extracted from ``solutions/``.

The hidden checks compare a student's function with the reference function of the
same name: ``solution("01_manual_grid_search").grid_search``. Extraction keeps only
definitions (see :mod:`helpers.notebook_code`), so the notebook's experiments do not run.
"""

from __future__ import annotations

import types

from autograde import ASSIGNMENT, COURSE_ROOT
from helpers.notebook_code import definitions_source, is_test_cell, load_definitions

__all__ = ["SOLUTIONS_DIR", "definitions_source", "is_test_cell", "load_definitions", "solution"]

SOLUTIONS_DIR = COURSE_ROOT / "solutions" / ASSIGNMENT


_PROVIDED: dict[str, types.ModuleType] = {}


def provide(notebook: str, module: types.ModuleType) -> None:
    """Install a reference module loaded elsewhere (the verifier's worker cannot read solutions/)."""
    _PROVIDED[notebook] = module


def solution(notebook: str) -> types.ModuleType:
    """The reference solution of one notebook, e.g. ``solution("01_manual_grid_search")``."""
    if notebook not in _PROVIDED:
        _PROVIDED[notebook] = _load(notebook)
    return _PROVIDED[notebook]


def _load(notebook: str) -> types.ModuleType:
    """The reference solution of one notebook, e.g. ``solution("01_manual_grid_search")``."""
    return load_definitions(SOLUTIONS_DIR / f"{notebook}.ipynb", f"reference_{notebook}")
