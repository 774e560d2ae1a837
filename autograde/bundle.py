"""``make student-bundle``: what students receive, and nothing else.

Builds ``dist/week08-student/`` and ``dist/week08-student.zip`` with the released
notebooks, the ``helpers`` package (public checks included), ``data/``, a student
``pyproject.toml`` and ``environment.yml`` (the course's dependencies without the
grading tools), a student README and a Makefile with ``setup``, ``lab`` and
``check``. No solutions, hidden tests, grader, gradebook or tests are copied.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

from autograde import ASSIGNMENT, COURSE_ROOT

NAME = "week08-student"
#: Packages only the grader needs.
GRADING_ONLY = ("nbgrader", "dask", "distributed")
FILES = Path(__file__).resolve().parent / "student_files"


def _student_pyproject(text: str) -> str:
    grading_only = "|".join(GRADING_ONLY)
    text = re.sub(rf'(?m)^\s*"(?:{grading_only})[^"]*",\n', "", text)
    text = re.sub(r'(?ms)^\[project\.optional-dependencies\].*?(?=^\[)', "", text)
    text = re.sub(r'(?ms)^\[tool\.(?:pytest|ruff)[^\]]*\].*?(?=^\[|\Z)', "", text)
    text, count = re.subn(r'(?m)^packages = \[.*\]$', 'packages = ["helpers", "helpers.checks"]', text)
    if count != 1:
        raise SystemExit("pyproject.toml: no `packages = [...]` line under [tool.setuptools] to rewrite")
    return text.replace('name = "week08-tuning"', 'name = "week08-student"')


def _student_environment(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not any(f"- {pkg}" in line for pkg in GRADING_ONLY))


def build(out: Path, root: Path = COURSE_ROOT) -> Path:
    """Build the bundle folder and zip under ``out``; return the zip's path."""
    folder = out / NAME
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    shutil.copytree(root / "notebooks" / ASSIGNMENT, folder / "notebooks" / ASSIGNMENT, ignore=ignore)
    shutil.copytree(root / "helpers", folder / "helpers", ignore=ignore)
    shutil.copytree(root / "data", folder / "data", ignore=ignore)
    (folder / "pyproject.toml").write_text(_student_pyproject((root / "pyproject.toml").read_text()))
    (folder / "environment.yml").write_text(_student_environment((root / "environment.yml").read_text()))
    for name in ("README.md", "Makefile", ".gitignore"):
        shutil.copyfile(FILES / name, folder / name)
    archive = out / f"{NAME}.zip"
    archive.unlink(missing_ok=True)
    epoch = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else None
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo.from_file(path, str(Path(NAME) / path.relative_to(folder)))
                if epoch is not None:  # a reproducible build: every file at that time
                    info.date_time = time.gmtime(max(epoch, 315532800))[:6]
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=COURSE_ROOT / "dist")
    args = parser.parse_args(argv)
    archive = build(args.out)
    print(f"wrote {archive} and {archive.with_suffix('')}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
