"""Trusted: every question's autograded score, decided from the answers of a student's call servers.

This process never runs student code. For each question it runs the question's
check (public cases from :mod:`helpers.checks`, then hidden cases from
:mod:`autograde.checks`, whose oracle is the reference solution loaded here from
``solutions/``) with a :class:`~autograde.trusted.remote.Remote` in place of the
student's function: each call is answered by the student's process as plain
data, and the comparison happens here.

All public cases of all questions run before any hidden case, and nothing the
student's process sends during a hidden case reaches the student: the feedback
for a hidden case says passed or failed and the kind of failure in the
grader's own words (:data:`HIDDEN_WORDS`), never the student's exception text,
an input or an expected value. The full message is kept for the TA (``detail``).

    python -m autograde.trusted.decide CALLS_DIR VERDICTS.json [--course-root ROOT]
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import importlib
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograde.catalog import Exercise, all_exercises
from autograde.trusted.remote import Channel, GraderError, Remote
from helpers.checks.core import CheckFailed, Failure

#: What a student reads when a hidden case fails, by kind of failure.
HIDDEN_WORDS = {
    Failure.WRONG: "wrong answer on the hidden cases (inputs you have not seen): the result differs "
                   "from the reference solution's.",
    Failure.NOT_IMPLEMENTED: "not implemented.",
    Failure.RAISED: "your function raised an exception on the hidden cases.",
    Failure.TIMEOUT: "your function ran longer than the per-call limit on the hidden cases.",
    Failure.UNREADABLE: "your function returned an answer the grader cannot read on the hidden cases.",
    Failure.MISSING: "the function is not defined in your notebook.",
    Failure.LOST: "your notebook's process stopped answering during the hidden cases (it crashed, hung "
                  "or was killed).",
}


class Status(enum.StrEnum):
    PASSED = "passed"
    FAILED_PUBLIC = "failed public cases"
    FAILED_HIDDEN = "failed hidden cases"
    GRADER_ERROR = "grader error"


@dataclass
class Verdict:
    """The trusted outcome of one question."""

    notebook: str
    grade_id: str
    points: float
    status: Status
    kind: Failure | None = None
    message: str = ""  # safe to show the student
    detail: str = ""  # for the TA only (may hold hidden inputs and expected values)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def score(self) -> float:
        return self.points if self.passed else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "grade_id": self.grade_id, "points": self.points,
                "status": self.status.value, "kind": self.kind.value if self.kind else None,
                "message": self.message, "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        return cls(str(data["notebook"]), str(data["grade_id"]), float(data["points"]), Status(data["status"]),
                   Failure(data["kind"]) if data.get("kind") else None, str(data.get("message", "")),
                   str(data.get("detail", "")))


def checks_of(exercise: Exercise) -> tuple[Any, Any]:
    """The public and hidden check of one exercise."""
    public = getattr(importlib.import_module(f"helpers.checks.{exercise.module}"), exercise.check)
    hidden_module = importlib.import_module(f"autograde.checks.{exercise.module}")
    return public, getattr(hidden_module, exercise.check, None)


def _run(check: Any, function: Remote) -> tuple[Failure | None, str]:
    """Run one check quietly; (None, "") when it passes, else the kind and message."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            check(function)
    except CheckFailed as failure:
        return failure.kind, str(failure)
    return None, ""


def decide(calls: Path, exercises: list[Exercise], timeout: float,
           notebooks: set[str] | None = None) -> list[Verdict]:
    """Verdicts for ``exercises``, from the call servers in ``calls/<notebook>.sock``.

    ``notebooks`` are the notebooks that were graded (others score 0 without a call).
    """
    channels: dict[str, Channel] = {}
    verdicts: dict[tuple[str, str], Verdict] = {}
    runnable = []
    for ex in exercises:
        key = (ex.notebook, ex.grade_id)
        if ex.check is None:
            verdicts[key] = Verdict(ex.notebook, ex.grade_id, ex.points, Status.GRADER_ERROR,
                                    message="this question has no automatic check.")
            continue
        if notebooks is not None and ex.notebook not in notebooks:
            verdicts[key] = Verdict(ex.notebook, ex.grade_id, ex.points, Status.FAILED_PUBLIC, Failure.MISSING,
                                    "the notebook was not graded.")
            continue
        if ex.notebook not in channels:
            channels[ex.notebook] = Channel(calls / f"{ex.notebook}.sock", timeout, beneath=calls.parent)
        runnable.append(ex)
    try:
        for ex in runnable:  # every public case first: nothing hidden has been sent yet
            public, _ = checks_of(ex)
            try:
                kind, message = _run(public, Remote(channels[ex.notebook], ex.function))
            except GraderError as error:
                verdicts[(ex.notebook, ex.grade_id)] = Verdict(ex.notebook, ex.grade_id, ex.points,
                                                               Status.GRADER_ERROR, message="grader error",
                                                               detail=str(error))
                continue
            if kind is not None:
                verdicts[(ex.notebook, ex.grade_id)] = Verdict(ex.notebook, ex.grade_id, ex.points,
                                                               Status.FAILED_PUBLIC, kind, message, message)
        for ex in runnable:
            key = (ex.notebook, ex.grade_id)
            if key in verdicts:
                continue
            _, hidden = checks_of(ex)
            kind, detail = (None, "") if hidden is None else _run_hidden(hidden, channels[ex.notebook], ex)
            if kind is None:
                verdicts[key] = Verdict(ex.notebook, ex.grade_id, ex.points, Status.PASSED)
            else:
                verdicts[key] = Verdict(ex.notebook, ex.grade_id, ex.points, Status.FAILED_HIDDEN, kind,
                                        HIDDEN_WORDS[kind], detail)
    finally:
        for channel in channels.values():
            channel.close()
    return [verdicts[(ex.notebook, ex.grade_id)] for ex in exercises]


def _run_hidden(hidden: Any, channel: Channel, ex: Exercise) -> tuple[Failure | None, str]:
    try:
        return _run(hidden, Remote(channel, ex.function))
    except GraderError as error:
        return Failure.WRONG, f"grader error: {error}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Decide every question's score from a student's call servers.")
    parser.add_argument("calls", type=Path, help="folder holding <notebook>.sock")
    parser.add_argument("output", type=Path, help="where to write the verdicts (JSON)")
    parser.add_argument("--course-root", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per call")
    parser.add_argument("--notebook", action="append", default=None,
                        help="a notebook that was graded (repeat; default: all)")
    args = parser.parse_args(argv)
    exercises = all_exercises(args.course_root) if args.course_root else all_exercises()
    verdicts = decide(args.calls, exercises, args.timeout, set(args.notebook) if args.notebook else None)
    args.output.write_text(json.dumps([v.to_json() for v in verdicts], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
