"""Simulated submissions, built from the release and the solutions.

The demo class (``demo/make_demo.py``), the grading tests and the grading
benchmark all need notebooks that look like what students hand in: the released
notebook with some exercises answered. :func:`student_copy` makes one.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograde import ASSIGNMENT, COURSE_ROOT


def answer(source: str) -> str:
    """A solution cell's code without the nbgrader markers, as a student would type it."""
    return "\n".join(line for line in source.splitlines()
                     if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def _is_solution(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def student_copy(name: str, answered: float = 1.0, root: Path = COURSE_ROOT) -> nbformat.NotebookNode:
    """The released notebook ``name`` with the first ``answered`` fraction of its exercises done.

    Parameters
    ----------
    name:
        Notebook name without ``.ipynb``, e.g. ``"01_manual_grid_search"``.
    answered:
        Fraction of the solution cells (in notebook order) filled with the reference answer.
    root:
        Course root holding ``notebooks/`` and ``solutions/``.
    """
    released = nbformat.read(root / "notebooks" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    solved = nbformat.read(root / "solutions" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: answer(c.source) for c in solved.cells if _is_solution(c)}
    cells = [c for c in released.cells if _is_solution(c)]
    done = {c.metadata["nbgrader"]["grade_id"] for c in cells[: round(len(cells) * answered)]}
    for cell in released.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in done:
            cell.source = answers[grade_id]
    return released


def write_submission(nb: nbformat.NotebookNode, submitted: Path, student: str, name: str) -> Path:
    """Write ``nb`` as ``submitted/<student>/week08/<name>.ipynb`` and return the path."""
    folder = submitted / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path
