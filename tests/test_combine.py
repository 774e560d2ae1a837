"""The trusted verdict is the score and what the notebook shows (autograde.trusted.combine)."""

from __future__ import annotations

import nbformat

from autograde.trusted.combine import combine, show_verdicts
from autograde.trusted.decide import HIDDEN_WORDS, Status, Verdict
from helpers.checks.core import Failure

NB = "01_tiny"


def v(grade_id: str, status: Status, kind: Failure | None = None, message: str = "") -> Verdict:
    return Verdict(NB, grade_id, 1.0, status, kind, message)


def test_trusted_verdict_is_the_score():
    out = combine([v("a", Status.PASSED), v("b", Status.FAILED_HIDDEN, Failure.WRONG, HIDDEN_WORDS[Failure.WRONG])],
                  [NB])
    assert out.scores == {f"{NB}:a": 1.0, f"{NB}:b": 0.0}
    assert out.flags == []


def test_why_a_question_lost_points_is_in_plain_words():
    out = combine([v("a", Status.FAILED_HIDDEN, Failure.RAISED, HIDDEN_WORDS[Failure.RAISED])], [NB])
    assert out.notes == [f"{NB}:a: your function raised an exception on the hidden cases."]


def test_a_question_the_grader_could_not_check_is_flagged_for_the_ta():
    out = combine([v("a", Status.GRADER_ERROR, message="grader error")], [NB])
    assert out.scores == {f"{NB}:a": 0.0} and len(out.flags) == 1 and "ask the TA" in out.flags[0]


def test_notebooks_that_were_not_graded_are_left_out():
    out = combine([v("a", Status.PASSED)], [])
    assert out.scores == {} and out.flags == []


def _notebook(tmp_path, outputs_by_id):
    nb = nbformat.v4.new_notebook()
    for gid, outputs in outputs_by_id.items():
        meta = {"nbgrader": {"grade": True, "solution": False, "grade_id": gid, "points": 1}}
        cell = nbformat.v4.new_code_cell("check_x(x)", metadata=meta)
        cell.outputs = outputs
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_code_cell("print('mine')", metadata={}))
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="mine\n")]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    return path


def test_test_cells_show_the_grader_verdict_not_what_the_kernel_printed(tmp_path):
    forged = [nbformat.v4.new_output("stream", name="stdout", text="check_x: passed\n")]
    path = _notebook(tmp_path, {"a": forged, "b": forged})
    assert show_verdicts(path, [v("a", Status.PASSED),
                                v("b", Status.FAILED_PUBLIC, Failure.WRONG, "add(2, 3): expected 5, got -1.")])
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].outputs[0]["output_type"] == "stream" and cells[0].outputs[0]["text"].startswith("passed (1 / 1")
    error = cells[1].outputs
    assert len(error) == 1 and error[0]["output_type"] == "error" and error[0]["evalue"].startswith("failed public cases (0 / 1 points): add(2, 3)")
    assert "check_x: passed" not in nbformat.writes(nbformat.read(path, as_version=4))
    assert cells[2].outputs[0]["text"] == "mine\n"  # the student's own cells keep their outputs


def test_an_unreadable_autograded_notebook_is_left_alone(tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text("{not json")
    assert show_verdicts(path, [v("a", Status.PASSED)]) is False
    assert path.read_text() == "{not json"
