"""Shared fixtures: a scratch course root holding only notebook 01, and fast grading settings."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from autograde import ASSIGNMENT, COURSE_ROOT

FIRST = "01_manual_grid_search"

# Fast mode for notebook runs; single-threaded BLAS (small data, 2 cores).
os.environ.setdefault("WEEK08_FAST", "1")
if os.environ.get("PYTEST_XDIST_WORKER"):  # `make test` runs one test file per core: one student at a time each
    os.environ.setdefault("WEEK08_JOBS", str(max(1, (os.cpu_count() or 1) // int(
        os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))))
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
# trackio files written by in-process checks stay in the course (git-ignored .trackio/), never ~/.cache.
(COURSE_ROOT / ".trackio").mkdir(exist_ok=True)
os.environ.setdefault("WEEK08_TRACKIO_DIR", tempfile.mkdtemp(prefix="tests-", dir=COURSE_ROOT / ".trackio"))


def make_course(root: Path, notebooks: list[str]) -> Path:
    """A course root with ``nbgrader_config.py`` and the given solution and released notebooks."""
    shutil.copyfile(COURSE_ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for folder in ("solutions", "notebooks"):
        (root / folder / ASSIGNMENT).mkdir(parents=True)
        for name in notebooks:
            shutil.copyfile(COURSE_ROOT / folder / ASSIGNMENT / f"{name}.ipynb",
                            root / folder / ASSIGNMENT / f"{name}.ipynb")
    return root


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A scratch course root with notebook 01 only (grading it takes seconds, not minutes)."""
    return make_course(tmp_path / "course", [FIRST])


#: Test files that take minutes (they grade whole classes), longest first. `make test` runs one file per
#: core (``--dist loadfile``) and hands out files in collection order, so starting with the longest keeps
#: both cores busy to the end instead of leaving one long file running alone.
SLOWEST_FIRST = ["test_hostile.py", "test_attacks.py", "test_cluster.py", "test_resume.py", "test_migrate.py",
                 "test_grade.py", "test_validate.py", "test_malformed.py", "test_student_names.py",
                 "test_bundle.py", "test_safe_html.py", "test_release.py"]


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order
