"""An independent second opinion on nbgrader's scores.

nbgrader scores a test cell by what the student's kernel printed, and the
student's code shares that kernel with the checks: it can replace them, hide
their errors (``showtraceback``), or exit. This module re-runs every test cell
(public and hidden parts, from the reference notebook) in a fresh worker process
(:mod:`autograde.child`, one for the whole submission) started inside the sandbox: the solutions and grading
state are hidden from it, only the submission's *definitions* are loaded, and
any replacement of a check or a library function is caught and reported. The
worker signs each verdict with a key it received before any student code ran;
the verifier keeps only correctly signed verdicts, and a worker that dies or
hangs costs only the question it was on (it is restarted for the next one).

Used by ``make grade`` (the lower of the two scores stands, disagreements are
flagged) and by ``pytest autograde --submission submitted/<student>/week08``.

    python -m autograde.verify SUBMISSION_FOLDER VERDICTS.json
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import re
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from autograde import COURSE_ROOT, sandbox
from autograde.catalog import solution_notebooks
from autograde.nbgrader_cli import grading_environment
from helpers.notebook_code import definitions_source, is_test_cell

#: Seconds one test cell may take in the verifier.
CELL_TIMEOUT = float(os.environ.get("WEEK08_CELL_TIMEOUT", "60"))
_CHECK_IMPORT = re.compile(r"(?:from|import) ((?:helpers|autograde)\.checks(?:\.\w+)?)")


@dataclass
class Verdict:
    """The result of one test cell run against a submission."""

    notebook: str
    grade_id: str
    points: float
    passed: bool
    message: str = ""
    tampered: bool = False

    @property
    def score(self) -> float:
        return self.points if self.passed else 0.0


def test_cells(solution_path: Path) -> list[tuple[str, float, str]]:
    """``(grade_id, points, source)`` of each test cell of a solution notebook (hidden part included)."""
    nb = nbformat.read(solution_path, as_version=4)
    return [(c.metadata["nbgrader"]["grade_id"], float(c.metadata["nbgrader"].get("points", 0)), c.source)
            for c in nb.cells if c.cell_type == "code" and is_test_cell(c)]


def hidden_paths(course_root: Path) -> list[Path]:
    """What the worker must not see: the reference solutions and all grading state."""
    return [course_root / "solutions", course_root / ".grading", course_root / "autograded",
            course_root / "feedback", course_root / "submitted", course_root / "demo",
            course_root / "source_with_tests", course_root / "class_report",
            course_root / "gradebook.db", course_root / "grades.csv"]


def _worker(order: dict, scratch: Path, hidden: list[Path], name: str) -> subprocess.Popen:
    env = dict(grading_environment(), HOME=str(scratch), MPLCONFIGDIR=str(scratch), MPLBACKEND="Agg",
               NBGRADER_EXECUTION="autograde", PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(scratch))
    env["WEEK08_TRACKIO_DIR"] = str(scratch / "trackio")  # the only folder the worker may write
    process = sandbox.popen([sys.executable, "-m", "autograde.child"], name=name,
                            jail=sandbox.Jail(writable=scratch, hidden=hidden),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            cwd=scratch, env=env, text=True)
    assert process.stdin is not None
    process.stdin.write(json.dumps(order) + "\n")
    process.stdin.close()
    return process


def _read_verdict(process: subprocess.Popen, key: bytes, timeout: float) -> dict | None:
    """The next correctly signed verdict, or None if the worker ended or ran out of time."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([process.stdout], [], [], left)[0]:
            return None
        line = process.stdout.readline()
        if not line:
            return None
        try:
            wrapped = json.loads(line)
            record = wrapped["record"]
            body = json.dumps(record, sort_keys=True).encode()
            if hmac.compare_digest(wrapped["mac"], hmac.new(key, body, hashlib.sha256).hexdigest()):
                return record
        except (ValueError, KeyError, TypeError):
            pass  # not a verdict: ignore it


@dataclass
class Question:
    """One test cell to run: which notebook, its grade id, points and source."""

    notebook: str
    grade_id: str
    points: float
    source: str


def _run_worker(questions: list[Question], submissions: dict[str, str], reference: dict[str, str],
                modules: list[str], scratch: Path, hidden: list[Path]) -> list[Verdict]:
    """Run ``questions`` in as few workers as possible: a fresh one only after a crash, hang or tampering."""
    verdicts: list[Verdict] = []
    start = 0
    while start < len(questions):
        key = secrets.token_hex(32)
        order = {"submissions": submissions, "reference": reference, "start": start, "key": key,
                 "cells": [[q.notebook, q.grade_id, q.source] for q in questions], "check_modules": modules}
        process = _worker(order, scratch, hidden, f"verify-{os.getpid()}-{start}")
        try:
            while start < len(questions):
                question = questions[start]
                record = _read_verdict(process, key.encode(), CELL_TIMEOUT + 30)
                if record is None or (record.get("notebook"), record.get("grade_id")) != (question.notebook,
                                                                                       question.grade_id):
                    try:
                        ended = process.wait(timeout=5) is not None
                    except subprocess.TimeoutExpired:
                        ended = False
                    reason = ("the notebook's code ended its Python process" if ended
                              else f"a check ran longer than {CELL_TIMEOUT + 30:.0f} s and was stopped")
                    verdicts.append(Verdict(question.notebook, question.grade_id, question.points, False, reason))
                    start += 1
                    break
                verdicts.append(Verdict(question.notebook, question.grade_id, question.points,
                                        bool(record["passed"]), str(record.get("message", "")),
                                        bool(record.get("tampered"))))
                start += 1
                if record.get("tampered") and not record.get("more"):
                    break  # the worker stops after tampering; the next question gets a fresh one
        finally:
            sandbox.release(process)
    return verdicts


def verify_submission(folder: Path, course_root: Path | None = None, scratch: Path | None = None,
                      hide: list[Path] | None = None) -> list[Verdict]:
    """Verdicts for every test cell of every notebook, for the submission in ``folder``.

    All notebooks are checked in one worker process (started again only after a
    crash, a hang or tampering): the libraries are imported once per submission.
    """
    root = course_root or COURSE_ROOT
    hidden = hidden_paths(COURSE_ROOT) + (hidden_paths(root) if root != COURSE_ROOT else []) + list(hide or [])
    own_scratch = scratch is None
    scratch = scratch or Path(tempfile.mkdtemp(prefix="week08-verify-"))
    scratch.mkdir(parents=True, exist_ok=True)
    verdicts: list[Verdict] = []
    questions: list[Question] = []
    submissions: dict[str, str] = {}
    reference: dict[str, str] = {}
    modules = {"helpers.checks.core"}
    position: dict[tuple[str, str], int] = {}  # the notebooks' and questions' order, for the result
    try:
        for solution_path in solution_notebooks(root):
            name = solution_path.stem
            cells = test_cells(solution_path)
            position.update({(name, gid): len(position) + i for i, (gid, _, _) in enumerate(cells)})
            submitted = folder / solution_path.name
            if not submitted.exists():
                verdicts += [Verdict(name, gid, pts, False, "notebook missing") for gid, pts, _ in cells]
                continue
            shutil.copyfile(submitted, scratch / f"{name}.ipynb")
            submissions[name] = str(scratch / f"{name}.ipynb")
            reference[name] = definitions_source(nbformat.read(solution_path, as_version=4))
            questions += [Question(name, gid, pts, src) for gid, pts, src in cells]
            modules.update(m for _, _, src in cells for m in _CHECK_IMPORT.findall(src))
        if questions:
            verdicts += _run_worker(questions, submissions, reference, sorted(modules), scratch, hidden)
    finally:
        if own_scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return sorted(verdicts, key=lambda v: position[(v.notebook, v.grade_id)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-run every check against one submission, outside nbgrader.")
    parser.add_argument("submission", type=Path, help="folder with the student's notebooks")
    parser.add_argument("output", type=Path, help="where to write the verdicts (JSON)")
    parser.add_argument("--course-root", type=Path, default=None)
    parser.add_argument("--scratch", type=Path, default=None)
    parser.add_argument("--hide", type=Path, action="append", default=[], help="another path to hide")
    args = parser.parse_args(argv)
    verdicts = verify_submission(args.submission, args.course_root, args.scratch, args.hide)
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(v) for v in verdicts], indent=1))
    tmp.replace(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
