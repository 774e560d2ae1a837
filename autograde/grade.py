"""``make grade``: grade a class with nbgrader, write feedback and ``grades.csv``.

Steps, for the submissions in ``submitted/`` (or the demo class in
``demo/submitted/`` when ``submitted/`` holds no student):

1. record the assignment in the gradebook (``nbgrader generate_assignment`` into a
   scratch folder: ``notebooks/`` is not touched);
2. check and copy each submission into ``.grading/submitted/`` (the originals are
   never modified); a notebook that cannot be read scores 0 with a clear message;
3. ``nbgrader autograde`` and ``nbgrader generate_feedback`` for each student that is
   new or changed since the last run (by content hash; ``--force`` regrades all,
   ``--student ID`` one student); each student is graded by its own nbgrader process,
   so one broken submission cannot stop the others;
4. write ``grades.csv`` and a per-student ``feedback/<student>/week08/index.html``.

Results are saved per student as soon as that student is done, so an interrupted
run loses nothing already graded and the next run resumes.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import notebook_names
from autograde.export import columns, student_scores, write_grades
from autograde.nbgrader_cli import run_nbgrader
from autograde.release import generate
from autograde.submissions import Submission, find_students, stage

#: Seconds one student's whole autograde may take before it is stopped.
SUBMISSION_TIMEOUT = int(os.environ.get("WEEK08_SUBMISSION_TIMEOUT", "900"))


@dataclass
class Result:
    """What grading one student produced (saved as ``.grading/results/<student>.json``)."""

    student: str
    content_hash: str
    status: str = "ok"
    messages: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Paths:
    """Where grading reads and writes, relative to one course root."""

    root: Path

    @property
    def work(self) -> Path:
        return self.root / ".grading"

    @property
    def staged(self) -> Path:
        return self.work / "submitted"

    @property
    def results(self) -> Path:
        return self.work / "results"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def grades(self) -> Path:
        return self.root / "grades.csv"

    def feedback(self, student: str) -> Path:
        return self.root / "feedback" / student / ASSIGNMENT

    def autograded(self, student: str) -> Path:
        return self.root / "autograded" / student / ASSIGNMENT


def default_submitted(root: Path) -> Path:
    """``submitted/`` when it holds students, otherwise the shipped demo class."""
    submitted = root / "submitted"
    return submitted if find_students(submitted) else root / "demo" / "submitted"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def grade_student(sub: Submission, paths: Paths, notebooks: list[str]) -> Result:
    """Autograde one student and generate their feedback; never raises for bad input."""
    start = time.perf_counter()
    result = Result(sub.student, sub.content_hash())
    stage(sub, notebooks, paths.staged)
    result.problems = dict(sub.problems)
    result.messages = list(sub.notes)
    if sub.problems:
        result.status = "malformed" if any("missing" not in p for p in sub.problems.values()) else "missing notebook"
    if sub.staged:
        trackio_dir = Path(tempfile.mkdtemp(prefix=f"trackio-{sub.student}-", dir=paths.work))
        env = {"WEEK08_TRACKIO_DIR": str(trackio_dir)}
        common = [f"--student={sub.student}", "--force", "--log-level=WARN"]
        try:
            done = run_nbgrader(
                ["autograde", ASSIGNMENT, *common,
                 f"--CourseDirectory.submitted_directory={_relative(paths.staged, paths.root)}"],
                course_root=paths.root, extra_env=env, check=False, capture=True,
                timeout=SUBMISSION_TIMEOUT)
            if done.returncode != 0:
                result.status = "error"
                result.messages.append("nbgrader could not grade this submission: "
                                       + _last_error_line(done.stderr))
            run_nbgrader(["generate_feedback", ASSIGNMENT, *common], course_root=paths.root,
                         check=False, capture=True, timeout=300)
        except subprocess.TimeoutExpired:
            result.status = "timed out"
            result.messages.append(f"grading stopped after {SUBMISSION_TIMEOUT} s for the whole submission.")
        finally:
            shutil.rmtree(trackio_dir, ignore_errors=True)
        timed_out = _timed_out_notebooks(paths.autograded(sub.student))
        if timed_out and result.status == "ok":
            result.status = "timed out"
        for name in timed_out:
            result.messages.append(f"{name}: a cell ran longer than the per-cell limit and was stopped.")
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def _last_error_line(stderr: str) -> str:
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    return (errors or lines or ["unknown error"])[-1][:300]


def _timed_out_notebooks(folder: Path) -> list[str]:
    names = []
    for path in sorted(folder.glob("*.ipynb")):
        text = path.read_text(errors="replace")
        if "CellTimeoutError" in text or "Cell execution timed out" in text:
            names.append(path.stem)
    return names


def write_index(result: Result, paths: Paths, cols: list, scores: dict[str, float]) -> None:
    """Write ``feedback/<student>/week08/index.html``: every question, score and message."""
    folder = paths.feedback(result.student)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for col in cols:
        if col.grade_id is None:
            link = f"{col.notebook}.html"
            problem = result.problems.get(col.notebook)
            status = html.escape(problem) if problem else f'<a href="{link}">feedback</a>'
            rows.append(f"<tr class='nb'><th>{html.escape(col.notebook)}</th>"
                        f"<th>{scores.get(col.name, 0):g} / {col.max_points:g}</th><th>{status}</th></tr>")
        else:
            rows.append(f"<tr><td>&nbsp;&nbsp;{html.escape(col.grade_id)}</td>"
                        f"<td>{scores.get(col.name, 0):g} / {col.max_points:g}</td><td></td></tr>")
    total = sum(scores.get(c.name, 0) for c in cols if c.grade_id is None)
    maximum = sum(c.max_points for c in cols if c.grade_id is None)
    notes = "".join(f"<li>{html.escape(m)}</li>" for m in result.messages)
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{ASSIGNMENT}: {html.escape(result.student)}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}td,th{{padding:2px 10px;text-align:left}}
tr.nb th{{border-top:1px solid #999}}</style></head><body>
<h1>{ASSIGNMENT} feedback for {html.escape(result.student)}</h1>
<p>Total: <b>{total:g} / {maximum:g}</b> &middot; status: {html.escape(result.status)}</p>
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
<table>{''.join(rows)}</table></body></html>
"""
    (folder / "index.html").write_text(page)
    for notebook, problem in result.problems.items():
        (folder / f"{notebook}.html").write_text(
            f"<!doctype html><html><body><h1>{html.escape(notebook)}</h1>"
            f"<p>This notebook was not graded: {html.escape(problem)}</p>"
            "<p>It scores 0. Ask your TA if you think this is wrong.</p></body></html>\n")


def load_results(paths: Paths) -> dict[str, Result]:
    """Saved per-student results of earlier runs."""
    out = {}
    for path in sorted(paths.results.glob("*.json")):
        data = json.loads(path.read_text())
        out[data["student"]] = Result(**data)
    return out


def save_result(result: Result, paths: Paths) -> None:
    """Save one student's result atomically (a crash leaves the old file or the new one)."""
    paths.results.mkdir(parents=True, exist_ok=True)
    tmp = paths.results / f".{result.student}.json.tmp"
    tmp.write_text(json.dumps(asdict(result), indent=1, sort_keys=True))
    tmp.replace(paths.results / f"{result.student}.json")


def grade_class(submitted: Path, root: Path = COURSE_ROOT, student: str | None = None,
                force: bool = False) -> Path:
    """Grade every (new or changed) submission under ``submitted``; return ``grades.csv``'s path."""
    paths = Paths(root)
    paths.work.mkdir(exist_ok=True)
    notebooks = notebook_names(root)
    with tempfile.TemporaryDirectory(prefix="release-", dir=paths.work) as scratch:
        generate(Path(scratch), course_root=root)
    students = find_students(submitted)
    if student:
        if student not in students:
            raise SystemExit(f"no submission for {student!r} under {submitted}")
        todo = [student]
    else:
        todo = students
    previous = load_results(paths)
    cols = columns(paths.db_url)
    print(f"grading {submitted} ({len(students)} students) with notebooks: {', '.join(notebooks)}")
    for position, name in enumerate(todo, 1):
        sub = Submission(name, submitted / name / ASSIGNMENT)
        old = previous.get(name)
        if old and not force and not student and old.content_hash == sub.content_hash():
            print(f"[{position}/{len(todo)}] {name}: unchanged, kept earlier result")
            continue
        result = grade_student(sub, paths, notebooks)
        save_result(result, paths)
        previous[name] = result
        scores = student_scores(paths.db_url, name)
        write_index(result, paths, cols, scores)
        total = sum(scores.get(c.name, 0) for c in cols if c.grade_id is None)
        print(f"[{position}/{len(todo)}] {name}: {total:g} points, {result.status} ({result.seconds:.1f} s)")
    graded = {name: previous[name] for name in students if name in previous}
    write_grades(paths.grades, cols,
                 {name: student_scores(paths.db_url, name) for name in graded},
                 {name: r.status for name, r in graded.items()})
    print(f"wrote {_relative(paths.grades, root)} and feedback/ for {len(graded)} students")
    return paths.grades


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade a class: nbgrader autograde, feedback, grades.csv.")
    parser.add_argument("--submitted", type=Path, default=None,
                        help="folder of <student>/week08/ submissions (default: submitted/, "
                             "or demo/submitted/ when submitted/ is empty)")
    parser.add_argument("--student", help="regrade only this student")
    parser.add_argument("--force", action="store_true", help="regrade everyone, changed or not")
    parser.add_argument("--root", type=Path, default=COURSE_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    submitted = (args.submitted or default_submitted(root)).resolve()
    grade_class(submitted, root=root, student=args.student, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
