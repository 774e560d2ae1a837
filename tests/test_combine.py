"""The trusted verdict is the score; the kernel's outcome only flags (autograde.trusted.combine)."""

from __future__ import annotations

import nbformat

from autograde.trusted.combine import combine, kernel_outcomes
from autograde.trusted.decide import HIDDEN_WORDS, Status, Verdict
from helpers.checks.core import Failure

NB = "01_tiny"


def v(grade_id: str, status: Status, kind: Failure | None = None, message: str = "") -> Verdict:
    return Verdict(NB, grade_id, 1.0, status, kind, message)


def test_trusted_verdict_is_the_score_whatever_the_kernel_showed():
    out = combine([v("a", Status.PASSED), v("b", Status.FAILED_HIDDEN, Failure.WRONG, HIDDEN_WORDS[Failure.WRONG])],
                  {NB: {"a": False, "b": True}}, [NB])
    assert out.scores == {f"{NB}:a": 1.0, f"{NB}:b": 0.0}
    assert out.flags == []  # a hidden-case failure is not tampering: the kernel never ran hidden cases


def test_kernel_passing_a_public_check_the_grader_failed_is_flagged_with_the_reason():
    out = combine([v("a", Status.FAILED_PUBLIC, Failure.WRONG, "add(2, 3): expected 5, got -1.")],
                  {NB: {"a": True}}, [NB])
    assert out.scores == {f"{NB}:a": 0.0}
    assert len(out.flags) == 1 and "expected 5, got -1" in out.flags[0] and "stands" in out.flags[0]


def test_why_a_question_lost_points_is_in_plain_words():
    out = combine([v("a", Status.FAILED_HIDDEN, Failure.RAISED, HIDDEN_WORDS[Failure.RAISED])], {}, [NB])
    assert out.notes == [f"{NB}:a: your function raised an exception on the hidden cases."]


def test_notebooks_that_were_not_graded_are_left_out():
    out = combine([v("a", Status.PASSED)], {}, [])
    assert out.scores == {} and out.flags == []


def test_kernel_outcome_follows_nbgraders_rule(tmp_path):
    nb = nbformat.v4.new_notebook()
    meta = {"nbgrader": {"grade": True, "solution": False, "grade_id": "", "points": 1}}
    for gid, outputs in [("ok", [nbformat.v4.new_output("stream", name="stdout", text="passed")]),
                         ("err", [nbformat.v4.new_output("error", ename="E", evalue="", traceback=[])]),
                         ("stderr", [nbformat.v4.new_output("stream", name="stderr", text="x")])]:
        cell = nbformat.v4.new_code_cell("", metadata={"nbgrader": {**meta["nbgrader"], "grade_id": gid}})
        cell.outputs = outputs
        nb.cells.append(cell)
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert kernel_outcomes(path) == {"ok": True, "err": False, "stderr": False}


def test_an_unreadable_autograded_notebook_has_no_outcome(tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text("{not json")
    assert kernel_outcomes(path) == {}
