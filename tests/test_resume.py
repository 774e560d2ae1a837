"""Nothing lost: a killed grading run resumes; manual grades survive; one student can be regraded."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Grade, Gradebook

from autograde.grade import grade_class
from tests.corpus import make_tiny_course, submission, write

pytestmark = pytest.mark.slow
STUDENTS = ["ann", "ben", "cat", "dan"]


def _class(root):
    for i, student in enumerate(STUDENTS):
        write(submission(root, wrong=(i % 2 == 1)), root / "submitted", student)
    return root


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    root = _class(make_tiny_course(tmp_path_factory.mktemp("uninterrupted") / "course"))
    grade_class(root / "submitted", root=root, jobs=2)
    return root


def test_killed_run_resumes_to_the_same_grades(reference_run, tmp_path):
    root = _class(make_tiny_course(tmp_path / "course"))
    results = root / ".grading" / "results"
    run = subprocess.Popen([sys.executable, "-m", "autograde.grade", "--root", str(root), "--jobs", "1"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(results.glob("*.json"))) < 2:
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)  # a crash: no cleanup, no chance to finish
    run.wait()
    done_before = sorted(p.stem for p in results.glob("*.json"))
    assert 2 <= len(done_before) < len(STUDENTS)
    second = subprocess.run([sys.executable, "-m", "autograde.grade", "--root", str(root)],
                            capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert f"grading {len(STUDENTS) - len(done_before)} of {len(STUDENTS)} students" in second.stdout, (
        done_before, second.stdout)
    assert (root / "grades.csv").read_bytes() == (reference_run / "grades.csv").read_bytes()


def test_the_formgrader_asks_a_person_only_for_written_answers(reference_run):
    with Gradebook(f"sqlite:///{reference_run / 'gradebook.db'}") as gb:
        waiting = sorted((g.student.id, g.notebook.name, g.name) for g in gb.db.query(Grade).all()
                         if g.needs_manual_grade)
        scored = [g for g in gb.db.query(Grade).all() if g.auto_score is not None]
    assert scored and waiting == [(student, "01_tiny", "explain") for student in sorted(STUDENTS)]


def test_a_written_grade_and_comment_from_the_gradebook_api_survive_make_grade(reference_run):
    db = f"sqlite:///{reference_run / 'gradebook.db'}"
    with Gradebook(db) as gb:  # what the formgrader does when a TA grades ann's written answer
        grade = gb.find_grade("explain", "01_tiny", "week08", "ann")
        grade.manual_score, grade.needs_manual_grade = 0.5, False
        gb.find_comment("explain", "01_tiny", "week08", "ann").manual_comment = "Say why it is zero."
        gb.db.commit()
    grade_class(reference_run / "submitted", root=reference_run)  # nothing changed: nobody is regraded ...
    pages = reference_run / "feedback" / "ann" / "week08"
    assert "Say why it is zero." in (pages / "01_tiny.html").read_text()  # ... but ann's feedback shows the TA's
    assert "0.5 / 1" in (pages / "index.html").read_text()
    grade_class(reference_run / "submitted", root=reference_run, student="ann", force=True)
    with Gradebook(db) as gb:
        assert gb.find_grade("explain", "01_tiny", "week08", "ann").score == 0.5
        assert gb.find_comment("explain", "01_tiny", "week08", "ann").manual_comment == "Say why it is zero."
    with (reference_run / "grades.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert (rows["ann"]["total"], rows["ann"]["written"], rows["ann"]["01_tiny:explain"]) == ("2.5", "0.5", "0.5")
    assert rows["ann"]["written_status"] == "graded"
    assert rows["cat"]["written_status"] == "pending (1 of 1)"


def test_manual_grades_survive_an_autograde_rerun(reference_run):
    db = f"sqlite:///{reference_run / 'gradebook.db'}"
    with Gradebook(db) as gb:
        grade = gb.find_grade("test_add", "01_tiny", "week08", "ben")
        assert grade.score == 0
        grade.manual_score = 1.0  # a TA's decision in the formgrader
        gb.db.commit()
    grade_class(reference_run / "submitted", root=reference_run, student="ben")  # autograded again
    with Gradebook(db) as gb:
        assert gb.find_grade("test_add", "01_tiny", "week08", "ben").score == 1.0
    assert "\nben,ok,1," in (reference_run / "grades.csv").read_text()


def test_only_the_named_student_is_regraded(reference_run):
    before = (reference_run / ".grading" / "results" / "ann.json").read_text()
    shutil.rmtree(reference_run / "submitted" / "cat")
    write(submission(reference_run, wrong=True), reference_run / "submitted", "cat")
    grade_class(reference_run / "submitted", root=reference_run, student="cat")
    assert (reference_run / ".grading" / "results" / "ann.json").read_text() == before
    assert "\ncat,ok,0," in (reference_run / "grades.csv").read_text()
