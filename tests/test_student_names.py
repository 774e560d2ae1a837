"""Odd student folder names: graded correctly, or refused with a clear message, never a path outside the course."""

from __future__ import annotations

import csv

import pytest

from autograde.grade import grade_class
from autograde.submissions import find_students, refused_students, student_id_problem
from tests.corpus import make_tiny_course, submission, write

pytestmark = pytest.mark.slow

GRADED = ["josé", "Alice", "alice", "a.b@uni.edu"]  # unicode, names that differ only in case, an e-mail
REFUSED = ["-rf", "..hidden-ish", "with space", "x" * 65, "o'neil"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("names") / "course")
    submitted = root / "submitted"
    for name in GRADED + REFUSED:
        write(submission(root), submitted, name)
    (submitted / "linked").symlink_to(submitted / "alice")
    grade_class(submitted, root=root)
    with (root / "grades.csv").open(newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"root": root, "rows": rows, "submitted": submitted}


def test_unusual_but_valid_ids_are_graded_with_full_marks(graded):
    for name in GRADED:
        assert (graded["rows"][name]["total"], graded["rows"][name]["status"]) == ("2", "ok"), name


def test_ids_that_cannot_be_used_are_refused_with_a_reason_and_never_graded(graded):
    refused = refused_students(graded["submitted"])
    assert set(refused) == {*REFUSED, "linked"}
    assert all(refused.values())
    assert not set(REFUSED) & set(graded["rows"])
    assert "symbolic link" in refused["linked"]


def test_nothing_is_written_outside_the_course(graded):
    root = graded["root"]
    assert not (root.parent / "rf").exists() and not list(root.parent.glob("*hidden-ish*"))
    assert sorted(p.name for p in (root / "feedback").iterdir()) == sorted(GRADED)


def test_the_rules_are_stated_in_the_message():
    assert "start with a letter or a digit" in student_id_problem("-rf")
    assert "found ' '" in student_id_problem("with space")
    assert student_id_problem("josé") is None


def test_hidden_folders_are_not_students(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "bob").mkdir()
    assert find_students(tmp_path) == ["bob"] and refused_students(tmp_path) == {}
