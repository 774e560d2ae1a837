"""``nbgrader validate`` agrees with the release: the solutions pass, the released notebooks fail."""

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
def test_solution_passes_validation(name):
    assert "Success!" in _validate(COURSE_ROOT / "solutions" / ASSIGNMENT / f"{name}.ipynb")
