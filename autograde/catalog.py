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


#: How a written answer's model answer and rubric are laid out in the solution notebook's answer cell
#: (between nbgrader's solution markers, so the release replaces both with "YOUR ANSWER HERE").
_MODEL = re.compile(r"\*\*Model answer\.\*\*\s*(?P<model>.*?)\s*\*\*Rubric[^*]*\*\*\s*(?P<rubric>.*)", re.S)
_SOLUTION_LINE = re.compile(r"^.*(BEGIN|END) SOLUTION.*$\n?", re.M)


@dataclass(frozen=True)
class WrittenQuestion:
    """One answer graded by a person (an nbgrader "manually graded answer" cell, in markdown).

    ``model_answer`` and ``rubric`` come from the solution notebook: the TA sees them next to the
    student's answer in the formgrader; students never receive them.
    """

    notebook: str
    grade_id: str
    points: float
    title: str  # the prompt's heading, e.g. "Written question 1 (2 points) — lecture exam question Q1"
    model_answer: str
    rubric: str


def written_questions(notebook: Path) -> list[WrittenQuestion]:
    """The written (manually graded) answers of one solution notebook, in notebook order."""
    nb = nbformat.read(notebook, as_version=4)
    found, heading = [], ""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and cell.source.startswith("#") and not meta.get("solution"):
            heading = cell.source.splitlines()[0].lstrip("# ").strip()
        if not (meta.get("grade") and meta.get("solution") and cell.cell_type == "markdown"):
            continue
        body = _SOLUTION_LINE.sub("", cell.source).strip()
        match = _MODEL.match(body)
        found.append(WrittenQuestion(
            notebook=notebook.stem, grade_id=meta["grade_id"], points=float(meta.get("points", 0)), title=heading,
            model_answer=match["model"].strip() if match else body, rubric=match["rubric"].strip() if match else ""))
    return found


def all_written_questions(course_root: Path = COURSE_ROOT) -> list[WrittenQuestion]:
    """Every written answer of every solution notebook."""
    return [q for nb in solution_notebooks(course_root) for q in written_questions(nb)]
