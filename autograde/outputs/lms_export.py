"""Grades and feedback back to the LMS: ``grades_<lms>.csv`` and ``feedback_<lms>.zip``.

Written next to ``grades.csv`` by ``make grade LMS=canvas`` (or ``moodle``), from the gradebook
(manual grades included) and the roster (:mod:`autograde.lms`):

- **Canvas** (Grades > Import): the identity columns Canvas matches on (``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID``, ``Section``), a ``Points Possible`` row, then one column for the
  assignment's total (``WEEK08_LMS_COLUMNS=notebooks``: one per notebook). A column titled like an
  existing assignment, ``Week 8 labs (1234)``, updates it; any other title creates one.
- **Moodle** (Grades > Import > CSV file): ``Username``, ``Email address``, ``ID number`` (map the one
  your site uses to the user in the import's "Map from"), then the same grade columns; no extra row.
- **Feedback**: one zip per student (their ``feedback/<student>/week08/`` pages) inside
  ``feedback_<lms>.zip``, each named with the prefix the LMS gave that student's files in the
  download (``doejane_12345_67890_`` in Canvas, ``Jane Doe_12345_assignsubmission_file_`` in
  Moodle), so the LMS's bulk upload (Canvas: *Upload Submissions* of the assignment's menu; Moodle:
  *Upload multiple feedback files in a zip*) attaches each to its student.

Names and ids come from the roster and the LMS (untrusted: a student chooses their display name), so
every text cell is spreadsheet-safe. A student on the roster with no graded submission gets an empty
cell (the LMS then keeps what it has), and the run says who.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from autograde import ASSIGNMENT
from autograde.lms import Collection, Roster, RosterEntry, read_collection
from autograde.outputs.export import Column, _fmt, columns, spreadsheet_safe, student_scores

#: Time stamp of every member of the feedback zips, so the same feedback gives the same bytes.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class GradeColumn:
    """One grade column of an LMS export: its title and the grades.csv columns it adds up."""

    title: str
    sources: tuple[Column, ...]

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.sources)


def grade_columns(cols: list[Column], title: str, per_notebook: bool) -> list[GradeColumn]:
    notebooks = [c for c in cols if c.grade_id is None]
    if per_notebook:
        return [GradeColumn(f"{title}: {c.notebook}", (c,)) for c in notebooks]
    return [GradeColumn(title, tuple(notebooks))]


def graded_students(db_url: str) -> list[str]:
    with Gradebook(db_url) as gb:
        return sorted(s.student.id for s in gb.assignment_submissions(ASSIGNMENT))


def _identity(lms: str, entry: RosterEntry) -> list[str]:
    if lms == "canvas":
        return [entry.name or entry.student_id, entry.lms_id, entry.sis_user_id, entry.sis_login_id, entry.section]
    return [entry.username, entry.email, entry.sis_user_id]


IDENTITY = {"canvas": ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
            "moodle": ["Username", "Email address", "ID number"]}


def grade_rows(lms: str, roster: Roster, graded: list[str], scores: dict[str, dict[str, float]],
               grade_cols: list[GradeColumn]) -> tuple[list[list[str]], list[str], list[str]]:
    """The export's rows, and the roster's students without a grade and the graded students not on it."""
    header = IDENTITY[lms] + [g.title for g in grade_cols]
    rows = [header]
    if lms == "canvas":
        rows.append(["Points Possible", "", "", "", ""] + [_fmt(g.max_points) for g in grade_cols])
    entries = list(roster.entries) or [RosterEntry(student_id=s, lms_id=s) for s in graded]
    ungraded = []
    for entry in sorted(entries, key=lambda e: e.student_id):
        if entry.student_id in graded:
            got = scores[entry.student_id]
            values = [_fmt(sum(got.get(c.name, 0.0) for c in g.sources)) for g in grade_cols]
        else:
            ungraded.append(entry.student_id)
            values = [""] * len(grade_cols)
        rows.append([spreadsheet_safe(v) for v in _identity(lms, entry)] + values)
    not_on_roster = sorted(set(graded) - {e.student_id for e in entries})
    return rows, ungraded, not_on_roster


def feedback_name(lms: str, student: str, collection: Collection | None) -> tuple[str, bool]:
    """The file name of ``student``'s feedback for the LMS's bulk upload, and whether the LMS will match it."""
    collected = collection.student(student) if collection and collection.lms == lms else None
    if collected:
        return f"{collected.upload_prefix}{ASSIGNMENT}_feedback.zip", True
    return f"{student}_{ASSIGNMENT}_feedback.zip", False


def student_feedback_zip(folder: Path) -> bytes:
    """The student's feedback pages (``.html`` files only, no links followed) as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for page in sorted(folder.rglob("*.html")):
            if page.is_symlink() or not page.is_file():
                continue
            info = zipfile.ZipInfo(f"{ASSIGNMENT}/{page.relative_to(folder).as_posix()}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, page.read_bytes())
    return buffer.getvalue()


def export(root: Path, lms: str, roster: Roster, settings) -> list[str]:  # noqa: ANN001 - Settings
    """Write ``grades_<lms>.csv`` and ``feedback_<lms>.zip`` in ``root``; the lines to print."""
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    graded = graded_students(db_url)
    grade_cols = grade_columns(columns(db_url), settings.lms_assignment, settings.lms_columns == "notebooks")
    scores = {s: student_scores(db_url, s) for s in graded}
    rows, ungraded, not_on_roster = grade_rows(lms, roster, graded, scores, grade_cols)
    grades = root / f"grades_{lms}.csv"
    with grades.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    collection = read_collection(root)
    unmatched = []
    bundle = root / f"feedback_{lms}.zip"
    with zipfile.ZipFile(bundle.with_suffix(".zip.tmp"), "w", zipfile.ZIP_STORED) as out:
        for student in graded:
            if roster.entries and roster.by_student(student) is None:
                continue
            folder = root / "feedback" / student / ASSIGNMENT
            if not folder.is_dir():
                continue
            name, matched = feedback_name(lms, student, collection)
            if not matched:
                unmatched.append(student)
            out.writestr(zipfile.ZipInfo(name, ZIP_TIME), student_feedback_zip(folder))
    bundle.with_suffix(".zip.tmp").replace(bundle)

    lines = [f"wrote {grades.name} ({len(rows) - 1 - (lms == 'canvas')} students) and {bundle.name}"]
    if ungraded:
        lines.append(f"on the roster, no graded submission (left empty): {', '.join(ungraded)}")
    if not_on_roster:
        lines.append(f"graded but not on the roster (left out): {', '.join(not_on_roster)}")
    if unmatched:
        lines.append(f"feedback named by student id, not collected with make collect (upload by hand): "
                     f"{', '.join(unmatched)}")
    return lines
