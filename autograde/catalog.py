"""What is graded: the notebooks of the assignment and their graded exercises.

Everything here is read from the solution notebooks' nbgrader metadata, so
adding an exercise to a solution notebook is all it takes to grade it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograde import ASSIGNMENT, COURSE_ROOT

_PUBLIC_IMPORT = re.compile(r"from helpers\.checks\.(\w+) import (check_\w+)")


@dataclass(frozen=True)
class Exercise:
    """One graded test cell of a solution notebook."""

    notebook: str  # e.g. "01_manual_grid_search"
    grade_id: str  # e.g. "test_count_parameters"
    points: float
    module: str | None  # checks module, e.g. "nb01"
    check: str | None  # check function, e.g. "check_count_parameters"

    @property
    def function(self) -> str | None:
        """The student's function the check is called on (``check_<function>``)."""
        return self.check.removeprefix("check_") if self.check else None


def solution_notebooks(course_root: Path = COURSE_ROOT) -> list[Path]:
    """The solution notebooks of the assignment, in order."""
    return sorted((course_root / "solutions" / ASSIGNMENT).glob("[0-9][0-9]_*.ipynb"))


def notebook_names(course_root: Path = COURSE_ROOT) -> list[str]:
    """Names (without ``.ipynb``) of the assignment's notebooks, in order."""
    return [p.stem for p in solution_notebooks(course_root)]


def exercises(notebook: Path) -> list[Exercise]:
    """The graded cells of one solution notebook, in notebook order."""
    nb = nbformat.read(notebook, as_version=4)
    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and not meta.get("solution")):
            continue
        match = _PUBLIC_IMPORT.search(cell.source) if cell.cell_type == "code" else None
        found.append(Exercise(
            notebook=notebook.stem,
            grade_id=meta["grade_id"],
            points=float(meta.get("points", 0)),
            module=match.group(1) if match else None,
            check=match.group(2) if match else None,
        ))
    return found


def all_exercises(course_root: Path = COURSE_ROOT) -> list[Exercise]:
    """Every graded cell of every solution notebook."""
    return [ex for nb in solution_notebooks(course_root) for ex in exercises(nb)]
