"""Regenerate the demo class in ``demo/submitted/`` from the solutions and the release.

Run ``.venv/bin/python demo/make_demo.py`` after ``make release``. Three students:

- ``alice`` answered every exercise (the reference answers, as a student would type them)
  and wrote good answers to the written questions;
- ``bob`` answered the first half of the exercises of each notebook and left the rest,
  and wrote partial answers (one sentence) to the written questions;
- ``carol`` submitted a broken notebook 01 (a cell that raises an exception, a test
  cell she deleted, one wrong answer, written answers left empty), an unanswered
  notebook 02 and nothing else (the other notebooks are missing).

So the formgrader has good, partial and empty written answers to grade (empty ones score 0
without a TA).

The output is deterministic, so regenerating it changes no byte unless the
notebooks changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from autograde.catalog import notebook_names
from autograde.simulate import student_copy, write_submission

SUBMITTED = Path(__file__).resolve().parent / "submitted"


def main() -> None:
    names = notebook_names()
    shutil.rmtree(SUBMITTED, ignore_errors=True)
    for name in names:
        write_submission(student_copy(name, 1.0), SUBMITTED, "alice", name)
        write_submission(student_copy(name, 0.5), SUBMITTED, "bob", name)
    first = student_copy(names[0], 1.0, written="empty")
    cells = first.cells
    setup = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    cells.insert(setup + 1, nbformat.v4.new_code_cell(
        "# carol: trying something\nprint(undefined_variable)", id="carol-broken"))
    tests = [i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    del cells[tests[0]]  # a deleted test cell: nbgrader puts it back
    solutions = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    solutions[-1].source = solutions[-1].source.replace('aggfunc="max"', 'aggfunc="mean"')
    write_submission(first, SUBMITTED, "carol", names[0])
    if len(names) > 1:
        write_submission(student_copy(names[1], 0.0), SUBMITTED, "carol", names[1])
    print(f"wrote {SUBMITTED} for alice, bob, carol ({len(names)} notebooks)")


if __name__ == "__main__":
    main()
