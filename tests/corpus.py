"""Building a tiny course and hostile or malformed submissions for the grading tests.

The tiny course (``tests/fixtures/tiny_course``) has one notebook with two
one-point exercises, ``add`` and ``mean``, so a whole class grades in seconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.release import generate
from autograde.simulate import student_copy

TINY = COURSE_ROOT / "tests" / "fixtures" / "tiny_course"
NOTEBOOK = "01_tiny"

WRONG_ADD = "def add(a, b):\n    return a - b"
WRONG_MEAN = "def mean(xs):\n    return 0.0"
#: A cheat that fools nbgrader: replace the check helpers the test cells use, so every comparison passes.
HOSTILE_PATCH = ("import helpers.checks.core as core\n"
                 "core.expect_equal = lambda *a, **k: None\ncore.expect_close = lambda *a, **k: None")


def make_tiny_course(root: Path) -> Path:
    """A course root with the tiny notebook, released (``notebooks/``) and ready to grade."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(COURSE_ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(TINY / "solutions", root / "solutions")
    generate(root / "notebooks", course_root=root)
    return root


def submission(root: Path, *, answered: bool = True, wrong: bool = False,
               extra: str | None = None, after: str = "setup") -> nbformat.NotebookNode:
    """The tiny notebook answered (or not, or wrongly), with an ``extra`` code cell inserted."""
    nb = student_copy(NOTEBOOK, 1.0 if answered else 0.0, root=root)
    if wrong:
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id == "add":
                cell.source = WRONG_ADD
            elif grade_id == "mean":
                cell.source = WRONG_MEAN
    if extra:
        index = next(i for i, c in enumerate(nb.cells) if c.get("id", "").endswith(after))
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(extra))
    return nb


def write(nb_or_text, submitted: Path, student: str, name: str = NOTEBOOK) -> Path:
    folder = submitted / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    if isinstance(nb_or_text, (str, bytes)):
        path.write_bytes(nb_or_text.encode() if isinstance(nb_or_text, str) else nb_or_text)
    else:
        nbformat.write(nb_or_text, path)
    return path
