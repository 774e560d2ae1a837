"""Written answers (autograde.trusted.written): empty answers, rubric cells for the TA, none in feedback."""

from __future__ import annotations

import nbformat
import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import WrittenQuestion, all_written_questions, notebook_names
from autograde.outputs.feedback import RemoveRubrics
from autograde.trusted import written

QUESTION = WrittenQuestion("01_tiny", "explain", 1.0, "Written question (1 point)",
                           "Division by zero.", "- 1: division by zero.")


def _notebook(path, answer_source="YOUR ANSWER HERE", grade_id="explain"):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_markdown_cell(answer_source)
    answer.metadata = {"nbgrader": {"grade_id": grade_id, "grade": True, "solution": True, "points": 1}}
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny"), answer, nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("text", ["", "   \n", "YOUR ANSWER HERE", "\nYOUR ANSWER HERE\n\n",
                                  "This cell (id:extra) was missing from the submission. It was added back by "
                                  "nbgrader.\n\nYOUR ANSWER HERE"])
def test_the_release_stub_or_nothing_is_a_blank_answer(text):
    assert written.is_blank(text)


def test_any_words_are_an_answer():
    assert not written.is_blank("YOUR ANSWER HERE: it divides by zero")


def test_blank_answers_lists_stub_missing_and_unreadable_notebooks(tmp_path):
    assert written.blank_answers(tmp_path, [QUESTION]) == ["01_tiny:explain"]  # no notebook
    _notebook(tmp_path / "01_tiny.ipynb")
    assert written.blank_answers(tmp_path, [QUESTION]) == ["01_tiny:explain"]  # the stub
    _notebook(tmp_path / "01_tiny.ipynb", "It divides by zero.")
    assert written.blank_answers(tmp_path, [QUESTION]) == []
    (tmp_path / "01_tiny.ipynb").write_text("{not json")
    assert written.blank_answers(tmp_path, [QUESTION]) == ["01_tiny:explain"]


def test_hostile_metadata_shapes_are_ignored_not_fatal(tmp_path):
    nb = nbformat.v4.new_notebook()
    odd = [nbformat.v4.new_markdown_cell("a"), nbformat.v4.new_markdown_cell("b"), nbformat.v4.new_markdown_cell("c")]
    odd[0].metadata = {"nbgrader": ["explain"]}
    odd[1].metadata = {"nbgrader": {"grade_id": ["explain"]}, "week08": 5}
    odd[2].metadata = {"week08": "rubric"}
    nb.cells = odd
    nbformat.write(nb, tmp_path / "01_tiny.ipynb")
    assert written.answers(tmp_path / "01_tiny.ipynb", [QUESTION]) == {}
    assert written.add_rubrics(tmp_path / "01_tiny.ipynb", [QUESTION]) == 1  # at the end: no answer cell


def test_rubric_goes_under_the_answer_once_however_often_it_is_added(tmp_path):
    path = _notebook(tmp_path / "01_tiny.ipynb", "It divides by zero.")
    written.add_rubrics(path, [QUESTION])
    written.add_rubrics(path, [QUESTION])
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "markdown", "markdown", "code"]
    assert "For the TA only" in cells[2].source and "division by zero" in cells[2].source


def test_feedback_preprocessor_removes_every_rubric_and_keeps_the_answer(tmp_path):
    path = _notebook(tmp_path / "01_tiny.ipynb", "It divides by zero.")
    written.add_rubrics(path, [QUESTION])
    nb, _ = RemoveRubrics().preprocess(nbformat.read(path, as_version=4), {})
    text = "\n".join(c.source for c in nb.cells)
    assert "It divides by zero." in text and "For the TA only" not in text and "Rubric" not in text


def test_every_written_question_has_a_model_answer_and_a_rubric():
    questions = all_written_questions()
    assert len(questions) >= 12
    assert {q.notebook for q in questions} == set(notebook_names())  # at least one per notebook
    lecture = {q.grade_id.split("_")[1] for q in questions if q.grade_id.startswith("written_q")}
    assert lecture == {"q1", "q2", "q3", "q4", "q5"}  # the lecture's exam questions
    for q in questions:
        assert len(q.model_answer) > 100 and q.rubric.startswith("- "), q.grade_id
        assert f"({q.points:g} point" in q.title, q.grade_id


def test_students_receive_no_model_answer_and_no_rubric():
    for q in all_written_questions():
        released = (COURSE_ROOT / "notebooks" / ASSIGNMENT / f"{q.notebook}.ipynb").read_text()
        assert q.model_answer.splitlines()[0] not in released, q.grade_id
        assert q.rubric.splitlines()[0] not in released, q.grade_id
