"""``grades.csv``: one row per student, a column per notebook and per question.

Scores are read from nbgrader's gradebook, so manual grades entered in the
formgrader count (nbgrader's ``score`` is the manual score when one was given).
The first data row, ``max_points``, holds the maximum of every column.
Rows are sorted by student id and numbers are formatted the same way every time,
so grading the same class twice gives a byte-identical file. Text cells (student ids
come from folder names a student may choose) never start like a formula.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograde import ASSIGNMENT


@dataclass(frozen=True)
class Column:
    """One score column of ``grades.csv``."""

    name: str
    notebook: str
    grade_id: str | None  # None for a notebook total
    max_points: float
    written: bool = False  # a written answer, graded by a person (nbgrader's manually graded answer)


def columns(db_url: str) -> list[Column]:
    """Notebook-total and per-question columns, in notebook and cell order."""
    out: list[Column] = []
    with Gradebook(db_url) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        for notebook in sorted(assignment.notebooks, key=lambda n: n.name):
            cells = _source_order(notebook)
            answers = {c.name for c in notebook.solution_cells}
            out.append(Column(notebook.name, notebook.name, None, sum(c.max_score for c in cells)))
            out.extend(Column(f"{notebook.name}:{c.name}", notebook.name, c.name, c.max_score, c.name in answers)
                       for c in cells)
    return out


@dataclass(frozen=True)
class WrittenProgress:
    """How far a TA is with one student's written answers."""

    waiting: tuple[str, ...]  # "<notebook>:<grade_id>" of the answers a person still has to grade
    total: int  # written answers in the assignment

    @property
    def pending(self) -> int:
        return len(self.waiting)

    def __str__(self) -> str:
        if not self.total:
            return ""
        return f"pending ({self.pending} of {self.total})" if self.pending else "graded"


def written_progress(db_url: str, student: str) -> WrittenProgress:
    """Written answers of ``student`` still waiting for a TA (nbgrader's "needs manual grade")."""
    with Gradebook(db_url) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        total = sum(len({c.name for c in nb.solution_cells} & {c.name for c in nb.grade_cells})
                    for nb in assignment.notebooks)
        try:
            submission = gb.find_submission(ASSIGNMENT, student)
        except MissingEntry:
            return WrittenProgress((), total)
        waiting = []
        for notebook in submission.notebooks:
            answers = {c.name for c in notebook.notebook.solution_cells}
            waiting.extend(f"{notebook.name}:{g.name}" for g in notebook.grades
                           if g.name in answers and g.needs_manual_grade)
    return WrittenProgress(tuple(sorted(waiting)), total)


def _source_order(notebook) -> list:
    """Grade cells in the order they appear in the source notebook (via their source cells)."""
    rank = {cell.name: i for i, cell in enumerate(notebook.source_cells)}
    return sorted(notebook.grade_cells, key=lambda c: (rank.get(c.name, len(rank)), c.name))


def student_scores(db_url: str, student: str) -> dict[str, float]:
    """Scores of one student from the gradebook, keyed like :func:`columns` names."""
    scores: dict[str, float] = {}
    with Gradebook(db_url) as gb:
        try:
            submission = gb.find_submission(ASSIGNMENT, student)
        except MissingEntry:
            return scores
        for notebook in submission.notebooks:
            scores[notebook.name] = float(notebook.score)
            for grade in notebook.grades:
                scores[f"{notebook.name}:{grade.name}"] = float(grade.score)
    return scores


def _fmt(value: float) -> str:
    return f"{round(value, 2):g}"


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it, never run as a formula: a leading apostrophe when needed.

    Line breaks and other control characters (a folder name may hold them) become U+FFFD.
    """
    text = f"'{text}" if text.startswith(FORMULA_STARTS) else text
    return re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", "\ufffd", text)


def write_grades(
    path: Path,
    cols: list[Column],
    students: Mapping[str, Mapping[str, float]],
    statuses: Mapping[str, str],
    written: Mapping[str, WrittenProgress] | None = None,
) -> None:
    """Write ``grades.csv``.

    Parameters
    ----------
    path:
        Output file.
    cols:
        Score columns from :func:`columns`.
    students:
        ``{student: {column name: score}}``; a missing score is written as 0.
    statuses:
        ``{student: status}`` of the automatic grading (``ok``, ``timed out``, ``malformed``, ...).
    written:
        ``{student: progress}`` of the TA's grading of written answers: the ``written_status``
        column says ``pending (k of n)`` until every non-empty answer has a manual score.

    ``total`` is every point scored so far; ``autograded`` and ``written`` split it, and every written
    answer also has its own column (``<notebook>:<grade_id>``) next to the notebook's checks.
    """
    written = written or {}
    notebook_cols = [c for c in cols if c.grade_id is None]
    written_cols = [c for c in cols if c.written]
    header = [spreadsheet_safe(h) for h in ["student", "status", "total", "autograded", "written",
                                            "written_status", *[c.name for c in cols]]]
    total_max = sum(c.max_points for c in notebook_cols)
    written_max = sum(c.max_points for c in written_cols)
    rows = [["max_points", "", _fmt(total_max), _fmt(total_max - written_max), _fmt(written_max), "",
             *[_fmt(c.max_points) for c in cols]]]
    for student in sorted(students):
        scores = students[student]
        total = sum(scores.get(c.name, 0.0) for c in notebook_cols)
        by_hand = sum(scores.get(c.name, 0.0) for c in written_cols)
        rows.append([spreadsheet_safe(student), spreadsheet_safe(statuses.get(student, "ok")), _fmt(total),
                     _fmt(total - by_hand), _fmt(by_hand), str(written.get(student, "")),
                     *[_fmt(scores.get(c.name, 0.0)) for c in cols]])
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)
