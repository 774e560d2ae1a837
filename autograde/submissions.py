"""Finding, validating and staging submissions.

Submissions are read-only inputs: nothing under the submitted folder is ever
written. Each student's notebooks are checked (readable JSON, a notebook format
nbgrader can grade) and copied into a scratch folder, ``.grading/submitted``,
which is what nbgrader actually grades. A notebook that cannot be graded is left
out of the scratch copy and reported as a problem, so it scores 0 with a clear
message instead of stopping the run.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograde import ASSIGNMENT

#: Larger notebooks are refused (megabytes of output would slow everyone down).
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass
class Submission:
    """One student's submission and what was found wrong with it."""

    student: str
    folder: Path  # submitted/<student>/<assignment>
    problems: dict[str, str] = field(default_factory=dict)  # notebook -> message
    notes: list[str] = field(default_factory=list)  # messages not tied to one notebook
    staged: list[str] = field(default_factory=list)  # notebooks handed to nbgrader

    def content_hash(self) -> str:
        """SHA-256 over the names and bytes of every file in the submission."""
        digest = hashlib.sha256()
        if self.folder.is_dir():
            for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(self.folder)).encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
                digest.update(b"\0")
        return digest.hexdigest()


#: Folders tools leave next to submissions; they are not students and are skipped without a word.
NOT_STUDENTS = {".ipynb_checkpoints", ".git", ".DS_Store", "__MACOSX", ".Trash-0"}
#: Longest student id (a folder name) the grader accepts.
MAX_STUDENT_ID = 64
#: Characters a student id may hold besides letters and digits (any script).
ID_PUNCTUATION = "._@+-"


def student_id_problem(name: str) -> str | None:
    """Why a folder name cannot be a student id, or None when it can.

    Ids become folder names, command arguments, gradebook keys and spreadsheet cells,
    so they are letters and digits (any script) plus ``._@+-``, start with a letter or
    digit (never ``-`` or ``.``) and are at most :data:`MAX_STUDENT_ID` characters.
    """
    if not name or len(name) > MAX_STUDENT_ID:
        return f"a student id must be 1 to {MAX_STUDENT_ID} characters long"
    if not name[0].isalnum():
        return "a student id must start with a letter or a digit"
    bad = sorted({c for c in name if not (c.isalnum() or c in ID_PUNCTUATION)})
    if bad:
        shown = ", ".join(repr(c) for c in bad[:5])
        return f"a student id may hold only letters, digits and {' '.join(ID_PUNCTUATION)} (found {shown})"
    return None


def find_students(submitted: Path) -> list[str]:
    """Student ids (folder names) under ``submitted``, sorted; folders that cannot be ids are left out."""
    return sorted(name for name, problem in _folders(submitted).items() if problem is None)


def refused_students(submitted: Path) -> dict[str, str]:
    """Folders under ``submitted`` that are not graded, and why (shown in the run's summary)."""
    return {name: problem for name, problem in sorted(_folders(submitted).items()) if problem is not None}


def _folders(submitted: Path) -> dict[str, str | None]:
    if not submitted.is_dir():
        return {}
    out: dict[str, str | None] = {}
    for path in submitted.iterdir():
        if path.name in NOT_STUDENTS:
            continue
        if path.is_symlink():
            out[path.name] = "the folder is a symbolic link"
        elif path.is_dir():
            out[path.name] = student_id_problem(path.name)
    return out


def read_problem(path: Path) -> str | None:
    """Why a submitted notebook cannot be graded, or None when it can.

    nbformat 3 notebooks are upgraded by nbgrader's reader, so they are not a
    problem here; the caller notes the upgrade.
    """
    size = path.stat().st_size
    if size == 0:
        return "the file is empty (0 bytes): it was probably not saved before submitting."
    if size > MAX_NOTEBOOK_BYTES:
        return (f"the file is {size / 1e6:.0f} MB, over the {MAX_NOTEBOOK_BYTES // 2**20} MB limit: "
                "clear the outputs (Edit > Clear Outputs of All Cells), save and submit again.")
    try:
        raw = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"the file is not valid notebook JSON ({error}); it may have been edited outside Jupyter."
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return "the file is JSON but not a Jupyter notebook (no cells)."
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises several types here
        return f"the notebook structure is invalid ({type(error).__name__}: {str(error)[:200]})."
    return None


def _drop_duplicate_grade_ids(nb: nbformat.NotebookNode) -> list[str]:
    """Strip the nbgrader metadata of every repeated ``grade_id`` after its first cell."""
    seen: set[str] = set()
    repeated: list[str] = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            continue
        if grade_id in seen:
            del cell.metadata["nbgrader"]
            if grade_id not in repeated:
                repeated.append(grade_id)
        seen.add(grade_id)
    return repeated


def stage(submission: Submission, notebooks: list[str], scratch: Path) -> None:
    """Copy the gradable notebooks of a submission into ``scratch/<student>/<assignment>``.

    Fills ``submission.problems``, ``notes`` and ``staged``. Never writes into the
    submission itself.
    """
    target = scratch / submission.student / ASSIGNMENT
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    expected = set(notebooks)
    present = {p.stem: p for p in submission.folder.glob("*.ipynb")} if submission.folder.is_dir() else {}
    if not submission.folder.is_dir():
        submission.notes.append(f"no {ASSIGNMENT}/ folder in the submission.")
    extras = sorted(set(present) - expected)
    for name in notebooks:
        path = present.get(name)
        renamed = [e for e in extras if e.startswith(name[:3])] if path is None else []
        if len(renamed) == 1:  # "01_tiny (1).ipynb": an LMS or a browser renamed it
            path = present[renamed[0]]
            extras.remove(renamed[0])
            submission.notes.append(f"{renamed[0]}.ipynb was graded as {name}.ipynb (it looks renamed).")
        if path is None:
            submission.problems[name] = f"{name}.ipynb is missing from the submission."
            continue
        problem = read_problem(path)
        if problem:
            submission.problems[name] = problem
            continue
        nb = nbformat.read(path, as_version=4)
        duplicates = _drop_duplicate_grade_ids(nb)
        if duplicates:
            submission.notes.append(
                f"{name}.ipynb: {', '.join(duplicates)} appeared more than once (copied cells); "
                "the first copy was graded and the others kept as ordinary cells.")
        if json.loads(path.read_bytes()).get("nbformat", 4) < 4:
            submission.notes.append(f"{name}.ipynb was in the old notebook format 3 and was upgraded.")
        nbformat.write(nb, target / f"{name}.ipynb")
        submission.staged.append(name)
    for extra in extras:
        submission.notes.append(f"{extra}.ipynb is not part of the assignment and was not graded.")
    timestamp = submission.folder / "timestamp.txt"
    if timestamp.is_file():
        shutil.copyfile(timestamp, target / "timestamp.txt")
