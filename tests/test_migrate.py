"""``make migrate``: adding a question to a graded class keeps every manual grade and comment."""

from __future__ import annotations

import csv

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograde import ASSIGNMENT
from autograde.grade import grade_class
from autograde.migrate import ManualGrade, migrate
from autograde.release import generate
from tests.corpus import make_tiny_course, submission, write

pytestmark = pytest.mark.slow


def _add_written_question(root):
    path = root / "solutions" / ASSIGNMENT / "01_tiny.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\n**Model answer.** Sum.\n\n**Rubric (2 points).**\n"
                                         "- 2: sum.\n### END SOLUTION", id="extra")
    cell.metadata = {"nbgrader": {"grade": True, "grade_id": "extra", "locked": False, "points": 2,
                                  "schema_version": 3, "solution": True, "task": False}}
    nb.cells.append(cell)
    nbformat.write(nb, path)


def _rows(root):
    with (root / "grades.csv").open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_a_new_question_after_grading_keeps_manual_grades_and_comments(tmp_path, capsys):
    root = make_tiny_course(tmp_path / "course")
    for student in ("ann", "ben"):
        write(submission(root), root / "submitted", student)
    grade_class(root / "submitted", root=root)
    db = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(db) as gb:  # the TA's work in the formgrader
        grade = gb.find_grade("explain", "01_tiny", ASSIGNMENT, "ann")
        grade.manual_score, grade.needs_manual_grade = 1.0, False
        gb.find_comment("explain", "01_tiny", ASSIGNMENT, "ann").manual_comment = "Clear."
        gb.find_grade("test_mean", "01_tiny", ASSIGNMENT, "ben").extra_credit = 0.5
        gb.db.commit()

    _add_written_question(root)
    generate(root / "notebooks", course_root=root, db_url=f"sqlite:///{tmp_path / 'release.db'}")
    with pytest.raises(SystemExit, match="make migrate"):  # one line that names the route
        grade_class(root / "submitted", root=root)
    migrate(root)

    with Gradebook(db) as gb:
        assert gb.find_grade("explain", "01_tiny", ASSIGNMENT, "ann").manual_score == 1.0
        assert gb.find_comment("explain", "01_tiny", ASSIGNMENT, "ann").manual_comment == "Clear."
        assert gb.find_grade("test_mean", "01_tiny", ASSIGNMENT, "ben").extra_credit == 0.5
    rows = _rows(root)
    assert rows["max_points"]["01_tiny:extra"] == "2"
    assert (rows["ann"]["total"], rows["ann"]["01_tiny:explain"]) == ("3", "1")
    assert rows["ann"]["written_status"] == "graded"  # the new question is empty in ann's old submission
    saved = sorted((root / ".grading" / "migrations").glob("*/manual.json"))
    assert saved and "Clear." in saved[-1].read_text()


def test_manual_grade_records_round_trip_through_json():
    record = ManualGrade("ann", "01_tiny", "explain", manual_score=1.0, comment="Clear.")
    assert ManualGrade.from_json(record.to_json()) == record
