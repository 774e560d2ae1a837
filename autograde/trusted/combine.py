"""Trusted: one score per question, from the trusted verdict; nbgrader's kernel outcome only flags.

The autograded notebook records what the student's kernel showed for each test
cell (nbgrader's rule: an error output or text on stderr fails it). That outcome
is student-controlled, so it never raises a score. The verdict of
:mod:`autograde.trusted.decide` is the score. When the kernel showed a check
passing but the grader's own run of the same *public* check failed, the
notebook's code changed what its kernel showed (or its state changed after the
check ran): the submission is flagged with the reason, and the grader's
result stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograde.trusted.decide import Status, Verdict
from helpers.notebook_code import is_test_cell


@dataclass
class Combined:
    scores: dict[str, float] = field(default_factory=dict)  # "notebook:grade_id" -> points
    flags: list[str] = field(default_factory=list)  # for the TA, the report and the student
    notes: list[str] = field(default_factory=list)  # per question, for the student
    details: dict[str, str] = field(default_factory=dict)  # TA only


def kernel_outcomes(path: Path) -> dict[str, bool]:
    """``{grade_id: passed}`` for each test cell of an autograded notebook, as nbgrader scores it."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - untrusted file; no outcome then
        return {}
    out = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or not is_test_cell(cell):
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        failed = any(o.get("output_type") == "error" or (o.get("output_type") == "stream"
                                                          and o.get("name") == "stderr")
                     for o in cell.get("outputs", []))
        if isinstance(grade_id, str):
            out[grade_id] = not failed
    return out


def combine(verdicts: list[Verdict], kernel: dict[str, dict[str, bool]], staged: list[str]) -> Combined:
    """Final scores and messages; ``kernel`` is ``{notebook: kernel_outcomes(...)}``."""
    out = Combined()
    for v in verdicts:
        key = f"{v.notebook}:{v.grade_id}"
        if v.notebook not in staged:
            continue
        out.scores[key] = v.score
        if v.detail:
            out.details[key] = v.detail
        if not v.passed:
            out.notes.append(f"{key}: {v.message}")
        shown = kernel.get(v.notebook, {}).get(v.grade_id)
        if shown and v.status is Status.FAILED_PUBLIC:
            out.flags.append(f"{key}: the notebook showed this check passing, but the grader's own run of the "
                             f"same public check failed ({v.message}); the grader's result (0) stands.")
        if v.status is Status.GRADER_ERROR:
            out.flags.append(f"{key}: the grader could not check this question ({v.message}); ask the TA.")
    return out
