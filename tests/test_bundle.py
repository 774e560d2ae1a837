"""``make student-bundle``: what students receive holds no solution, hidden test or grader internals."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
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


def test_student_makefile_has_only_the_students_targets(bundle):
    makefile = bundle["files"][f"{NAME}/Makefile"].decode()
    assert ".PHONY: setup lab check dashboard" in makefile
    for grading_only in ("nbgrader", "dask", "distributed", "autograde"):
        assert grading_only not in bundle["files"][f"{NAME}/pyproject.toml"].decode(), grading_only


def test_every_make_command_a_notebook_tells_students_to_run_is_in_the_bundle(bundle):
    makefile = bundle["files"][f"{NAME}/Makefile"].decode()
    targets = set(re.findall(r"(?m)^([a-z][a-z-]*):", makefile))
    told = set()
    for notebook in notebook_names():
        cells = json.loads(bundle["files"][f"{NAME}/notebooks/{ASSIGNMENT}/{notebook}.ipynb"])["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
        told |= set(re.findall(r"`make ([a-z][a-z-]*)`", text)) | set(re.findall(r"(?m)^\s*make ([a-z][a-z-]*)", text))
    assert {"check", "dashboard"} <= told
    assert told <= targets, told - targets


def test_the_bundle_ignores_what_students_should_not_commit(bundle):
    ignored = bundle["files"][f"{NAME}/.gitignore"].decode().split()
    assert {".venv/", ".trackio/", ".ipynb_checkpoints/", "__pycache__/"} <= set(ignored)


def test_zip_entries_carry_the_files_real_times(bundle):
    with zipfile.ZipFile(bundle["archive"]) as zf:
        stamps = {info.filename: info.date_time for info in zf.infolist()}
    notebook = f"{NAME}/notebooks/{ASSIGNMENT}/{notebook_names()[0]}.ipynb"
    expected = time.localtime((bundle["folder"] / "notebooks" / ASSIGNMENT / f"{notebook_names()[0]}.ipynb")
                              .stat().st_mtime)[:6]
    assert stamps[notebook][:5] == expected[:5]


@pytest.mark.slow
def test_the_bundle_installs_quietly_with_pip(bundle, tmp_path):
    """`make setup`'s install step (without the dependencies, which this machine already has)."""
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    done = subprocess.run([str(tmp_path / "venv" / "bin" / "pip"), "install", "--quiet", "--no-deps", "-e", "."],
                          cwd=bundle["folder"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr


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
