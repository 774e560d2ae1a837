"""The release fails ``nbgrader validate``; every cell of every solution runs without an error.

A solution is checked with nbclient rather than ``nbgrader validate``: validate looks only at the test cells, so
a broken demonstration or figure cell (a variable reused by a later cell, say) would pass it unnoticed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import notebook_names
from autograde.nbgrader_cli import environment

pytestmark = pytest.mark.slow


def _validate(path) -> str:
    done = subprocess.run([sys.executable, "-m", "nbgrader", "validate", str(path)],
                          cwd=COURSE_ROOT, env=environment({"WEEK08_FAST": "1"}),
                          capture_output=True, text=True, timeout=600)
    return done.stdout + done.stderr


@pytest.mark.parametrize("name", notebook_names())
def test_released_notebook_fails_validation(name):
    assert "VALIDATION FAILED" in _validate(COURSE_ROOT / "notebooks" / ASSIGNMENT / f"{name}.ipynb")


@pytest.mark.parametrize("name", notebook_names())
def test_every_cell_of_the_solution_runs_without_error_in_grading_mode(name, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("WEEK08_FAST", "1")
    folder = COURSE_ROOT / "solutions" / ASSIGNMENT
    nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    errors = [c.source[:80] for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
