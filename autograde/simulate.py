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


def _is_written(cell: nbformat.NotebookNode) -> bool:
    """A written answer (graded by a person): a markdown solution cell."""
    return _is_solution(cell) and cell.cell_type == "markdown"


def written_answer(model_answer: str, quality: str) -> str | None:
    """What a simulated student writes for a written question: ``good``, ``partial`` or ``empty``.

    ``good`` is the model answer in the student's words (the model answer, as the demo needs no
    more); ``partial`` is its first sentence only; ``empty`` leaves the release's stub (None).
    """
    if quality == "empty":
        return None
    text = " ".join(model_answer.split())
    if quality == "partial":
        return text.split(". ")[0].rstrip(".") + "."
    return text


def student_copy(name: str, answered: float = 1.0, root: Path = COURSE_ROOT,
                 written: str | None = None) -> nbformat.NotebookNode:
    """The released notebook ``name`` with the first ``answered`` fraction of its exercises done.

    Parameters
    ----------
    name:
        Notebook name without ``.ipynb``, e.g. ``"01_manual_grid_search"``.
    answered:
        Fraction of the code exercises (solution cells, in notebook order) filled with the reference answer.
    root:
        Course root holding ``notebooks/`` and ``solutions/``.
    written:
        How the written answers are done (:func:`written_answer`): ``good``, ``partial`` or ``empty``;
        by default ``good`` when every exercise is answered, ``empty`` when none is, else ``partial``.
    """
    from autograde.catalog import written_questions

    if written is None:
        written = "good" if answered >= 1 else "empty" if answered <= 0 else "partial"
    released = nbformat.read(root / "notebooks" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    solved = nbformat.read(root / "solutions" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: answer(c.source) for c in solved.cells
               if _is_solution(c) and not _is_written(c)}
    models = {q.grade_id: q.model_answer for q in written_questions(root / "solutions" / ASSIGNMENT / f"{name}.ipynb")}
    cells = [c for c in released.cells if _is_solution(c) and not _is_written(c)]
    done = {c.metadata["nbgrader"]["grade_id"] for c in cells[: round(len(cells) * answered)]}
    for cell in released.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in done:
            cell.source = answers[grade_id]
        elif grade_id in models:
            text = written_answer(models[grade_id], written)
            if text is not None:
                cell.source = text
    return released


def write_submission(nb: nbformat.NotebookNode, submitted: Path, student: str, name: str) -> Path:
    """Write ``nb`` as ``submitted/<student>/week08/<name>.ipynb`` and return the path."""
    folder = submitted / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path
