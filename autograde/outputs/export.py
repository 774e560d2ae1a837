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


def columns(db_url: str) -> list[Column]:
    """Notebook-total and per-question columns, in notebook and cell order."""
    out: list[Column] = []
    with Gradebook(db_url) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        for notebook in sorted(assignment.notebooks, key=lambda n: n.name):
            cells = _source_order(notebook)
            out.append(Column(notebook.name, notebook.name, None, sum(c.max_score for c in cells)))
            out.extend(Column(f"{notebook.name}:{c.name}", notebook.name, c.name, c.max_score)
                       for c in cells)
    return out


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
        ``{student: status}`` (``ok``, ``timed out``, ``malformed``, ``flagged``, ...).
    """
    notebook_cols = [c for c in cols if c.grade_id is None]
    header = [spreadsheet_safe(h) for h in ["student", "status", "total", *[c.name for c in cols]]]
    total_max = sum(c.max_points for c in notebook_cols)
    rows = [["max_points", "", _fmt(total_max), *[_fmt(c.max_points) for c in cols]]]
    for student in sorted(students):
        scores = students[student]
        total = sum(scores.get(c.name, 0.0) for c in notebook_cols)
        rows.append([spreadsheet_safe(student), spreadsheet_safe(statuses.get(student, "ok")), _fmt(total),
                     *[_fmt(scores.get(c.name, 0.0)) for c in cols]])
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)
