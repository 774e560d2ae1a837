"""``make check``: run the public checks over your own notebooks and print a table.

For every notebook in a folder, the functions you wrote are loaded (without
running your experiments, see :mod:`helpers.notebook_code`) and each test cell's
public check runs against them. Hidden tests are never run (the part of a test
cell between the hidden-test markers is skipped), and your notebooks are only
read, never written.

    python -m helpers.check_notebooks notebooks/week08
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import nbformat

from helpers.notebook_code import is_test_cell, load_definitions, strip_hidden_tests

#: Seconds the checks of one notebook may take before they are stopped.
NOTEBOOK_TIMEOUT = 300


def check_notebook(path: Path) -> list[dict]:
    """Run the public checks of one notebook; one dict per question."""
    nb = nbformat.read(path, as_version=4)
    tests = [c for c in nb.cells if c.cell_type == "code" and is_test_cell(c)]
    rows = []
    try:
        module = load_definitions(path)
    except Exception as error:  # a definition that fails to run
        module, load_error = None, f"your code could not be loaded: {type(error).__name__}: {error}"
    for cell in tests:
        meta = cell.metadata["nbgrader"]
        row = {"notebook": path.stem, "question": meta["grade_id"], "points": float(meta.get("points", 0))}
        if module is None:
            row.update(passed=False, message=load_error)
        else:
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(strip_hidden_tests(cell.source), meta["grade_id"], "exec"), dict(vars(module)))  # noqa: S102
                row.update(passed=True, message="passed")
            except Exception as error:
                text = str(error).strip().splitlines()
                message = text[0] if text else type(error).__name__
                if isinstance(error, NameError):
                    message = f"not found: {error} (did you run and save the cell that defines it?)"
                row.update(passed=False, message=message)
        rows.append(row)
    return rows


def _check_in_subprocess(path: Path) -> list[dict]:
    try:
        done = subprocess.run([sys.executable, "-m", "helpers.check_notebooks", "--one", str(path)],
                              capture_output=True, text=True, timeout=NOTEBOOK_TIMEOUT)
    except subprocess.TimeoutExpired:
        return [{"notebook": path.stem, "question": "(all)", "points": 0.0, "passed": False,
                 "message": f"stopped after {NOTEBOOK_TIMEOUT} s: does a function loop forever?"}]
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        reason = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        return [{"notebook": path.stem, "question": "(all)", "points": 0.0, "passed": False,
                 "message": f"the notebook could not be checked: {reason}"}]


def print_table(rows: list[dict]) -> None:
    """Print notebook, question, points and verdict, with a total."""
    width = max([len(r["question"]) for r in rows] + [8])
    print(f"{'notebook':26} {'question':{width}} {'points':>6}  result")
    for r in rows:
        points = f"{r['points']:g}"
        verdict = "passed" if r["passed"] else f"FAILED: {r['message']}"
        print(f"{r['notebook'][:26]:26} {r['question']:{width}} {points:>6}  {verdict}")
    got = sum(r["points"] for r in rows if r["passed"])
    total = sum(r["points"] for r in rows)
    passed = sum(r["passed"] for r in rows)
    print(f"\n{passed} of {len(rows)} public checks pass: {got:g} of {total:g} points "
          "(the grader also runs hidden checks).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the public checks over your notebooks.")
    parser.add_argument("folder", nargs="?", default="notebooks/week08", type=Path)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(check_notebook(args.one)))
        return 0
    notebooks = sorted(args.folder.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print(f"no notebooks found in {args.folder}")
        return 1
    rows = [row for path in notebooks for row in _check_in_subprocess(path)]
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
