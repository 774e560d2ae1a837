"""``make student-bundle``: what students receive holds no solution, hidden test or grader internals."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile

import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.bundle import NAME, build
from autograde.catalog import notebook_names
from tests.test_release import distinctive_solution_lines


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    archive = build(out)
    with zipfile.ZipFile(archive) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    return {"archive": archive, "folder": out / NAME, "files": files}


def test_bundle_has_what_students_need(bundle):
    names = set(bundle["files"])
    for required in ["README.md", "Makefile", "environment.yml", "pyproject.toml",
                     "helpers/__init__.py", "helpers/checks/nb01.py", "data/SHA256SUMS"]:
        assert f"{NAME}/{required}" in names, required
    for notebook in notebook_names():
        assert f"{NAME}/notebooks/{ASSIGNMENT}/{notebook}.ipynb" in names


def test_bundle_contains_no_solution_hidden_test_or_grader(bundle):
    for name, data in bundle["files"].items():
        assert "/autograde/" not in name and "/solutions/" not in name and "/tests/" not in name, name
        assert not name.endswith((".db", "grades.csv")), name
        text = data.decode("utf-8", errors="ignore")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "from autograde",
                       "import autograde"):
            assert marker not in text, (marker, name)


def test_bundle_contains_no_reference_line_and_no_solution_file(bundle):
    everything = "\n".join(d.decode("utf-8", errors="ignore") for d in bundle["files"].values())
    for notebook in notebook_names():
        leaked = [line for line in distinctive_solution_lines(notebook) if line in everything]
        assert not leaked, (notebook, leaked[:3])
    solution_hashes = {hashlib.sha256(p.read_bytes()).hexdigest()
                       for p in (COURSE_ROOT / "solutions").rglob("*") if p.is_file()}
    assert not solution_hashes & {hashlib.sha256(d).hexdigest() for d in bundle["files"].values()}


def test_student_makefile_has_only_setup_lab_and_check(bundle):
    makefile = bundle["files"][f"{NAME}/Makefile"].decode()
    assert ".PHONY: setup lab check" in makefile
    assert "nbgrader" not in bundle["files"][f"{NAME}/pyproject.toml"].decode()


@pytest.mark.slow
def test_make_check_runs_inside_the_unpacked_bundle(bundle):
    """The bundle's own `make check`, with this course's interpreter standing in for its .venv."""
    folder = bundle["folder"]
    (folder / ".venv").mkdir()
    (folder / ".venv" / ".installed").write_text("")
    os.utime(folder / ".venv" / ".installed", (2**31, 2**31))  # newer than pyproject.toml: no install
    env = dict(os.environ, PYTHONPATH=str(folder))  # the bundle's helpers, not the course's
    done = subprocess.run(["make", "-s", "check", f"PY={sys.executable}"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "public checks pass" in done.stdout
    assert "0 of" in done.stdout.splitlines()[-1]  # the notebooks as released: nothing passes yet
