"""``make grade``: grade a class with nbgrader, verify every score, write feedback and ``grades.csv``.

For the submissions in ``submitted/`` (or the demo class in ``demo/submitted/``
when ``submitted/`` holds no student):

1. record the assignment in the gradebook (``nbgrader generate_assignment`` into a
   scratch folder, only when the solutions or checks changed; ``notebooks/`` is not touched);
2. for each student that is new or changed since the last run (content hash of the
   submission and of the solutions and checks; ``--force`` regrades all,
   ``--student ID`` one), in parallel (``--jobs``, default: one per core), in a
   scratch course of its own under ``.grading/work/<student>``:

   - check and copy the notebooks (the originals are never modified; a notebook
     that cannot be read scores 0 with a clear message);
   - nbgrader's autograde and generate_feedback (:mod:`autograde.sandboxed.nbgrader_run`,
     warm kernels forked from :mod:`autograde.sandboxed.kernel_zygote`) inside the sandbox
     (:mod:`autograde.sandbox`: limits, no network, read-only view, grading state hidden);
   - the independent verifier (:mod:`autograde.verify`), alongside nbgrader when a
     core is spare; for every question the lower of nbgrader's and the verifier's
     scores stands, and a disagreement flags the submission for review;

3. merge each finished student into the gradebook (manual grades entered in the
   formgrader are kept), copy their ``autograded/`` and ``feedback/`` folders,
   and save their result, so an interrupted run loses nothing already graded;
4. write ``grades.csv`` and the class report (``class_report/index.html``).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from tqdm import tqdm

from autograde import ASSIGNMENT, COURSE_ROOT, sandbox
from autograde.catalog import notebook_names
from autograde.outputs.export import Column, columns, student_scores, write_grades
from autograde.nbgrader_cli import environment, grading_environment
from autograde.sandboxed.nbgrader_run import STAGES_MARKER
from autograde.release import generate
from autograde.submissions import Submission, find_students, stage
from autograde.verify import hidden_paths

#: Seconds one student's whole autograde may take before it is stopped.
SUBMISSION_TIMEOUT = int(os.environ.get("WEEK08_SUBMISSION_TIMEOUT", "900"))
#: Most severe first: the status column shows the first that applies.
SEVERITY = ["flagged", "error", "timed out", "malformed", "missing notebook", "ok"]


@dataclass
class Result:
    """What grading one student produced (saved as ``.grading/results/<student>.json``)."""

    student: str
    content_hash: str
    status: str = "ok"
    messages: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # final, per column name
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage (autograde, feedback, verify)

    def add_status(self, status: str) -> None:
        if SEVERITY.index(status) < SEVERITY.index(self.status):
            self.status = status


@dataclass
class Paths:
    """Where grading reads and writes, relative to one course root."""

    root: Path

    @property
    def work(self) -> Path:
        return self.root / ".grading"

    @property
    def results(self) -> Path:
        return self.work / "results"

    @property
    def template_db(self) -> Path:
        return self.work / "template.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def grades(self) -> Path:
        return self.root / "grades.csv"

    def scratch(self, student: str) -> Path:
        """The student's scratch course, the only folder its nbgrader run may write."""
        return self.work / "work" / student

    def verification(self, student: str) -> Path:
        """The verifier's folder for a student: hidden from that student's nbgrader run."""
        return self.work / "verify" / student


def default_submitted(root: Path) -> Path:
    """``submitted/`` when it holds students, otherwise the shipped demo class."""
    submitted = root / "submitted"
    return submitted if find_students(submitted) else root / "demo" / "submitted"


def grading_key(root: Path) -> str:
    """Hash of what grading depends on besides the submission: solutions and checks."""
    digest = hashlib.sha256()
    files = sorted((root / "solutions").rglob("*.ipynb")) + sorted((COURSE_ROOT / "helpers").rglob("*.py")) \
        + sorted((COURSE_ROOT / "autograde").rglob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# -- one student, in a worker thread -------------------------------------------------------


def _nbgrader(student: str, scratch: Path, jail: sandbox.Jail, timeout: float):
    """Autograde and generate feedback (:mod:`autograde.sandboxed.nbgrader_run`) in the sandbox."""
    env = grading_environment({
        "HOME": str(scratch / "home"), "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "IPYTHONDIR": str(scratch / "ipython"), "MPLCONFIGDIR": str(scratch / "mpl"),
        "TMPDIR": str(scratch / "tmp"), "WEEK08_TRACKIO_DIR": str(scratch / "trackio"),
    })
    for folder in ("home", "runtime", "ipython", "mpl", "tmp", "trackio"):
        (scratch / folder).mkdir(exist_ok=True)
    command = [sys.executable, "-m", "autograde.sandboxed.nbgrader_run", student]
    return sandbox.run(command, name=f"{student}-nbgrader", jail=jail, timeout=timeout, cwd=scratch, env=env)


def _stages(stdout: str) -> dict[str, float]:
    """Seconds per nbgrader step, from the runner's last ``WEEK08-STAGES`` line (informational)."""
    for line in reversed((stdout or "").splitlines()):
        if line.startswith(STAGES_MARKER):
            try:
                return {k: float(v) for k, v in json.loads(line[len(STAGES_MARKER):]).items()}
            except (ValueError, AttributeError, TypeError):
                return {}
    return {}


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


def grade_student(sub: Submission, paths: Paths, notebooks: list[str], submitted: Path,
                  alongside: bool = False) -> Result:
    """Autograde, feedback and verify one student in a scratch course; never raises for bad input.

    With ``alongside`` the verifier runs at the same time as nbgrader (on a spare
    core, so a single student's regrade finishes sooner); otherwise after it (when
    every core is busy, running both at once would only make them compete). The
    verifier reads its own copy of the submission, in a folder the student's
    nbgrader run cannot see. Either way a question scores the lower of the two.
    """
    start = time.perf_counter()
    result = Result(sub.student, sub.content_hash())
    scratch = paths.scratch(sub.student)
    check_dir = paths.verification(sub.student)
    for folder in (scratch, check_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    shutil.copyfile(paths.root / "nbgrader_config.py", scratch / "nbgrader_config.py")
    shutil.copyfile(paths.template_db, scratch / "gradebook.db")
    stage(sub, notebooks, scratch / "submitted")
    result.problems = dict(sub.problems)
    result.messages = list(sub.notes)
    for problem in sub.problems.values():
        result.add_status("missing notebook" if "missing" in problem else "malformed")
    if not sub.staged:
        result.seconds = round(time.perf_counter() - start, 2)
        return result
    # The verifier reads its own copy, outside the folder the student's kernels can write.
    shutil.copytree(scratch / "submitted" / sub.student / ASSIGNMENT, check_dir / "submission")
    verifier = _start_verify(check_dir, paths) if alongside else None
    hidden = [p for p in hidden_paths(paths.root) if p.name != "solutions"] + [submitted]
    jail = sandbox.Jail(writable=scratch, hidden=hidden)
    clock = time.perf_counter()
    try:
        done = _nbgrader(sub.student, scratch, jail, SUBMISSION_TIMEOUT)
        result.stages = {"nbgrader": round(time.perf_counter() - clock, 2), **_stages(done.stdout)}
        if done.returncode != 0:
            result.add_status("error")
            result.messages.append("nbgrader could not grade this submission: " + _last_error_line(done.stderr))
    except subprocess.TimeoutExpired:
        result.add_status("timed out")
        result.messages.append(f"grading stopped after {SUBMISSION_TIMEOUT} s for the whole submission.")
    for name in _timed_out_notebooks(scratch / "autograded" / sub.student / ASSIGNMENT):
        result.add_status("timed out")
        result.messages.append(f"{name}: a cell ran longer than the per-cell limit and was stopped.")
    nbgrader_scores = student_scores(f"sqlite:///{scratch / 'gradebook.db'}", sub.student)
    clock = time.perf_counter()
    if verifier is None:
        verifier = _start_verify(check_dir, paths)
    verdicts = _finish_verify(verifier, check_dir)
    result.stages["verify"] = round(time.perf_counter() - clock, 2)
    result.scores, result.flags = _combine(nbgrader_scores, verdicts, sub.staged)
    if result.flags:
        result.add_status("flagged")
        result.messages += result.flags
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def _start_verify(folder: Path, paths: Paths) -> subprocess.Popen:
    """Start the independent verifier on the copy of the submission in ``folder/submission``."""
    command = [sys.executable, "-m", "autograde.verify", str(folder / "submission"), str(folder / "verdicts.json"),
               "--course-root", str(paths.root), "--scratch", str(folder / "scratch")]
    return subprocess.Popen(command, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finish_verify(process: subprocess.Popen, folder: Path) -> dict[str, dict] | None:
    """Wait for the verifier; ``{notebook:grade_id: verdict}``, or None if it failed."""
    try:
        process.communicate(timeout=SUBMISSION_TIMEOUT)
        return {f"{v['notebook']}:{v['grade_id']}": v for v in json.loads((folder / "verdicts.json").read_text())}
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _combine(nbgrader: dict[str, float], verdicts: dict[str, dict] | None,
             staged: list[str]) -> tuple[dict[str, float], list[str]]:
    """Per question, the lower of the two scores; messages for every disagreement and any tampering."""
    final: dict[str, float] = {}
    flags: list[str] = []
    if verdicts is None:
        return dict(nbgrader), ["the independent verifier could not run: scores are nbgrader's alone."]
    for key, verdict in sorted(verdicts.items()):
        notebook = key.split(":", 1)[0]
        if notebook not in staged:
            continue
        ours = verdict["points"] if verdict["passed"] else 0.0
        theirs = nbgrader.get(key, 0.0)
        final[key] = min(ours, theirs)
        if ours != theirs:
            why = verdict["message"] or "passed"
            flags.append(f"{key}: nbgrader gave {theirs:g}, the independent check gave {ours:g} ({why}); "
                         f"the lower score stands.")
        elif verdict.get("tampered"):
            flags.append(f"{key}: {verdict['message']}")
    return final, flags


# -- merging, in the main thread ----------------------------------------------------------


def record_in_gradebook(db_url: str, result: Result, flagged: set[str]) -> None:
    """Write the final scores into the course gradebook; manual grades are left as they are."""
    with warnings.catch_warnings(), Gradebook(db_url) as gb:
        warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy autoflush warnings
        gb.update_or_create_student(result.student)
        submission = gb.update_or_create_submission(ASSIGNMENT, result.student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = result.scores.get(f"{notebook.name}:{grade.name}", 0.0)
            notebook.flagged = notebook.name in flagged
        gb.db.commit()


def merge(result: Result, paths: Paths) -> None:
    """Bring one finished student into the course: gradebook, autograded/, feedback/, result file."""
    flagged = {flag.split(":", 1)[0] for flag in result.flags}
    record_in_gradebook(paths.db_url, result, flagged)
    scratch = paths.scratch(result.student)
    for folder in ("autograded", "feedback"):
        source = scratch / folder / result.student
        target = paths.root / folder / result.student
        shutil.rmtree(target, ignore_errors=True)
        if source.is_dir():
            shutil.copytree(source, target)
    save_result(result, paths)
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(paths.verification(result.student), ignore_errors=True)


def write_index(result: Result, paths: Paths, cols: list[Column], scores: dict[str, float]) -> None:
    """Write ``feedback/<student>/week08/index.html``: every question, score and message."""
    folder = paths.root / "feedback" / result.student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for col in cols:
        got = f"{scores.get(col.name, 0):g} / {col.max_points:g}"
        if col.grade_id is None:
            problem = result.problems.get(col.notebook)
            status = html.escape(problem) if problem else f'<a href="{col.notebook}.html">feedback</a>'
            rows.append(f"<tr class='nb'><th>{html.escape(col.notebook)}</th><th>{got}</th><th>{status}</th></tr>")
        else:
            rows.append(f"<tr><td>&nbsp;&nbsp;{html.escape(col.grade_id)}</td><td>{got}</td><td></td></tr>")
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
        try:
            data = json.loads(path.read_text())
            out[data["student"]] = Result(**data)
        except (ValueError, KeyError, TypeError):
            continue  # a damaged result file: that student is graded again
    return out


def save_result(result: Result, paths: Paths) -> None:
    """Save one student's result atomically (a crash leaves the old file or the new one)."""
    paths.results.mkdir(parents=True, exist_ok=True)
    tmp = paths.results / f".{result.student}.json.tmp"
    tmp.write_text(json.dumps(asdict(result), indent=1, sort_keys=True))
    tmp.replace(paths.results / f"{result.student}.json")


# -- the whole class ----------------------------------------------------------------------


def prepare(paths: Paths, key: str) -> None:
    """Record the assignment in the course gradebook and make an empty template gradebook.

    ``nbgrader generate_assignment`` costs about 5 s, so it runs only when the
    solutions or checks changed since the last run (``key``), or a gradebook is missing:
    the template is generated, and a course without a gradebook starts from a copy of it.
    """
    paths.work.mkdir(exist_ok=True)
    stamp = paths.work / "prepared.key"
    course_db = paths.root / "gradebook.db"
    current = stamp.exists() and stamp.read_text() == key
    if current and paths.template_db.exists() and course_db.exists():
        return
    stamp.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="release-", dir=paths.work) as scratch:
        paths.template_db.unlink(missing_ok=True)
        generate(Path(scratch) / "template", course_root=paths.root, db_url=f"sqlite:///{paths.template_db}")
        if course_db.exists():
            generate(Path(scratch) / "course", course_root=paths.root)
        else:
            shutil.copyfile(paths.template_db, course_db)
    stamp.write_text(key)


def grade_class(submitted: Path, root: Path = COURSE_ROOT, student: str | None = None,
                force: bool = False, jobs: int | None = None, alongside: bool | None = None) -> Path:
    """Grade every (new or changed) submission under ``submitted``; return ``grades.csv``'s path.

    ``alongside`` chooses when the verifier runs (see :func:`grade_student`); by
    default alongside nbgrader when there are fewer students to grade than cores.
    The grades are the same either way.
    """
    paths = Paths(root)
    fresh_gradebook = not (root / "gradebook.db").exists()
    key = grading_key(root)
    prepare(paths, key)
    notebooks = notebook_names(root)
    students = find_students(submitted)
    if student and student not in students:
        raise SystemExit(f"no submission for {student!r} under {submitted}")
    previous = {} if fresh_gradebook else load_results(paths)
    todo = []
    for name in ([student] if student else students):
        sub = Submission(name, submitted / name / ASSIGNMENT)
        old = previous.get(name)
        content = f"{key}:{sub.content_hash()}"
        if old and not force and not student and old.content_hash == content:
            continue
        todo.append(sub)
    ok, isolation = sandbox.status()
    print(f"grading {len(todo)} of {len(students)} students in {submitted} "
          f"({len(students) - len(todo)} unchanged); {isolation}")
    cols = columns(paths.db_url)
    jobs = jobs or int(os.environ.get("WEEK08_JOBS", os.cpu_count() or 1))
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    # Fewer students than cores: verify alongside nbgrader, on the cores that would idle.
    if alongside is None:
        alongside = len(todo) < (os.cpu_count() or 1)
    running: dict[Future, Submission] = {
        pool.submit(grade_student, sub, paths, notebooks, submitted, alongside): sub for sub in todo}
    try:
        with tqdm(total=len(todo), unit="student", desc="grading", dynamic_ncols=True) as bar:
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    sub = running.pop(future)
                    result = future.result()
                    result.content_hash = f"{key}:{result.content_hash}"
                    merge(result, paths)
                    previous[sub.student] = result
                    scores = student_scores(paths.db_url, sub.student)
                    write_index(result, paths, cols, scores)
                    total = sum(scores.get(c.name, 0) for c in cols if c.grade_id is None)
                    bar.write(f"{sub.student}: {total:g} points, {result.status} ({result.seconds:.0f} s)")
                    bar.update(1)
    except BaseException:
        for future in running:
            future.cancel()
        sandbox.kill_all()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    graded = {name: previous[name] for name in students if name in previous}
    write_grades(paths.grades, cols, {name: student_scores(paths.db_url, name) for name in graded},
                 {name: r.status for name, r in graded.items()})
    from autograde.outputs.report import write_report

    write_report(root / "class_report", cols, graded, paths.grades)
    print(f"wrote grades.csv, feedback/ and class_report/ for {len(graded)} students")
    return paths.grades


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade a class: nbgrader autograde, verification, feedback, grades.csv.")
    parser.add_argument("--submitted", type=Path, default=None,
                        help="folder of <student>/week08/ submissions (default: submitted/, "
                             "or demo/submitted/ when submitted/ is empty)")
    parser.add_argument("--student", help="regrade only this student")
    parser.add_argument("--force", action="store_true", help="regrade everyone, changed or not")
    parser.add_argument("--jobs", type=int, default=None, help="students graded at once (default: one per core)")
    parser.add_argument("--root", type=Path, default=COURSE_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    submitted = (args.submitted or default_submitted(root)).resolve()
    try:
        grade_class(submitted, root=root, student=args.student, force=args.force, jobs=args.jobs)
    except KeyboardInterrupt:
        print("\ninterrupted: students already graded are saved; `make grade` resumes.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
