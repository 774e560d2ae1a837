"""The compute-budget knob.

Students see full-size searches; nbgrader and the test suite run the same
notebook with small budgets so that grading stays fast. A notebook writes::

    N_TRIALS = helpers.budget(full=60, fast=8)

and gets 60 in JupyterLab, 8 under ``nbgrader autograde``.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

#: Environment variable that nbgrader sets while it executes a submission.
NBGRADER_VARIABLE = "NBGRADER_EXECUTION"
#: Environment variable a person (or a test) sets to force fast mode.
FAST_VARIABLE = "WEEK08_FAST"


def fast_mode() -> bool:
    """Return True when notebooks should run with small budgets.

    Fast mode is on when nbgrader is autograding (``NBGRADER_EXECUTION`` is
    ``autograde`` or ``validate``) or when ``WEEK08_FAST`` is set to ``1``,
    ``true`` or ``yes``. ``WEEK08_FAST=0`` forces full mode even under nbgrader.
    """
    forced = os.environ.get(FAST_VARIABLE, "").strip().lower()
    if forced in {"0", "false", "no"}:
        return False
    if forced in {"1", "true", "yes"}:
        return True
    return os.environ.get(NBGRADER_VARIABLE, "") in {"autograde", "validate"}


def budget(full: T, fast: T) -> T:
    """Pick a budget for the current mode.

    Parameters
    ----------
    full:
        Value used when a student runs the notebook (the full-size experiment).
    fast:
        Value used under grading or with ``WEEK08_FAST=1``.

    Returns
    -------
    The value for the current mode, ``full`` or ``fast``.
    """
    return fast if fast_mode() else full


#: Snapshot of :func:`fast_mode` when ``helpers`` was imported.
FAST: bool = fast_mode()
