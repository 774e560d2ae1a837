"""One test per question of the assignment, graded against ``--submission`` (see conftest.py).

The submission is graded exactly as ``make grade`` grades it (sandboxed execution,
trusted decision), in a throw-away copy of the course; each question's test fails
with the grader's reason, including the TA-only detail of hidden cases.
"""

import functools
import shutil
import tempfile
from pathlib import Path

import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.grade import Paths, grade_class, load_results


@functools.cache
def _graded(folder: str):
    source = Path(folder).resolve()
    student = source.parent.name if source.name == ASSIGNMENT else source.name
    root = Path(tempfile.mkdtemp(prefix="week08-pytest-"))
    shutil.copyfile(COURSE_ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(COURSE_ROOT / "solutions", root / "solutions")
    shutil.copytree(source, root / "submitted" / student / ASSIGNMENT)
    grade_class(root / "submitted", root=root, student=student)
    return load_results(Paths(root))[student]


def test_question(submission, question):
    result = _graded(str(submission))
    key = f"{question.notebook}:{question.grade_id}"
    score = result.scores.get(key, 0.0)
    if score < question.points:
        reason = result.details.get(key) or next(
            (line.partition(": ")[2] for line in result.questions if line.startswith(key + ":")),
            result.problems.get(question.notebook, "not graded"))
        pytest.fail(f"{question.points - score:g} points lost: {reason}", pytrace=False)
