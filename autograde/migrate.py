"""``make migrate``: change a graded assignment's cells without losing a TA's work.

nbgrader refuses to add or remove graded cells of an assignment that has submissions ("Cannot add
or remove cells for notebook ... because there are submissions associated with it"), so an exercise
or a written question added after grading blocks ``make grade``. This is the supported route:

1. **export** every manual score, extra credit and TA comment from ``gradebook.db`` to
   ``.grading/migrations/<time>/manual.json`` (plain data, kept), and keep a copy of the old gradebook
   next to it;
2. **rebuild** the gradebook from the current solutions (``nbgrader generate_assignment``);
3. **import** the manual grades and comments for every cell that still exists (a removed cell's are
   listed, not applied);
4. **regrade** the class (``make grade FORCE=1``), which keeps manual grades, so ``grades.csv`` has
   the new questions and the TA's scores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograde import ASSIGNMENT, COURSE_ROOT


@dataclass(frozen=True)
class ManualGrade:
    """What a person entered in the formgrader for one cell of one student's notebook."""

    student: str
    notebook: str
    cell: str
    manual_score: float | None = None
    extra_credit: float | None = None
    comment: str | None = None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ManualGrade:
        return cls(student=str(data["student"]), notebook=str(data["notebook"]), cell=str(data["cell"]),
                   manual_score=_number(data.get("manual_score")), extra_credit=_number(data.get("extra_credit")),
                   comment=None if data.get("comment") is None else str(data["comment"]))


def _number(value) -> float | None:
    return None if value is None else float(value)


def export_manual(db_url: str) -> list[ManualGrade]:
    """Every manual score, extra credit and comment in the gradebook, in a stable order."""
    found: dict[tuple[str, str, str], dict] = {}
    with warnings.catch_warnings(), Gradebook(db_url) as gb:
        warnings.simplefilter("ignore")
        try:
            submissions = gb.assignment_submissions(ASSIGNMENT)
        except MissingEntry:
            return []
        for submission in submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None or grade.extra_credit:
                        entry = found.setdefault((submission.student_id, notebook.name, grade.name), {})
                        entry.update(manual_score=grade.manual_score, extra_credit=grade.extra_credit or None)
                for comment in notebook.comments:
                    if comment.manual_comment:
                        entry = found.setdefault((submission.student_id, notebook.name, comment.name), {})
                        entry["comment"] = comment.manual_comment
    return [ManualGrade(student, notebook, cell, **values)
            for (student, notebook, cell), values in sorted(found.items())]


def import_manual(db_url: str, records: list[ManualGrade]) -> list[ManualGrade]:
    """Write ``records`` into the gradebook; return those whose cell no longer exists."""
    dropped = []
    with warnings.catch_warnings(), Gradebook(db_url) as gb:
        warnings.simplefilter("ignore")
        for record in records:
            gb.update_or_create_student(record.student)
            gb.update_or_create_submission(ASSIGNMENT, record.student)
            applied = False
            if record.manual_score is not None or record.extra_credit is not None:
                try:
                    grade = gb.find_grade(record.cell, record.notebook, ASSIGNMENT, record.student)
                except MissingEntry:
                    pass
                else:
                    grade.manual_score = record.manual_score
                    grade.extra_credit = record.extra_credit
                    grade.needs_manual_grade = False
                    applied = True
            if record.comment is not None:
                try:
                    comment = gb.find_comment(record.cell, record.notebook, ASSIGNMENT, record.student)
                except MissingEntry:
                    pass
                else:
                    comment.manual_comment = record.comment
                    applied = True
            if not applied:
                dropped.append(record)
        gb.db.commit()
    return dropped


def migrate(root: Path = COURSE_ROOT, submitted: Path | None = None) -> Path:
    """Export, rebuild, import, regrade (see the module docstring); return ``grades.csv``."""
    from autograde.grade import Paths, default_submitted, grade_class, grading_key, prepare

    paths = Paths(root)
    course_db = root / "gradebook.db"
    folder = paths.work / "migrations" / time.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    records = export_manual(paths.db_url) if course_db.exists() else []
    (folder / "manual.json").write_text(json.dumps([r.to_json() for r in records], indent=1, sort_keys=True))
    if course_db.exists():
        shutil.copyfile(course_db, folder / "gradebook.db")
        course_db.unlink()
    (paths.work / "prepared.key").unlink(missing_ok=True)
    print(f"kept {len(records)} manual grades and comments in {folder.relative_to(root)}")
    prepare(paths, grading_key(root))
    dropped = import_manual(paths.db_url, records)
    for record in dropped:
        print(f"not carried over (the cell is gone): {record.student} {record.notebook}:{record.cell}")
    grades = grade_class((submitted or default_submitted(root)).resolve(), root=root, force=True)
    print(f"migrated: {len(records) - len(dropped)} manual grades and comments carried over, {len(dropped)} dropped")
    return grades


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submitted", type=Path, default=None, help="as for make grade")
    parser.add_argument("--root", type=Path, default=COURSE_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    migrate(args.root.resolve(), args.submitted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
