"""Regenerate the demo class in ``demo/submitted/`` from the solutions and the release.

Run ``.venv/bin/python demo/make_demo.py`` after ``make release``. Three students:

- ``alice`` answered every exercise (the reference answers, as a student would type them);
- ``bob`` answered the first half of the exercises of each notebook and left the rest;
- ``carol`` submitted a broken notebook 01 (a cell that raises an exception, a test
  cell she deleted, one wrong answer), an unanswered notebook 02 and nothing else
  (the other notebooks are missing).

The output is deterministic, so regenerating it changes no byte unless the
notebooks changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "week08"


def answer(source: str) -> str:
    """A solution cell's code without the nbgrader markers."""
    return "\n".join(line for line in source.splitlines()
                     if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def student_copy(name: str, answered: float) -> nbformat.NotebookNode:
    """The released notebook ``name`` with the first ``answered`` fraction of exercises done."""
    released = nbformat.read(ROOT / "notebooks" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    solved = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: answer(c.source) for c in solved.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    cells = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
    todo = {c.metadata["nbgrader"]["grade_id"] for c in cells[: round(len(cells) * answered)]}
    for cell in released.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in todo:
            cell.source = answers[grade_id]
    return released


def write(nb: nbformat.NotebookNode, student: str, name: str) -> None:
    folder = ROOT / "demo" / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def main() -> None:
    names = sorted(p.stem for p in (ROOT / "solutions" / ASSIGNMENT).glob("[0-9][0-9]_*.ipynb"))
    shutil.rmtree(ROOT / "demo" / "submitted", ignore_errors=True)
    for name in names:
        write(student_copy(name, 1.0), "alice", name)
        write(student_copy(name, 0.5), "bob", name)
    first = student_copy(names[0], 1.0)
    cells = first.cells
    setup = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    cells.insert(setup + 1, nbformat.v4.new_code_cell(
        "# carol: trying something\nprint(undefined_variable)", id="carol-broken"))
    tests = [i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade")]
    del cells[tests[0]]  # a deleted test cell: nbgrader puts it back
    solutions = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution")]
    solutions[-1].source = solutions[-1].source.replace('aggfunc="max"', 'aggfunc="mean"')
    write(first, "carol", names[0])
    if len(names) > 1:
        write(student_copy(names[1], 0.0), "carol", names[1])
    print(f"wrote demo/submitted/ for alice, bob, carol ({len(names)} notebooks)")


if __name__ == "__main__":
    main()
