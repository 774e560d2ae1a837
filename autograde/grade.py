"""``make grade``: grade a class. Student code runs only in the sandbox; every score is decided outside it.

For the submissions in ``submitted/`` (or the demo class in ``demo/submitted/``
when ``submitted/`` holds no student):

1. record the assignment in the gradebook (``nbgrader generate_assignment`` into a
   scratch folder, only when the solutions or checks changed);
2. for each student that is new or changed since the last run (content hash of the
   submission and of the solutions and checks; ``--force`` regrades all,
   ``--student ID`` one), in parallel (``--jobs``), in a scratch course of its own
   under ``.grading/work/<student>`` (:func:`grade_student`):

   - **stage** (:mod:`autograde.submissions`): check and copy the notebooks;
   - **execute, untrusted** (:mod:`autograde.sandboxed.nbgrader_run`, in the sandbox
     of :mod:`autograde.sandbox`, where solutions, hidden checks and trusted code do
     not exist): nbgrader runs every notebook; each kernel then forks a call server
     (:mod:`autograde.sandboxed.call_server`) that keeps the notebook's functions;
   - **collect** (:mod:`autograde.trusted.collect`): the autograded notebooks are
     copied out, as untrusted data, before anything hidden is sent;
   - **decide, trusted** (:mod:`autograde.trusted.decide`, a process that never runs
     student code): every question's public and hidden cases call the student's
     functions through the call servers and compare the plain-data answers with
     values computed here from the reference; then the sandbox is ended;
   - **combine** (:mod:`autograde.trusted.combine`): the verdicts are the scores, and
     each test cell of the autograded notebooks shows its verdict (the kernel did not
     run the checks: ``WEEK08_DEFERRED_CHECKS``);

3. **merge** each finished student (main thread): scores into the gradebook (manual
   grades kept), autograded notebooks into ``autograded/``, nbgrader's feedback
   generated from the gradebook, the result saved, so an interrupted run resumes;
4. **outputs** (:mod:`autograde.outputs`): ``grades.csv``, the class report and, with
   ``WEEK08_LMS``, the LMS's grade import and feedback bundle
   (:mod:`autograde.outputs.lms_export`).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import html
import json
import multiprocessing
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from tqdm import tqdm

from autograde import ASSIGNMENT, COURSE_ROOT, sandbox
from autograde.catalog import all_exercises, all_written_questions, notebook_names
from autograde.nbgrader_cli import environment, grading_environment
from autograde.outputs.export import (
    Column,
    WrittenProgress,
    columns,
    student_scores,
    write_grades,
    written_progress,
)
from autograde.outputs.safe_html import META as CSP_META
from autograde.outputs.safe_html import protect
from autograde.release import generate
from autograde.sandboxed.nbgrader_run import READY_MARKER
from autograde.settings import Settings
from autograde.submissions import Submission, find_students, refused_students, stage
from autograde.trusted import written
from autograde.trusted.collect import collect
from autograde.trusted.combine import combine, show_verdicts
from autograde.trusted.decide import Status, Verdict
from helpers.checks.core import DEFERRED_VARIABLE

#: nbgrader's words when the gradebook holds submissions of cells the solutions no longer have (or lack new ones).
CELLS_CHANGED = "Cannot add or remove cells"

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
    questions: list[str] = field(default_factory=list)  # why each question lost points (student-safe)
    details: dict[str, str] = field(default_factory=dict)  # per question, for the TA only
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage (nbgrader, decide, feedback)
    blank_written: list[str] = field(default_factory=list)  # "<notebook>:<grade_id>" of empty written answers
    manual_key: str = ""  # fingerprint of the TA's grades and comments the feedback pages were made with

    def add_status(self, status: str) -> None:
        if SEVERITY.index(status) < SEVERITY.index(self.status):
            self.status = status


@dataclass
class Paths:
    """Where grading reads and writes, relative to one course root."""

    root: Path
    #: Grading state and scratch courses (default ``<root>/.grading``; a cluster worker uses a folder of its own).
    work_dir: Path | None = None
    #: Where the reference's expected values are kept (default: ``work``; shared by a worker's tasks).
    cache_dir: Path | None = None

    @property
    def work(self) -> Path:
        return self.work_dir or self.root / ".grading"

    @property
    def private(self) -> list[Path]:
        """This run's folders that no sandbox may see (besides :func:`secret_paths`)."""
        return [self.work, self.expected.parent]

    @property
    def results(self) -> Path:
        return self.work / "results"

    @property
    def template_db(self) -> Path:
        return self.work / "template.db"

    @property
    def expected(self) -> Path:
        """The reference's answers to the checks, computed once per version of the checks (trusted)."""
        return (self.cache_dir or self.work) / "expected" / grading_key(self.root)

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def grades(self) -> Path:
        return self.root / "grades.csv"

    def scratch(self, student: str) -> Path:
        """The student's scratch course, the only folder its nbgrader run may write."""
        return self.work / "work" / student

    def collected(self, student: str) -> Path:
        """Where the student's autograded notebooks are copied out of the sandbox (trusted side)."""
        return self.work / "collected" / student


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


def secret_paths(root: Path) -> list[Path]:
    """What no process running student code may see: solutions, hidden checks, trusted code, grading state."""
    course = [root / "solutions", root / ".grading", root / "autograded", root / "feedback", root / "submitted",
              root / "demo", root / "source_with_tests", root / "class_report", root / "gradebook.db",
              root / "grades.csv", root / "tests"]
    package = [COURSE_ROOT / "solutions", COURSE_ROOT / "autograde" / "checks", COURSE_ROOT / "autograde" / "trusted",
               COURSE_ROOT / "tests", COURSE_ROOT / "demo", COURSE_ROOT / ".grading", COURSE_ROOT / "gradebook.db"]
    return course + [p for p in package if p not in course]


def _start_nbgrader(student: str, scratch: Path, jail: sandbox.Jail, log: Path,
                    settings: Settings) -> subprocess.Popen:
    """Start :mod:`autograde.sandboxed.nbgrader_run` in the sandbox; it prints READY and waits."""
    env = grading_environment({
        "HOME": str(scratch / "home"), "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "IPYTHONDIR": str(scratch / "ipython"), "MPLCONFIGDIR": str(scratch / "mpl"),
        "TMPDIR": str(scratch / "tmp"), "WEEK08_TRACKIO_DIR": str(scratch / "trackio"),
        "WEEK08_CELL_TIMEOUT": str(settings.cell_timeout),
        DEFERRED_VARIABLE: "1",  # the trusted side runs every check; the kernel does not do it twice
    })
    for folder in ("home", "runtime", "ipython", "mpl", "tmp", "trackio"):
        (scratch / folder).mkdir(exist_ok=True)
    command = [sys.executable, "-m", "autograde.sandboxed.nbgrader_run", student]
    with open(log, "wb") as stderr:
        return sandbox.popen(command, name=f"{student}-nbgrader", jail=jail, limits=settings.limits(),
                             cwd=scratch, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)


def _wait_ready(process: subprocess.Popen, timeout: float) -> tuple[str, dict]:
    """Wait for the READY line (or the end of the process); ("ready"|"ended"|"timed out", stages).

    Student code can write to this pipe too, so the line is only a hint of timing: an
    early forged READY makes the grader collect unfinished work, never anything more.
    """
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    fd = process.stdout.fileno()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return "timed out", {}
        if not select.select([fd], [], [], left)[0]:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return "ended", {}
        buffer = (buffer + chunk)[-65536:]
        for line in buffer.split(b"\n")[:-1]:
            if line.startswith(READY_MARKER.encode()):
                try:
                    stages = json.loads(line[len(READY_MARKER):].decode())
                    return "ready", {k: float(v) for k, v in stages.items() if k == "autograde"}
                except (ValueError, AttributeError, TypeError, UnicodeDecodeError):
                    return "ready", {}


def _tail(path: Path, size: int = 65536) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.fstat(f.fileno()).st_size - size))
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _last_error_line(stderr: str) -> str:
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    return (errors or lines or ["unknown error"])[-1][:300]


def _timed_out_cells(path: Path) -> int:
    """Cells that nbclient stopped at the per-cell limit (its recorded CellTimeoutError outputs)."""
    try:
        nb = json.loads(path.read_text())
        return sum(1 for cell in nb.get("cells", []) for o in cell.get("outputs", []) or []
                   if isinstance(o, dict) and o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError")
    except (OSError, ValueError, AttributeError, TypeError):
        return 0


def grade_student(sub: Submission, paths: Paths, notebooks: list[str], submitted: Path,
                  settings: Settings, deciders: Deciders) -> Result:
    """Grade one student in a scratch course; never raises for bad input.

    1. stage the notebooks into the scratch course;
    2. in the sandbox, nbgrader executes them; each kernel leaves a call server;
    3. copy the autograded notebooks out (before anything hidden is sent);
    4. decide every question in a trusted process, from the call servers' answers;
    5. end the sandbox and everything it started.
    """
    start = time.perf_counter()
    scratch = new_scratch(paths, sub.student)
    stage(sub, notebooks, scratch / "submitted")
    return grade_staged(sub, paths, settings, deciders, hidden=[submitted], start=start)


def new_scratch(paths: Paths, student: str) -> Path:
    """An empty scratch course for ``student``: nbgrader's configuration and an empty gradebook."""
    scratch = paths.scratch(student)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copyfile(paths.root / "nbgrader_config.py", scratch / "nbgrader_config.py")
    shutil.copyfile(paths.template_db, scratch / "gradebook.db")
    return scratch


def grade_staged(sub: Submission, paths: Paths, settings: Settings, deciders: Deciders,
                 hidden: list[Path] | None = None, start: float | None = None) -> Result:
    """Steps 2 to 5 of :func:`grade_student`, for notebooks already staged in the student's scratch course.

    ``sub`` says what staging found (``problems``, ``notes``, ``staged``); ``hidden`` adds folders
    the sandbox must not see (the class's submissions).
    """
    start = time.perf_counter() if start is None else start
    result = Result(sub.student, sub.content_hash())
    scratch = paths.scratch(sub.student)
    result.problems = dict(sub.problems)
    result.messages = list(sub.notes)
    for problem in sub.problems.values():
        result.add_status("missing notebook" if "missing" in problem else "malformed")
    if not sub.staged:
        result.seconds = round(time.perf_counter() - start, 2)
        return result
    # Files the trusted side passes to the student's functions (e.g. nb04's folders in and
    # outside a git repository) go in a folder of their own, outside the course's repository,
    # shown read-only to this student's sandbox only.
    shared = Path(tempfile.mkdtemp(prefix=f"week08-{sub.student}-"))
    jail = sandbox.Jail(writable=scratch, hidden=[*secret_paths(paths.root), *paths.private, *(hidden or [])],
                        visible=[shared])
    log = paths.work / "logs" / f"{sub.student}.stderr"
    log.parent.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    process = _start_nbgrader(sub.student, scratch, jail, log, settings)
    try:
        state, stages = _wait_ready(process, settings.submission_timeout)
        result.stages = {"nbgrader": round(time.perf_counter() - clock, 2), **stages}
        if state == "timed out":
            result.add_status("timed out")
            result.messages.append(f"grading stopped after {settings.submission_timeout} s for the whole "
                                   "submission.")
        elif state == "ended":
            result.add_status("error")
            result.messages.append("nbgrader could not grade this submission: " + _last_error_line(_tail(log)))
        # 3. outputs first: nothing hidden has been sent to the student's processes yet
        autograded = scratch / "autograded" / sub.student / ASSIGNMENT
        collected = collect(scratch, autograded, [f"{nb}.ipynb" for nb in sub.staged], paths.collected(sub.student),
                            settings.max_output_mb * 2**20)
        for name, why in sorted(collected.refused.items()):
            result.messages.append(f"{name} was not copied back from grading: {why}.")
        # 4. the trusted decision
        clock = time.perf_counter()
        verdicts = decide_in_trusted_process(scratch / "calls", shared, paths, sub.staged, settings, deciders)
        result.stages["decide"] = round(time.perf_counter() - clock, 2)
    finally:
        _end_sandbox(process)
        shutil.rmtree(shared, ignore_errors=True)
    for nb in sub.staged:
        path = paths.collected(sub.student) / f"{nb}.ipynb"
        if _timed_out_cells(path):
            result.add_status("timed out")
            result.messages.append(f"{nb}: a cell ran longer than the per-cell limit "
                                   f"({settings.cell_timeout} s) and was stopped.")
        if path.is_file():
            show_verdicts(path, [v for v in verdicts if v.notebook == nb])
    combined = combine(verdicts, sub.staged)
    result.scores, result.flags, result.details = combined.scores, combined.flags, combined.details
    result.questions = combined.notes
    if result.flags:
        result.add_status("flagged")
        result.messages += result.flags
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def _end_sandbox(process: subprocess.Popen) -> None:
    try:
        if process.stdin is not None:
            process.stdin.close()
    except OSError:
        pass
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
    if process.stdout is not None:
        process.stdout.close()
    sandbox.release(process)  # kills the call servers and anything else the submission left


def decide_in_trusted_process(calls: Path, shared: Path, paths: Paths, staged: list[str], settings: Settings,
                               deciders: Deciders) -> list[Verdict]:
    """Run :func:`autograde.trusted.decide.decide` (no student code) over the call servers in ``calls``.

    The checks' temporary files go under ``shared``, a folder the student's sandbox can read.
    """
    exercises = all_exercises(paths.root)
    try:
        future = deciders.pool().submit(decide_task, str(calls), str(shared), str(paths.root), list(staged),
                                        float(settings.cell_timeout), str(paths.expected))
        return [Verdict.from_json(v) for v in future.result(timeout=settings.submission_timeout)]
    except Exception as error:  # noqa: BLE001 - a broken trusted worker: every question says so
        deciders.reset()
        return [Verdict(ex.notebook, ex.grade_id, ex.points, Status.GRADER_ERROR,
                        message="the grader's checker failed", detail=f"{type(error).__name__}: {error}")
                for ex in exercises]


def decide_task(calls: str, shared: str, root: str, staged: list[str], timeout: float,
                expected: str) -> list[dict]:
    """In a trusted worker process: the verdicts as plain dicts (expected values kept under ``expected``).

    ``tempfile`` makes the checks' temporary folders under ``shared`` (the sandbox has a private /tmp).
    """
    from autograde.trusted.decide import decide
    from autograde.trusted.reference import use_store

    use_store(Path(expected))
    tempfile.tempdir = shared
    try:
        verdicts = decide(Path(calls), all_exercises(Path(root)), timeout, set(staged))
    finally:
        tempfile.tempdir = None
    return [v.to_json() for v in verdicts]


def warm_task(root: str) -> None:
    """In a trusted worker, before its first student: import the grader and every hidden check."""
    from autograde.trusted.decide import checks_of

    for ex in all_exercises(Path(root)):
        checks_of(ex)


class Deciders:
    """Trusted worker processes (spawned, never forked from a process that saw student data), kept for the run.

    They import the libraries, the checks and the reference once, not once per student, and
    start (:meth:`warm`) while the first students' notebooks run.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                                 initializer=_quiet_worker)
            return self._pool

    def warm(self, root: Path, students: int) -> None:
        """Start the workers now and import the checks, one task per worker needed."""
        pool = self.pool()
        for _ in range(min(self.workers, students)):
            pool.submit(warm_task, str(root))

    def reset(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


def _quiet_worker() -> None:
    from threadpoolctl import threadpool_limits

    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()

    os.environ.update(environment())
    threadpool_limits(limits=1, user_api="blas")  # as in the notebooks: small matrices, one student per core
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)


def _exit_with_parent(parent: int) -> None:
    """End this trusted worker when the process that started it is gone (killed: no shutdown to wait for)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


# -- merging, in the main thread ----------------------------------------------------------


def record_in_gradebook(db_url: str, result: Result, flagged: set[str], autograded: set[str]) -> None:
    """Write the final scores into the course gradebook; manual grades are left as they are.

    ``autograded`` names the cells the grader scores (``"<notebook>:<grade_id>"``): each gets its
    automatic score and, unless a TA has already given it a manual score, is marked as not needing
    a person in the formgrader. Every other grade cell is a written answer, left to the TA: an empty
    one (``result.blank_written``) scores 0 and needs nobody, as nbgrader does for an unchanged answer;
    any other waits for the TA ("needs manual grade") until it has a manual score.
    """
    with warnings.catch_warnings(), Gradebook(db_url) as gb:
        warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy autoflush warnings
        gb.update_or_create_student(result.student)
        submission = gb.update_or_create_submission(ASSIGNMENT, result.student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                key = f"{notebook.name}:{grade.name}"
                if key in autograded:
                    grade.auto_score = result.scores.get(key, 0.0)
                    needs_person = False
                else:
                    blank = key in result.blank_written
                    grade.auto_score = 0.0 if blank else None
                    needs_person = not blank
                if grade.manual_score is None:
                    grade.needs_manual_grade = needs_person
            notebook.flagged = notebook.name in flagged
        gb.db.commit()


def merge(result: Result, paths: Paths, feedback: Feedback) -> None:
    """Bring one finished student into the course: gradebook, autograded/, feedback/, result file.

    The autograded notebooks get each written question's model answer and rubric under the
    student's answer, for the TA in the formgrader; feedback leaves them out.
    """
    flagged = {flag.split(":", 1)[0] for flag in result.flags}
    autograded = {f"{ex.notebook}:{ex.grade_id}" for ex in all_exercises(paths.root)}
    questions = all_written_questions(paths.root)
    collected = paths.collected(result.student)
    result.blank_written = written.blank_answers(collected, questions)
    record_in_gradebook(paths.db_url, result, flagged, autograded)
    target = paths.root / "autograded" / result.student / ASSIGNMENT
    shutil.rmtree(paths.root / "autograded" / result.student, ignore_errors=True)
    if collected.is_dir():
        shutil.copytree(collected, target)
        for notebook in sorted(target.glob("*.ipynb")):
            written.add_rubrics(notebook, questions)
    clock = time.perf_counter()
    if collected.is_dir() and not feedback.generate(result.student):
        result.messages.append("nbgrader could not render this submission's feedback pages; the scores are "
                               "not affected (ask the TA).")
    result.stages["feedback"] = round(time.perf_counter() - clock, 2)
    result.manual_key = manual_fingerprint(paths.db_url, result.student)
    save_result(result, paths)
    shutil.rmtree(paths.scratch(result.student), ignore_errors=True)
    shutil.rmtree(collected, ignore_errors=True)


class Feedback:
    """nbgrader's generate_feedback, in the grader's process, from the course gradebook (trusted scores).

    It renders the autograded notebooks (untrusted data: nothing is executed) with the
    scores the grader decided, manual grades and comments included.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._api = None

    def generate(self, student: str) -> bool:
        shutil.rmtree(self.root / "feedback" / student, ignore_errors=True)
        if not (self.root / "autograded" / student / ASSIGNMENT).is_dir():
            return False
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from traitlets.config.loader import PyFileConfigLoader

            config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
            config.CourseDirectory.root = str(self.root)
            self._api = NbGraderAPI(config=config)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcome = self._api.generate_feedback(ASSIGNMENT, student, force=True)
        protect(self.root / "feedback" / student)  # no script runs in a reader's browser
        return bool(outcome.get("success"))


def write_index(result: Result, paths: Paths, cols: list[Column], scores: dict[str, float],
                progress: WrittenProgress | None = None) -> None:
    """Write ``feedback/<student>/week08/index.html``: every question, score and message."""
    progress = progress or WrittenProgress((), 0)
    folder = paths.root / "feedback" / result.student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    why = {}
    for line in result.questions:
        key, _, reason = line.partition(": ")
        why[key] = reason
    for col in cols:
        got = f"{scores.get(col.name, 0):g} / {col.max_points:g}"
        if col.grade_id is None:
            problem = result.problems.get(col.notebook)
            status = html.escape(problem) if problem else f'<a href="{col.notebook}.html">feedback</a>'
            rows.append(f"<tr class='nb'><th>{html.escape(col.notebook)}</th><th>{got}</th><th>{status}</th></tr>")
        elif col.written:
            if col.name in progress.waiting:
                got, reason = f"? / {col.max_points:g}", "written answer: your TA has not graded it yet"
            elif col.name in result.blank_written:
                reason = "written answer: nothing was written"
            else:
                reason = "written answer, graded by your TA"
        else:
            reason = html.escape(why.get(col.name, "")) if scores.get(col.name, 0) < col.max_points else ""
        if col.grade_id is not None:
            rows.append(f"<tr><td>&nbsp;&nbsp;{html.escape(col.grade_id)}</td><td>{got}</td><td>{reason}</td></tr>")
    total = sum(scores.get(c.name, 0) for c in cols if c.grade_id is None)
    maximum = sum(c.max_points for c in cols if c.grade_id is None)
    notes = "".join(f"<li>{html.escape(m)}</li>" for m in result.messages)
    page = f"""<!doctype html><html><head>{CSP_META}<meta charset="utf-8"><title>{ASSIGNMENT}: {html.escape(result.student)}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}td,th{{padding:2px 10px;text-align:left}}
tr.nb th{{border-top:1px solid #999}}</style></head><body>
<h1>{ASSIGNMENT} feedback for {html.escape(result.student)}</h1>
<p>Total: <b>{total:g} / {maximum:g}</b> &middot; status: {html.escape(result.status)}
{f"&middot; written answers: {html.escape(str(progress))}" if progress.total else ""}</p>
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
<table>{''.join(rows)}</table></body></html>
"""
    (folder / "index.html").write_text(page)
    for notebook, problem in result.problems.items():
        (folder / f"{notebook}.html").write_text(
            f"<!doctype html><html><head>{CSP_META}</head><body><h1>{html.escape(notebook)}</h1>"
            f"<p>This notebook was not graded: {html.escape(problem)}</p>"
            "<p>It scores 0. Ask your TA if you think this is wrong.</p></body></html>\n")


def manual_fingerprint(db_url: str, student: str) -> str:
    """A digest of every manual score, extra credit and comment of ``student`` in the gradebook."""
    from nbgrader.api import MissingEntry

    records = []
    with warnings.catch_warnings(), Gradebook(db_url) as gb:
        warnings.simplefilter("ignore")
        try:
            submission = gb.find_submission(ASSIGNMENT, student)
        except MissingEntry:
            return ""
        for notebook in submission.notebooks:
            records += [(notebook.name, g.name, g.manual_score, g.extra_credit) for g in notebook.grades
                        if g.manual_score is not None or g.extra_credit]
            records += [(notebook.name, c.name, c.manual_comment) for c in notebook.comments if c.manual_comment]
    return hashlib.sha256(json.dumps(sorted(records, key=str)).encode()).hexdigest()[:16]


def refresh_feedback(graded: dict[str, Result], just_graded: set[str], paths: Paths, cols: list[Column],
                     feedback: Feedback) -> None:
    """Bring the feedback of students not regraded this run up to date with the gradebook.

    A TA's manual grades and comments (written answers, overrides) reach a student's feedback pages at
    the next ``make grade`` even when the submission did not change: nbgrader's pages are generated again
    when the student's manual grades changed since they were made; the index is rewritten every run.
    """
    for name, result in sorted(graded.items()):
        if name in just_graded or result.content_hash == "error":
            continue
        key = manual_fingerprint(paths.db_url, name)
        if key != result.manual_key and (paths.root / "autograded" / name / ASSIGNMENT).is_dir():
            feedback.generate(name)
            result.manual_key = key
            save_result(result, paths)
        write_index(result, paths, cols, student_scores(paths.db_url, name), written_progress(paths.db_url, name))


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
    for old in (paths.work / "expected").glob("*"):  # expected values of earlier versions of the checks
        if old.name != key:
            shutil.rmtree(old, ignore_errors=True)
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
            try:
                generate(Path(scratch) / "course", course_root=paths.root, capture=True)
            except subprocess.CalledProcessError as error:
                if CELLS_CHANGED in f"{error.stdout}{error.stderr}":
                    raise SystemExit(
                        "the solutions added or removed a graded cell since this class was graded, and nbgrader "
                        "cannot change a graded assignment: run `make migrate` (it keeps every manual grade and "
                        "comment, rebuilds gradebook.db and regrades the class; gradebook.db is untouched until "
                        "then).") from None
                sys.stderr.write(f"{error.stdout}{error.stderr}")
                raise
        else:
            shutil.copyfile(paths.template_db, course_db)
    stamp.write_text(key)


def grade_class(submitted: Path, root: Path = COURSE_ROOT, student: str | None = None,
                force: bool = False, jobs: int | None = None, settings: Settings | None = None) -> Path:
    """Grade every (new or changed) submission under ``submitted``; return ``grades.csv``'s path."""
    settings = settings or Settings.from_environ()
    if settings.lms:  # a typo stops here, not after an hour of grading
        from autograde.lms import check_export_settings

        check_export_settings(settings, root)
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
    for name, why in refused_students(submitted).items():
        print(f"not graded: the folder {name!r} in {submitted}: {why}. Rename it to the student's id.")
    cols = columns(paths.db_url)
    if settings.scheduler:
        from autograde.cluster import ClusterGrading

        runner: Grading = ClusterGrading(settings.scheduler, paths, notebooks, settings)
    else:
        runner = LocalGrading(paths, notebooks, submitted, settings, max(1, jobs or settings.workers))
    feedback = Feedback(root)
    try:
        with tqdm(total=len(todo), unit="student", desc="grading", dynamic_ncols=True) as bar:
            for sub, result in runner.run(todo):
                result.content_hash = f"{key}:{result.content_hash}"
                try:
                    merge(result, paths, feedback)
                    scores = student_scores(paths.db_url, sub.student)
                    write_index(result, paths, cols, scores, written_progress(paths.db_url, sub.student))
                except Exception as error:  # noqa: BLE001 - one student's failure never stops the class
                    result.add_status("error")
                    result.messages.append(f"the grader failed while saving this result: "
                                           f"{type(error).__name__}: {error}")
                    result.content_hash = "error"  # graded again next run
                    save_result(result, paths)
                    scores = {}
                previous[sub.student] = result
                total = sum(scores.get(c.name, 0) for c in cols if c.grade_id is None)
                bar.write(f"{sub.student}: {total:g} points, {result.status} ({result.seconds:.0f} s)")
                bar.update(1)
    except BaseException:
        runner.abort()
        raise
    runner.close()
    graded = {name: previous[name] for name in students if name in previous}
    refresh_feedback(graded, {sub.student for sub in todo}, paths, cols, feedback)
    write_grades(paths.grades, cols, {name: student_scores(paths.db_url, name) for name in graded},
                 {name: r.status for name, r in graded.items()},
                 {name: written_progress(paths.db_url, name) for name in graded})
    from autograde.outputs.report import write_report

    write_report(root / "class_report", cols, graded, paths.grades)
    print(f"wrote grades.csv, feedback/ and class_report/ for {len(graded)} students")
    if settings.lms:
        from autograde.lms import read_roster
        from autograde.outputs.lms_export import export

        for line in export(root, settings.lms, read_roster(settings.roster, root), settings):
            print(line)
    return paths.grades


class Grading:
    """Where students are graded: :meth:`run` yields each ``(submission, result)`` as it finishes."""

    def run(self, todo: list[Submission]) -> Iterator[tuple[Submission, Result]]:
        raise NotImplementedError

    def abort(self) -> None:
        """Stop at once (Ctrl-C, a crash of the driver): nothing keeps running."""

    def close(self) -> None:
        """Release the workers after a complete run."""


class LocalGrading(Grading):
    """On this machine: ``workers`` students at a time (threads), deciding in spawned trusted processes."""

    def __init__(self, paths: Paths, notebooks: list[str], submitted: Path, settings: Settings,
                 workers: int) -> None:
        self.paths, self.notebooks, self.submitted, self.settings = paths, notebooks, submitted, settings
        self.pool = ThreadPoolExecutor(max_workers=workers)
        self.deciders = Deciders(workers)

    def run(self, todo: list[Submission]) -> Iterator[tuple[Submission, Result]]:
        if todo:
            self.deciders.warm(self.paths.root, len(todo))
        running: dict[Future, Submission] = {
            self.pool.submit(_grade_safely, sub, self.paths, self.notebooks, self.submitted, self.settings,
                             self.deciders): sub for sub in todo}
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), future.result()

    def abort(self) -> None:
        sandbox.kill_all()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.deciders.reset()

    def close(self) -> None:
        self.pool.shutdown()
        self.deciders.close()


def _grade_safely(sub: Submission, paths: Paths, notebooks: list[str], submitted: Path,
                  settings: Settings, deciders: Deciders) -> Result:
    """:func:`grade_student`, turning any grader exception into an ``error`` row for this student only."""
    try:
        return grade_student(sub, paths, notebooks, submitted, settings, deciders)
    except Exception as error:  # noqa: BLE001
        result = Result(sub.student, "error", status="error",
                        messages=[f"the grader failed on this submission: {type(error).__name__}: {error}"])
        shutil.rmtree(paths.collected(sub.student), ignore_errors=True)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade a class: nbgrader autograde, verification, feedback, grades.csv.")
    parser.add_argument("--submitted", type=Path, default=None,
                        help="folder of <student>/week08/ submissions (default: submitted/, "
                             "or demo/submitted/ when submitted/ is empty)")
    parser.add_argument("--student", help="regrade only this student")
    parser.add_argument("--force", action="store_true", help="regrade everyone, changed or not")
    parser.add_argument("--jobs", type=int, default=None,
                        help="students graded at once (default: WEEK08_JOBS, or one per core)")
    parser.add_argument("--scheduler", default=None,
                        help="grade on the workers of the Dask scheduler at this address, e.g. tcp://HOST:8786 "
                             "(default: WEEK08_SCHEDULER, or this machine); see docs/scaling.md")
    parser.add_argument("--root", type=Path, default=COURSE_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    submitted = (args.submitted or default_submitted(root)).resolve()
    try:
        settings = Settings.from_environ()
        if args.scheduler is not None:
            settings = dataclasses.replace(settings, scheduler=args.scheduler)
        grade_class(submitted, root=root, student=args.student, force=args.force, jobs=args.jobs, settings=settings)
    except KeyboardInterrupt:
        print("\ninterrupted: students already graded are saved; `make grade` resumes.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
