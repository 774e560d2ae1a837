"""One test per question of the assignment, run against ``--submission`` (see conftest.py)."""

import functools
from pathlib import Path

import pytest

from autograde.catalog import solution_notebooks
from autograde.verify import verify_notebook


@functools.cache
def _verdicts(folder: str, notebook: str) -> dict:
    solution_path = next(p for p in solution_notebooks() if p.stem == notebook)
    submitted = Path(folder) / solution_path.name
    if not submitted.exists():
        return {}
    return {v.grade_id: v for v in verify_notebook(submitted, solution_path)}


def test_question(submission, question):
    verdicts = _verdicts(str(submission), question.notebook)
    if not verdicts:
        pytest.fail(f"{question.notebook}.ipynb is missing from {submission}")
    verdict = verdicts[question.grade_id]
    if not verdict.passed:
        pytest.fail(f"{question.points:g} points lost: {verdict.message}", pytrace=False)
