"""Points agree everywhere: cell metadata, each exercise's "(N points)" heading and the title block."""

from __future__ import annotations

import re

import nbformat
import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import notebook_names

HEADING = re.compile(r"^###\s+(Exercise \d+|Written question \d+|Predict, then explain)\s+\((\d+(?:\.\d+)?) points?")
TITLE = re.compile(r"\*\*Points:\*\* (\d+) = (\d+) for (\d+) exercises .* \+ (\d+) for (\d+) written answers?")


def _grade_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


@pytest.mark.parametrize("name", notebook_names())
def test_every_heading_states_the_points_of_the_grade_cell_it_introduces(name):
    nb = nbformat.read(COURSE_ROOT / "solutions" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    pending = None
    pairs = []
    for cell in nb.cells:
        match = HEADING.match(cell.source) if cell.cell_type == "markdown" else None
        if match:
            assert pending is None, f"{pending[0]} has no grade cell before the next heading"
            pending = (match.group(1), float(match.group(2)))
        elif cell.metadata.get("nbgrader", {}).get("grade"):
            assert pending, f"grade cell {cell.metadata['nbgrader']['grade_id']} has no heading with its points"
            pairs.append((pending[0], pending[1], float(cell.metadata["nbgrader"]["points"])))
            pending = None
    assert pairs and all(stated == meta for _, stated, meta in pairs), [p for p in pairs if p[1] != p[2]]


@pytest.mark.parametrize("name", notebook_names())
def test_title_block_totals_match_the_metadata(name):
    nb = nbformat.read(COURSE_ROOT / "solutions" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    match = TITLE.search(nb.cells[0].source)
    assert match, "the title block states its points as 'N = A for k exercises ... + W for m written answers'"
    total, auto, n_auto, by_hand, n_written = map(int, match.groups())
    cells = _grade_cells(nb)
    written = [c for c in cells if c.metadata["nbgrader"].get("solution")]
    checks = [c for c in cells if not c.metadata["nbgrader"].get("solution")]
    assert (n_auto, n_written) == (len(checks), len(written))
    assert auto == sum(c.metadata["nbgrader"]["points"] for c in checks)
    assert by_hand == sum(c.metadata["nbgrader"]["points"] for c in written)
    assert total == auto + by_hand
