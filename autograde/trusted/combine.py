"""Trusted: one score per question from the trusted verdict, and that verdict is what the notebook shows.

While grading, a check cell in the student's kernel does not run the check (it only
says that the grader does: ``WEEK08_DEFERRED_CHECKS``); :mod:`autograde.trusted.decide`
runs every check from outside. So there is one grading path: the verdict is the
score in the gradebook and ``grades.csv``, and :func:`show_verdicts` writes the same
verdict into the test cell of the autograded notebook, which is what nbgrader's
feedback and the formgrader display. Whatever the kernel printed in a test cell is
replaced: a notebook cannot make its feedback show a check passing.
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


def combine(verdicts: list[Verdict], staged: list[str]) -> Combined:
    """Final scores and messages of the notebooks in ``staged``."""
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
        if v.status is Status.GRADER_ERROR:
            out.flags.append(f"{key}: the grader could not check this question ({v.message}); ask the TA.")
    return out


def verdict_output(verdict: Verdict) -> dict:
    """The output a test cell shows for ``verdict`` (nbformat 4), in the grader's words."""
    points = f"{verdict.score:g} / {verdict.points:g} points"
    if verdict.passed:
        return nbformat.v4.new_output("stream", name="stdout",
                                      text=f"passed ({points}): the grader ran this check on your function, "
                                           "public and hidden cases.\n")
    text = f"{verdict.status.value} ({points}): {verdict.message}"
    return nbformat.v4.new_output("error", ename="CheckFailed", evalue=text, traceback=[text])


def show_verdicts(path: Path, verdicts: list[Verdict]) -> bool:
    """Replace the outputs of every test cell of the notebook at ``path`` with its verdict.

    The file is untrusted (written in the sandbox): one that cannot be read is left
    as it is (its feedback then shows no verdicts; the scores do not depend on it).
    """
    by_id = {v.grade_id: v for v in verdicts}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - untrusted file
        return False
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or not is_test_cell(cell):
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if isinstance(grade_id, str) and grade_id in by_id:
            cell["outputs"] = [verdict_output(by_id[grade_id])]
    try:
        nbformat.write(nb, path)
    except Exception:  # noqa: BLE001 - an invalid notebook stays as the sandbox wrote it
        return False
    return True
