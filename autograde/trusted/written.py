"""Trusted: written answers, graded by a person in nbgrader's formgrader.

No check scores a written answer. The grader only

- tells an empty answer (the release's ``YOUR ANSWER HERE``, or nothing) from a real one, so an empty
  answer scores 0 without asking the TA (as nbgrader itself does for an unchanged answer cell), while a
  real one stays "needs manual grade" until the TA scores it;
- puts each question's model answer and rubric, from the solution notebook, under the student's answer
  in the *autograded* notebook, which is what the formgrader shows the TA. Those cells carry
  ``metadata.week08.rubric`` and :class:`autograde.outputs.feedback.RemoveRubrics` drops them from every
  feedback page, so students never receive them.

The student's notebook is untrusted data: it is parsed, never executed, and the answer text is only
compared with the stub.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograde.catalog import WrittenQuestion
from autograde.outputs.feedback import is_rubric

#: What nbgrader's release leaves in a markdown answer cell.
STUB = "YOUR ANSWER HERE"
#: What nbgrader writes into an answer cell that the submission had deleted (``add_missing_cells``).
ADDED_BACK = re.compile(r"This cell \(id:[^)]*\) was missing from the submission\. It was added back by nbgrader\.")
#: The metadata key of the rubric cells the grader adds (removed from feedback).
RUBRIC_KEY = "rubric"


def is_blank(text: str) -> bool:
    """Whether a written answer says nothing: empty, only the release's stub, or a cell nbgrader put back."""
    return not ADDED_BACK.sub("", text).replace(STUB, "").strip()


def answers(path: Path, questions: list[WrittenQuestion]) -> dict[str, str]:
    """``{grade_id: answer text}`` of the written answers in the student's notebook at ``path``.

    A question whose cell is missing, or a notebook that does not parse, gives no entry.
    """
    wanted = {q.grade_id for q in questions}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - untrusted file: no answers read
        return {}
    found: dict[str, str] = {}
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if grade_id in wanted and grade_id not in found and isinstance(cell.get("source"), str):
            found[grade_id] = cell.source
    return found


def _grade_id(cell) -> str | None:
    """The nbgrader grade id of an untrusted cell, or None for any other shape."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def blank_answers(folder: Path, questions: list[WrittenQuestion]) -> list[str]:
    """``"<notebook>:<grade_id>"`` of every written answer in ``folder``'s notebooks that says nothing.

    A missing notebook or answer cell counts as blank: there is nothing for the TA to read.
    """
    blank = []
    by_notebook: dict[str, list[WrittenQuestion]] = {}
    for q in questions:
        by_notebook.setdefault(q.notebook, []).append(q)
    for notebook, qs in sorted(by_notebook.items()):
        path = folder / f"{notebook}.ipynb"
        found = answers(path, qs) if path.is_file() else {}
        blank.extend(f"{notebook}:{q.grade_id}" for q in qs if is_blank(found.get(q.grade_id, "")))
    return blank


def rubric_cell(question: WrittenQuestion) -> nbformat.NotebookNode:
    """The TA-only cell shown under a student's answer in the formgrader."""
    points = f"{question.points:g} point{'s' if question.points != 1 else ''}"
    cell = nbformat.v4.new_markdown_cell(
        f"> **For the TA only (students never see this): {question.title}**\n>\n"
        f"> **Model answer.** {_quote(question.model_answer)}\n>\n"
        f"> **Rubric ({points}).**\n> {_quote(question.rubric)}")
    cell.metadata = {"week08": {RUBRIC_KEY: question.grade_id}}
    cell.id = f"rubric-{question.grade_id}"[:64].replace("_", "-")
    return cell


def _quote(text: str) -> str:
    return text.replace("\n", "\n> ")


def add_rubrics(path: Path, questions: list[WrittenQuestion]) -> int:
    """Put each question's rubric cell under its answer in the notebook at ``path``; return how many.

    A question whose answer cell is missing gets its rubric at the end, so the TA still sees it.
    """
    qs = [q for q in questions if q.notebook == path.stem]
    if not qs or not path.is_file():
        return 0
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - a notebook nbgrader could not use: nothing to add to
        return 0
    nb.cells = [c for c in nb.cells if not is_rubric(c)]
    placed = set()
    cells = []
    by_id = {q.grade_id: q for q in qs}
    for cell in nb.cells:
        cells.append(cell)
        grade_id = _grade_id(cell)
        if grade_id in by_id and grade_id not in placed:
            cells.append(rubric_cell(by_id[grade_id]))
            placed.add(grade_id)
    cells.extend(rubric_cell(q) for q in qs if q.grade_id not in placed)
    nb.cells = cells
    nbformat.write(nb, path)
    return len(qs)
