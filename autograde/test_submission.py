"""One test per question of the assignment, run against ``--submission`` (see conftest.py)."""

import functools
from pathlib import Path

import pytest

from autograde.verify import verify_submission


@functools.cache
def _verdicts(folder: str) -> dict:
    return {(v.notebook, v.grade_id): v for v in verify_submission(Path(folder))}


def test_question(submission, question):
    verdict = _verdicts(str(submission))[(question.notebook, question.grade_id)]
    if not verdict.passed:
        pytest.fail(f"{question.points:g} points lost: {verdict.message}", pytrace=False)
