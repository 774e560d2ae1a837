"""Public checks: the part of each exercise's check that students can run.

Each notebook has a module here (``helpers.checks.nb01`` for notebook 01) with
one ``check_<exercise>`` function per graded exercise. A check calls the
student's function on known inputs and compares the result with an oracle (a
scikit-learn equivalent, a fact from the lecture, or an invariant), raising
:class:`CheckFailed` with a message in plain words on the first difference.

The hidden part of each check lives in ``autograde.checks`` (not shipped to
students): it calls the *same* public check function with unseen inputs and
with the reference solution as the oracle. So a check is written once and used
by the notebook's test cells, by the project's pytest suite and by a TA's
``pytest autograde --submission ...`` run.
"""

from helpers.checks.core import (
    CheckFailed,
    check,
    expect,
    expect_close,
    expect_equal,
    results,
    summary,
)

__all__ = [
    "CheckFailed",
    "check",
    "expect",
    "expect_close",
    "expect_equal",
    "results",
    "summary",
]
