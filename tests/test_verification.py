"""How nbgrader's score and the independent verifier's verdict combine; the verifier alongside or after nbgrader."""

from __future__ import annotations

import csv

import pytest

from autograde.grade import _combine, grade_class
from tests.corpus import HOSTILE_PATCH, NOTEBOOK, make_tiny_course, submission, write

ADD, MEAN = f"{NOTEBOOK}:test_add", f"{NOTEBOOK}:test_mean"


def verdict(passed: bool, points: float = 1.0, tampered: bool = False, message: str = "") -> dict:
    return {"passed": passed, "points": points, "tampered": tampered, "message": message}


def test_lower_score_stands_and_disagreement_is_flagged():
    final, flags = _combine({ADD: 1.0, MEAN: 1.0}, {ADD: verdict(False, message="wrong"), MEAN: verdict(True)},
                            [NOTEBOOK])
    assert final == {ADD: 0.0, MEAN: 1.0}
    assert len(flags) == 1 and flags[0].startswith(ADD) and "lower score stands" in flags[0]


def test_verifier_passing_cannot_raise_a_zero_but_is_flagged():
    final, flags = _combine({ADD: 0.0, MEAN: 1.0}, {ADD: verdict(True), MEAN: verdict(True)}, [NOTEBOOK])
    assert final == {ADD: 0.0, MEAN: 1.0}
    assert len(flags) == 1 and flags[0].startswith(ADD)


def test_tampering_is_flagged_even_when_the_scores_agree():
    final, flags = _combine({ADD: 0.0}, {ADD: verdict(False, tampered=True, message="tampering: x")}, [NOTEBOOK])
    assert final == {ADD: 0.0}
    assert flags == [f"{ADD}: tampering: x"]


def test_notebooks_that_were_not_graded_are_left_out():
    final, flags = _combine({ADD: 1.0}, {ADD: verdict(True)}, [])
    assert final == {} and flags == []


@pytest.mark.slow
def test_verifying_alongside_or_after_nbgrader_gives_the_same_grades(tmp_path):
    """The verifier running at the same time as nbgrader or after it changes nothing in the grades."""
    rows = {}
    for alongside in (True, False):
        root = make_tiny_course(tmp_path / f"alongside_{alongside}")
        submitted = root / "submitted"
        write(submission(root), submitted, "honest")
        write(submission(root, wrong=True), submitted, "wrong")
        write(submission(root, wrong=True, extra=HOSTILE_PATCH), submitted, "cheat")
        grade_class(submitted, root=root, alongside=alongside)
        with (root / "grades.csv").open() as handle:
            rows[alongside] = list(csv.DictReader(handle))
    assert rows[True] == rows[False]
    by_student = {row["student"]: row for row in rows[True]}
    assert (by_student["honest"]["total"], by_student["wrong"]["total"], by_student["cheat"]["total"]) == ("2", "0", "0")
    assert by_student["cheat"]["status"] == "flagged"
