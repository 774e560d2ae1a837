"""Run nbgrader's command line from Python, with the virtual environment on PATH.

nbgrader shells out to ``alembic`` when it opens a gradebook, so the folder of
the running interpreter must be on ``PATH`` even when ``make`` was not started
from an activated environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from autograde import COURSE_ROOT


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The current environment with this interpreter's ``bin/`` first on ``PATH``."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.pop("MPLBACKEND", None)  # Agg here would drop the figures from executed notebooks
    # Small data: multi-threaded BLAS only adds overhead (8-20x on 2 busy cores). One OpenMP thread
    # also keeps the call servers safe: GNU libgomp's thread pool does not survive fork(), and a
    # forked call that uses OpenMP (scikit-learn's KNN, for one) after a multi-threaded region hangs.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    if extra:
        env.update(extra)
    return env


def grading_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment student code runs in while ``make grade`` grades it.

    As :func:`environment`, and joblib runs sequentially (``JOBLIB_MULTIPROCESSING=0``):
    grading already keeps every core busy with one student each, so ``n_jobs=-1`` in
    a student's search would only start a pool of worker processes (about a second
    each time) that competes with the other students. Results do not change: the
    searches are seeded and ``n_jobs`` keeps the value the student set.
    """
    return environment({"JOBLIB_MULTIPROCESSING": "0", **(extra or {})})


def run_nbgrader(
    args: Sequence[str],
    *,
    course_root: Path = COURSE_ROOT,
    extra_env: Mapping[str, str] | None = None,
    check: bool = True,
    capture: bool = False,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` in ``course_root`` (where ``nbgrader_config.py`` lives).

    Parameters
    ----------
    args:
        The nbgrader sub-command and its options, e.g. ``["autograde", "week08"]``.
    course_root:
        Folder to run in; ``--CourseDirectory.root`` is set to it.
    extra_env:
        Variables to add to the environment of the nbgrader process.
    check:
        Raise :class:`subprocess.CalledProcessError` on a non-zero exit.
    capture:
        Capture standard output and error (as text) instead of passing them through.
    timeout:
        Seconds before the whole nbgrader process is killed.
    """
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course_root}"]
    return subprocess.run(
        command,
        cwd=course_root,
        env=environment(extra_env),
        check=check,
        capture_output=capture,
        text=True,
        timeout=timeout,
    )
