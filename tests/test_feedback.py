"""The feedback preprocessor scrubs hidden tests and test-cell tracebacks."""

from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograde.outputs.feedback import HIDDEN_NOTE, ScrubHiddenTests


def _test_cell(source, outputs=()):
    cell = new_code_cell(source, outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    return cell


def test_hidden_region_and_traceback_are_removed():
    source = ("check(f)\n### BEGIN HIDDEN TESTS\nsecret_check(f, [3, 1, 4])\n"
              "### END HIDDEN TESTS")
    error = new_output("error", ename="CheckFailed", evalue="best depth: expected 3, got 1.",
                       traceback=["File hidden.py line 3", "secret_check(f, [3, 1, 4])"])
    nb = new_notebook(cells=[_test_cell(source, [error])])
    nb, _ = ScrubHiddenTests().preprocess(nb, {})
    cell = nb.cells[0]
    assert "secret_check" not in cell.source and HIDDEN_NOTE in cell.source
    assert cell.outputs[0]["traceback"] == ["CheckFailed: best depth: expected 3, got 1."]


def test_student_cells_keep_their_tracebacks():
    error = new_output("error", ename="NameError", evalue="x", traceback=["line 1 in my_code"])
    nb = new_notebook(cells=[new_code_cell("print(x)", outputs=[error])])
    nb, _ = ScrubHiddenTests().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["traceback"] == ["line 1 in my_code"]
