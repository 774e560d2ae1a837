"""A TA's pytest run over one submission.

    pytest autograde --submission submitted/alice/week08

grades the submission exactly as ``make grade`` does (in a throw-away copy of the
course) and reports one pytest test per question, with the grader's reason for
every point lost (see :mod:`autograde.test_submission`).
"""

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption("--submission", action="store", default=None,
                     help="folder of one student's notebooks, e.g. submitted/alice/week08")


@pytest.fixture(scope="session")
def submission(request) -> Path:
    value = request.config.getoption("--submission")
    if not value:
        pytest.skip("give --submission submitted/<student>/week08 to grade one submission")
    return Path(value)


def pytest_generate_tests(metafunc):
    if "question" in metafunc.fixturenames:
        from autograde.catalog import all_exercises

        exercises = all_exercises()
        metafunc.parametrize("question", exercises,
                             ids=[f"{ex.notebook}:{ex.grade_id}" for ex in exercises])
