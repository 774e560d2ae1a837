"""The release: notebooks/ is generated from solutions/, up to date, and leaks nothing."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import nbformat
import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import notebook_names
from autograde.release import generate, sync

RELEASED = COURSE_ROOT / "notebooks" / ASSIGNMENT


def distinctive_solution_lines(name: str) -> list[str]:
    """Lines of reference code (between the solution markers) long enough to be telling.

    A line that the notebook also shows outside its solution regions (in the
    exercise text or a demo cell) is given to students anyway, so it does not count.
    """
    nb = nbformat.read(COURSE_ROOT / "solutions" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    inside_lines, outside_text = [], []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside:
                inside_lines.append(line.strip())
            else:
                outside_text.append(line)
    shown = "\n".join(outside_text)
    return [line for line in inside_lines if len(line) >= 25 and line not in shown]


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory) -> Path:
    scratch = tmp_path_factory.mktemp("release")
    return generate(scratch, db_url=f"sqlite:///{scratch / 'gradebook.db'}")


def test_every_solution_is_released():
    assert sorted(p.stem for p in RELEASED.glob("*.ipynb")) == notebook_names()


def test_released_notebooks_are_up_to_date_with_solutions(fresh_release):
    stale = [p.name for p in fresh_release.glob("*.ipynb")
             if not filecmp.cmp(p, RELEASED / p.name, shallow=False)]
    assert not stale, f"run `make release`: {stale} differ from what solutions/ generates"


def test_second_release_changes_no_byte(fresh_release, tmp_path):
    target = tmp_path / "notebooks"
    assert sync(fresh_release, target)  # first sync writes
    assert sync(fresh_release, target) == []  # second one has nothing to do


@pytest.mark.parametrize("name", notebook_names())
def test_released_notebook_has_no_solution_or_hidden_tests(name):
    text = (RELEASED / f"{name}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "autograde.checks"):
        assert marker not in text
    leaked = [line for line in distinctive_solution_lines(name) if line in text]
    assert not leaked, f"solution lines in the release: {leaked[:3]}"


@pytest.mark.parametrize("name", notebook_names())
def test_shipped_helpers_contain_no_reference_line(name):
    """helpers/ (public checks included) goes to students: it must not hold the answers."""
    texts = {p: p.read_text() for p in (COURSE_ROOT / "helpers").rglob("*.py")}
    leaked = {line: [p.name for p, t in texts.items() if line in t] for line in distinctive_solution_lines(name)}
    assert not {line: where for line, where in leaked.items() if where}


@pytest.mark.parametrize("name", notebook_names())
def test_solution_notebooks_are_clean(name):
    """Committed solutions carry no outputs or execution counts, and stable unique cell ids."""
    raw = json.loads((COURSE_ROOT / "solutions" / ASSIGNMENT / f"{name}.ipynb").read_text())
    ids = [c["id"] for c in raw["cells"]]
    assert len(ids) == len(set(ids))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]
    grade_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in raw["cells"]
                 if "nbgrader" in c["metadata"]]
    assert len(grade_ids) == len(set(grade_ids))
