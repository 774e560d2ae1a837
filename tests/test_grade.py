"""``make grade`` on a class with complete, unanswered and broken submissions.

One class is graded once (module fixture, about a minute) and every test reads
its outputs. The course holds notebook 01 only, to keep the suite fast.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import nbformat
import pytest

from autograde import ASSIGNMENT
from autograde.catalog import all_exercises, all_written_questions
from autograde.grade import grade_class
from autograde.simulate import student_copy, write_submission
from tests.conftest import FIRST, make_course

pytestmark = pytest.mark.slow

CELL_TIMEOUT = "8"


def _with_extra_cell(nb, source: str, after: str = "setup"):
    index = next(i for i, c in enumerate(nb.cells) if c.get("id", "").endswith(after))
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("class"), [FIRST])
    submitted = root / "submitted"
    write_submission(student_copy(FIRST, 1.0), submitted, "complete", FIRST)
    write_submission(student_copy(FIRST, 0.0), submitted, "released", FIRST)
    write_submission(_with_extra_cell(student_copy(FIRST, 1.0), "while True:\n    pass"),
                     submitted, "loop", FIRST)
    write_submission(_with_extra_cell(student_copy(FIRST, 1.0), "raise ValueError('oops')"),
                     submitted, "exception", FIRST)
    no_test = student_copy(FIRST, 1.0)
    no_test.cells = [c for c in no_test.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                     != "test_grid_search"]
    write_submission(no_test, submitted, "deleted_test", FIRST)
    broken = submitted / "invalid_json" / "week08"
    broken.mkdir(parents=True)
    (broken / f"{FIRST}.ipynb").write_text('{"cells": [ this is not json')
    (submitted / "missing" / "week08").mkdir(parents=True)
    snapshot = {p: p.read_bytes() for p in submitted.rglob("*") if p.is_file()}
    os.environ["WEEK08_CELL_TIMEOUT"] = CELL_TIMEOUT
    try:
        grades = grade_class(submitted, root=root)
    finally:
        os.environ.pop("WEEK08_CELL_TIMEOUT")
    with grades.open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"root": root, "submitted": submitted, "rows": rows, "snapshot": snapshot}


def _max(graded) -> float:
    return float(graded["rows"]["max_points"]["autograded"])


def test_every_student_has_a_row(graded):
    assert set(graded["rows"]) == {"max_points", "complete", "released", "loop", "exception",
                                   "deleted_test", "invalid_json", "missing"}


def test_solution_scores_full_marks(graded):
    row, top = graded["rows"]["complete"], graded["rows"]["max_points"]
    assert float(row["autograded"]) == float(top["autograded"]) == sum(
        ex.points for ex in all_exercises() if ex.notebook == FIRST)
    assert float(row["total"]) == float(row["autograded"])  # written answers wait for the TA


def test_written_answers_have_their_own_columns_and_wait_for_the_ta(graded):
    rows, top = graded["rows"], graded["rows"]["max_points"]
    questions = [q for q in all_written_questions() if q.notebook == FIRST]
    assert questions and float(top["written"]) == sum(q.points for q in questions)
    assert float(top["total"]) == float(top["autograded"]) + float(top["written"])
    assert all(f"{FIRST}:{q.grade_id}" in top for q in questions)
    assert rows["complete"]["written_status"] == f"pending ({len(questions)} of {len(questions)})"
    assert rows["released"]["written_status"] == "graded"  # empty answers score 0 and need nobody


def test_the_ta_sees_each_rubric_and_the_student_never_does(graded):
    root = graded["root"]
    rubric = next(q for q in all_written_questions() if q.notebook == FIRST).rubric.splitlines()[0]
    assert rubric in (root / "autograded" / "complete" / ASSIGNMENT / f"{FIRST}.ipynb").read_text()
    feedback = "".join(p.read_text() for p in (root / "feedback" / "complete").rglob("*.html"))
    assert "YOUR ANSWER HERE" not in feedback and "For the TA only" not in feedback and rubric not in feedback


def test_release_as_released_scores_zero_on_every_cell(graded):
    row = graded["rows"]["released"]
    question_columns = [k for k in row if k.startswith(f"{FIRST}:")]
    assert question_columns
    assert all(float(row[k]) == 0 for k in question_columns)


def test_exception_in_a_cell_does_not_stop_grading(graded):
    # The error is in the student's own cell; every answer still runs and scores.
    assert float(graded["rows"]["exception"]["total"]) == _max(graded)
    page = (graded["root"] / "feedback" / "exception" / "week08" / f"{FIRST}.html").read_text()
    assert "ValueError" in page and "oops" in page


def test_infinite_loop_times_out_and_the_rest_is_graded(graded):
    row = graded["rows"]["loop"]
    assert row["status"] == "timed out"
    assert float(row["total"]) == _max(graded)
    index = (graded["root"] / "feedback" / "loop" / "week08" / "index.html").read_text()
    assert "per-cell limit" in index


def test_deleted_test_cell_is_put_back_and_graded(graded):
    assert float(graded["rows"]["deleted_test"][f"{FIRST}:test_grid_search"]) == 3


def test_invalid_json_gets_zero_and_a_message(graded):
    row = graded["rows"]["invalid_json"]
    assert row["status"] == "malformed" and float(row["total"]) == 0
    page = (graded["root"] / "feedback" / "invalid_json" / "week08" / f"{FIRST}.html").read_text()
    assert "not valid notebook JSON" in page


def test_missing_notebook_gets_zero_and_a_message(graded):
    row = graded["rows"]["missing"]
    assert row["status"] == "missing notebook" and float(row["total"]) == 0
    index = (graded["root"] / "feedback" / "missing" / "week08" / "index.html").read_text()
    assert "missing from the submission" in index


def test_submissions_are_never_modified(graded):
    now = {p: p.read_bytes() for p in graded["submitted"].rglob("*") if p.is_file()}
    assert now == graded["snapshot"]


def test_feedback_never_shows_hidden_tests(graded):
    pages = list((graded["root"] / "feedback").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        for secret in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "autograde.checks", "hidden_check_"):
            assert secret not in text, f"{secret!r} in {page}"


def test_feedback_of_unanswered_notebook_shows_no_solution_code(graded):
    from tests.test_release import distinctive_solution_lines

    text = (graded["root"] / "feedback" / "released" / "week08" / f"{FIRST}.html").read_text()
    leaked = [line for line in distinctive_solution_lines(FIRST) if line in text]
    assert not leaked


def test_saved_results_agree_with_grades_csv(graded):
    for student in ("complete", "released", "exception", "deleted_test"):
        saved = json.loads((graded["root"] / ".grading" / "results" / f"{student}.json").read_text())
        row = graded["rows"][student]
        for key, score in saved["scores"].items():
            assert score == float(row[key]), (student, key)


def test_regrading_unchanged_class_keeps_results_and_bytes(graded):
    before = (graded["root"] / "grades.csv").read_bytes()
    grade_class(graded["submitted"], root=graded["root"])
    assert (graded["root"] / "grades.csv").read_bytes() == before
    results = json.loads((graded["root"] / ".grading" / "results" / "complete.json").read_text())
    assert results["status"] == "ok"


def test_grades_csv_has_a_max_points_row(graded):
    assert graded["rows"]["max_points"][FIRST] == graded["rows"]["max_points"]["total"]
    assert Path(graded["root"] / "grades.csv").read_text().splitlines()[1].startswith("max_points,")
