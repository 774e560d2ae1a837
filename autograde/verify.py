"""Run a notebook's test cells against a submission's functions, outside the student's kernel.

This is the third way each check is used (after the nbgrader test cells and the
project's test suite): it loads only the *definitions* of a submitted notebook
(see :mod:`autograde.reference`) into a fresh namespace and runs the test cells
of the reference notebook -- public and hidden parts -- against them. Nothing the
student's notebook prints and no object its top-level code replaced is involved.

Used by ``pytest autograde --submission submitted/<student>/week08`` (a TA's run)
and by ``make grade`` as an independent second opinion on nbgrader's scores.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from autograde.catalog import solution_notebooks
from helpers.notebook_code import is_test_cell, load_definitions


@dataclass
class Verdict:
    """The result of one test cell run against a submission."""

    notebook: str
    grade_id: str
    points: float
    passed: bool
    message: str = ""

    @property
    def score(self) -> float:
        return self.points if self.passed else 0.0


def test_cells(solution_path: Path) -> list[tuple[str, float, str]]:
    """``(grade_id, points, source)`` of each test cell of a solution notebook (hidden part included)."""
    nb = nbformat.read(solution_path, as_version=4)
    return [(c.metadata["nbgrader"]["grade_id"], float(c.metadata["nbgrader"].get("points", 0)), c.source)
            for c in nb.cells if c.cell_type == "code" and is_test_cell(c)]


def verify_notebook(submitted: Path, solution_path: Path) -> list[Verdict]:
    """Run every test cell of ``solution_path`` against the definitions in ``submitted``."""
    name = solution_path.stem
    cells = test_cells(solution_path)
    try:
        module = load_definitions(submitted, f"submission_{name}")
    except Exception as error:  # unreadable notebook, error while defining functions
        reason = f"could not load the notebook's functions: {type(error).__name__}: {error}"
        return [Verdict(name, gid, pts, False, reason) for gid, pts, _ in cells]
    verdicts = []
    for grade_id, points, source in cells:
        namespace = dict(module.__dict__)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"<{name}:{grade_id}>", "exec"), namespace)  # noqa: S102
        except BaseException as error:  # noqa: BLE001 - SystemExit from student code too
            if isinstance(error, KeyboardInterrupt):
                raise
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            verdicts.append(Verdict(name, grade_id, points, False, f"{type(error).__name__}: {message}"))
        else:
            verdicts.append(Verdict(name, grade_id, points, True))
    return verdicts


def verify_submission(folder: Path, course_root: Path | None = None) -> list[Verdict]:
    """Verdicts for every test cell of every notebook, for the submission in ``folder``."""
    kwargs = {"course_root": course_root} if course_root else {}
    verdicts = []
    for solution_path in solution_notebooks(**kwargs):
        submitted = folder / solution_path.name
        if submitted.exists():
            verdicts.extend(verify_notebook(submitted, solution_path))
        else:
            verdicts.extend(Verdict(solution_path.stem, gid, pts, False, "notebook missing")
                            for gid, pts, _ in test_cells(solution_path))
    return verdicts


def main(argv: list[str] | None = None) -> int:
    """``python -m autograde.verify SUBMISSION_FOLDER OUTPUT.json``: write verdicts as JSON."""
    args = sys.argv[1:] if argv is None else argv
    folder, output = Path(args[0]), Path(args[1])
    verdicts = verify_submission(folder)
    output.write_text(json.dumps([asdict(v) for v in verdicts], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
