"""``make grade SCHEDULER=tcp://HOST:8786``: grade each student on the workers of a Dask cluster.

Grading one student is independent of every other, so each student is one Dask task
(:func:`grade_on_worker`). The driver (``make grade``) stays the only writer of the
course: it stages each submission, ships the staged notebooks in a
:class:`GradingRequest`, and merges each :class:`GradingReply` as it comes back
(gradebook, ``autograded/``, ``feedback/``, results), exactly as for local grading, so
resume-by-content-hash, manual grades and byte-identical ``grades.csv`` keep working.

On a worker, a task runs steps 2 to 5 of :func:`autograde.grade.grade_student` in a
scratch folder of its own, in the same sandbox as local grading. A worker refuses
(:func:`worker_problem`) when it cannot isolate student code, when its course files
(solutions, checks, grader) are not the driver's version, or when Dask started it as a
daemon process (which cannot start the trusted deciding process).

Faults: a worker that dies or disconnects mid-task has its task rescheduled by Dask on
another worker (the task writes nothing the driver reads but its reply, so running it
twice is harmless); a task lost on several workers (Dask's ``KilledWorker``) becomes an
``error`` row graded again at the next run. A driver killed mid-run resumes from the
results it had merged. See ``docs/scaling.md``.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograde import ASSIGNMENT, COURSE_ROOT, sandbox
from autograde.grade import (
    Deciders,
    Grading,
    Paths,
    Result,
    grade_staged,
    grading_key,
    new_scratch,
)
from autograde.settings import Settings
from autograde.submissions import Submission, stage

#: Files of a staged submission a request may carry (besides ``<notebook>.ipynb``).
EXTRA_FILES = {"timestamp.txt"}
#: Most of a worker's nbgrader log sent back (its end: where the error is).
LOG_BYTES = 65536
#: Seconds the driver waits for the first worker to join the scheduler.
WORKER_WAIT = 120


class WorkerRefused(RuntimeError):
    """A worker that must not grade (no sandbox, other course files, daemon process)."""


def _expect(value: object, kind: type, what: str) -> object:
    if not isinstance(value, kind):
        raise ValueError(f"{what}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _build(cls: type, data: object, what: str):  # noqa: ANN202 - an instance of cls
    """``cls`` from a plain dict holding exactly its fields (a missing one is a ValueError, not a KeyError)."""
    _expect(data, dict, what)
    names = [f.name for f in dataclasses.fields(cls)]
    missing = [name for name in names if name not in data]
    if missing:
        raise ValueError(f"{what}: missing {', '.join(missing)}")
    return cls(**{name: data[name] for name in names})


@dataclass
class GradingRequest:
    """What the driver sends a worker for one student: the staged submission and how to grade it."""

    student: str
    key: str  # the driver's grading key: the worker's course files must give the same
    root: str  # the driver's course folder (used by a worker that shares the filesystem)
    settings: dict[str, object]  # :class:`Settings` fields
    staged: list[str]  # notebooks in ``files``
    problems: dict[str, str] = field(default_factory=dict)  # notebooks staging refused, and why
    notes: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes, of the staged folder
    template_db: bytes = b""  # the empty gradebook of the assignment (nbgrader's scratch course needs one)

    def to_wire(self) -> dict:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict) -> GradingRequest:
        request = _build(cls, data, "request")
        for name in ("student", "key", "root"):
            _expect(getattr(request, name), str, name)
        _expect(request.template_db, bytes, "template_db")
        for name, content in _expect(request.files, dict, "files").items():
            _expect(content, bytes, name)
            if name not in EXTRA_FILES and name not in {f"{nb}.ipynb" for nb in request.staged}:
                raise ValueError(f"unexpected file {name!r} in the request")
        return request


@dataclass
class GradingReply:
    """What a worker sends back: the student's :class:`~autograde.grade.Result` and autograded notebooks."""

    result: dict  # :class:`Result` fields
    notebooks: dict[str, bytes]  # "<notebook>.ipynb" -> the autograded notebook (untrusted data)
    log: str = ""  # the end of the sandboxed nbgrader run's stderr
    worker: str = ""  # host and process that graded

    def to_wire(self) -> dict:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict) -> GradingReply:
        reply = _build(cls, data, "reply")
        _expect(reply.result, dict, "result")
        _expect(reply.log, str, "log")
        for name, content in _expect(reply.notebooks, dict, "notebooks").items():
            _expect(content, bytes, name)
        return reply


# -- on a worker -----------------------------------------------------------------------------

_DECIDERS: Deciders | None = None
_LOCK = threading.Lock()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_home() -> Path:
    """The worker's own folder: scratch courses of its tasks and the reference's expected values."""
    return Path(tempfile.gettempdir()) / f"week08-worker-{os.getuid()}"


def course_of(key: str, root: str) -> Path | None:
    """The course folder this worker grades with: the driver's when shared, else its own, if at ``key``."""
    for candidate in (Path(root), COURSE_ROOT):
        if (candidate / "solutions" / ASSIGNMENT).is_dir() and grading_key(candidate) == key:
            return candidate
    return None


def worker_problem(key: str, root: str, wanted: str = "bwrap") -> str | None:
    """Why this worker must not grade for a driver at ``key`` (None: it may). Runs on the worker.

    ``wanted`` is the isolation the driver's settings ask for (``WEEK08_SANDBOX``): a worker never
    grades with weaker isolation than that, and never without any.
    """
    engine = sandbox.engine()
    if engine == "none" or (wanted == "bwrap" and engine != "bwrap"):
        return (f"no {'bubblewrap ' if wanted == 'bwrap' else ''}sandbox on this worker "
                f"({sandbox.status()[1]}); install bubblewrap (`make sandbox` as root) and restart the worker")
    if multiprocessing.current_process().daemon:
        return ("the worker runs as a daemon process, which cannot start the grader's trusted process: start it "
                "with `make worker` or DASK_DISTRIBUTED__WORKER__DAEMON=False (docs/scaling.md)")
    if course_of(key, root) is None:
        return (f"this worker's course files are not the driver's version (grading key {key}): check out the "
                f"same commit of the course on every worker (solutions/, helpers/, autograde/)")
    return None


def _deciders() -> Deciders:
    global _DECIDERS
    with _LOCK:
        if _DECIDERS is None:
            try:
                from distributed import get_worker

                threads = get_worker().state.nthreads
            except (ImportError, ValueError):
                threads = 1
            _DECIDERS = Deciders(max(1, threads))
        return _DECIDERS


def grade_on_worker(wire: dict) -> dict:
    """The Dask task: grade one staged submission here and return a :class:`GradingReply` (as plain data)."""
    request = GradingRequest.from_wire(wire)
    problem = worker_problem(request.key, request.root, str(request.settings.get("sandbox", "bwrap")))
    if problem:
        raise WorkerRefused(f"worker {worker_name()} refused to grade: {problem}")
    root = course_of(request.key, request.root)
    assert root is not None
    home = worker_home()
    task = home / "tasks" / f"{request.student}-{uuid.uuid4().hex[:12]}"
    paths = Paths(root, work_dir=task, cache_dir=home)
    try:
        task.mkdir(parents=True)
        paths.template_db.write_bytes(request.template_db)
        scratch = new_scratch(paths, request.student)
        folder = scratch / "submitted" / request.student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, content in request.files.items():
            (folder / name).write_bytes(content)
        sub = Submission(request.student, folder, dict(request.problems), list(request.notes), list(request.staged))
        settings = Settings(**request.settings)
        result = grade_staged(sub, paths, settings, _deciders())
        collected = paths.collected(request.student)
        notebooks = {p.name: p.read_bytes() for p in sorted(collected.glob("*.ipynb"))} if collected.is_dir() else {}
        log = paths.work / "logs" / f"{request.student}.stderr"
        tail = log.read_bytes()[-LOG_BYTES:].decode(errors="replace") if log.is_file() else ""
        return GradingReply(asdict(result), notebooks, tail, worker_name()).to_wire()
    finally:
        shutil.rmtree(task, ignore_errors=True)


# -- on the driver ---------------------------------------------------------------------------


def receive(reply: GradingReply, sub: Submission, paths: Paths, settings: Settings) -> Result:
    """Bring a worker's reply into the driver's ``.grading``: the result, its notebooks and log."""
    fields = {f.name for f in dataclasses.fields(Result)}
    try:
        result = Result(**{"content_hash": "", **{k: v for k, v in reply.result.items() if k in fields}})
    except TypeError as error:
        raise ValueError(f"a malformed result came back: {error}") from None
    if result.student != sub.student:
        raise ValueError(f"a reply for {result.student!r} came back for {sub.student!r}")
    result.content_hash = sub.content_hash()
    collected = paths.collected(sub.student)
    shutil.rmtree(collected, ignore_errors=True)
    collected.mkdir(parents=True)
    allowed = {f"{nb}.ipynb" for nb in sub.staged}
    for name, content in sorted(reply.notebooks.items()):
        if name not in allowed:
            continue
        if len(content) > settings.max_output_mb * 2**20:
            result.messages.append(f"{name} was not copied back from grading: over {settings.max_output_mb} MB.")
            continue
        (collected / name).write_bytes(content)
    log = paths.work / "logs" / f"{sub.student}.stderr"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"[graded on {reply.worker}]\n{reply.log}")
    return result


@dataclass
class ClusterRun:
    """What one ``make grade SCHEDULER=...`` sent and received (``.grading/cluster.json``, for the TA and bench)."""

    address: str
    workers: int
    threads: int
    students: int = 0
    sent_bytes: int = 0  # requests: staged notebooks and the template gradebook
    received_bytes: int = 0  # replies: autograded notebooks, logs and results

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ClusterRun:
        data = json.loads(text)
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls)})


class ClusterGrading(Grading):
    """Students graded on the workers of the Dask scheduler at ``address``; the driver merges each reply."""

    def __init__(self, address: str, paths: Paths, notebooks: list[str], settings: Settings) -> None:
        from distributed import Client

        self.paths, self.notebooks, self.settings = paths, notebooks, settings
        self.key = grading_key(paths.root)
        try:
            self.client = Client(address, timeout="30s")
        except OSError as error:
            raise SystemExit(f"no Dask scheduler at {address} ({error}); start one (docs/scaling.md) "
                             "or grade on this machine without SCHEDULER=") from None
        self._futures: list = []
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            self.client.close()
            raise SystemExit(f"no worker joined the Dask scheduler at {address} in {WORKER_WAIT} s: "
                             "start workers with `make worker SCHEDULER=...` (docs/scaling.md)") from None
        refusals = {w: why for w, why in self.client.run(worker_problem, self.key, str(paths.root),
                                                           settings.sandbox).items() if why}
        if refusals:
            self.client.close()
            raise SystemExit("Dask workers that cannot grade (nothing was graded):\n" + "\n".join(
                f"  {worker}: {why}" for worker, why in sorted(refusals.items())))
        threads = sum(self.client.nthreads().values())
        self.window = max(2, 2 * threads)  # submissions in flight: every worker busy, memory bounded
        self.record = ClusterRun(address, len(self.client.nthreads()), threads)
        print(f"grading on {self.record.workers} Dask workers ({threads} threads) at {address}")

    def request(self, sub: Submission) -> GradingRequest:
        """Stage ``sub`` on the driver (its checks and messages) and pack the staged files."""
        with tempfile.TemporaryDirectory(prefix="week08-stage-") as tmp:
            stage(sub, self.notebooks, Path(tmp))
            folder = Path(tmp) / sub.student / ASSIGNMENT
            files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
        return GradingRequest(sub.student, self.key, str(self.paths.root), asdict(self.settings), list(sub.staged),
                              dict(sub.problems), list(sub.notes), files, self.paths.template_db.read_bytes())

    def submit(self, sub: Submission):  # noqa: ANN201 - a distributed.Future
        request = self.request(sub)
        self.record.sent_bytes += sum(map(len, request.files.values())) + len(request.template_db)
        future = self.client.submit(grade_on_worker, request.to_wire(), pure=False,
                                    key=f"week08-grade-{sub.student}-{uuid.uuid4().hex[:8]}")
        self._futures.append(future)
        return future

    def run(self, todo: list[Submission]) -> Iterator[tuple[Submission, Result]]:
        from distributed import as_completed

        waiting = list(todo)
        owner = {}
        batch = as_completed()
        while waiting and len(owner) < self.window:
            sub = waiting.pop(0)
            future = self.submit(sub)
            owner[future.key] = sub
            batch.add(future)
        for future in batch:
            sub = owner.pop(future.key)
            try:
                reply = GradingReply.from_wire(future.result())
                self.record.students += 1
                self.record.received_bytes += (sum(map(len, reply.notebooks.values())) + len(reply.log)
                                               + len(json.dumps(reply.result)))
                result = receive(reply, sub, self.paths, self.settings)
            except Exception as error:  # noqa: BLE001 - one student's failure never stops the class
                result = lost(sub, error)
            future.release()
            if waiting:
                nxt = waiting.pop(0)
                new = self.submit(nxt)
                owner[new.key] = nxt
                batch.add(new)
            yield sub, result

    def abort(self) -> None:
        try:
            self.client.cancel(self._futures, force=True)
        finally:
            self.client.close()

    def close(self) -> None:
        self.client.close()
        (self.paths.work / "cluster.json").write_text(self.record.to_json())


def lost(sub: Submission, error: BaseException) -> Result:
    """The row of a student the cluster could not grade: an error, graded again at the next run."""
    name = type(error).__name__
    if name == "KilledWorker":
        why = "the workers grading this submission died several times (Dask gave up on it)"
    elif isinstance(error, WorkerRefused):
        why = str(error)
    else:
        why = f"{name}: {error}"
    return Result(sub.student, "error", status="error",
                  messages=[f"the cluster could not grade this submission ({why}); the next `make grade` "
                            "grades it again."])
