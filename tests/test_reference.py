"""Extracting definitions from notebooks (the reference and submissions)."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograde.trusted.reference import load_definitions, solution


def _notebook(tmp_path, *sources, test_cell=None):
    nb = new_notebook()
    nb.cells = [new_code_cell(s) for s in sources]
    if test_cell:
        cell = new_code_cell(test_cell)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
        nb.cells.append(cell)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_only_definitions_run(tmp_path):
    path = _notebook(tmp_path, "import math\nLIMIT = 3\nside_effect = open('/nonexistent')",
                     "%matplotlib inline\ndef f(x):\n    return math.sqrt(x) + LIMIT")
    module = load_definitions(path)
    assert module.f(4) == 5.0
    assert not hasattr(module, "side_effect")


def test_test_cells_and_syntax_errors_are_skipped(tmp_path):
    path = _notebook(tmp_path, "def g(:\n  pass", "def h():\n    return 1",
                     test_cell="raise SystemExit('must not run')")
    module = load_definitions(path)
    assert module.h() == 1 and not hasattr(module, "g")


def test_reference_solution_exposes_every_graded_function():
    from autograde.catalog import all_exercises

    for ex in all_exercises():
        assert callable(getattr(solution(ex.notebook), ex.function)), ex
