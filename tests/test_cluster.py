"""Grading on a Dask cluster: the same grades.csv as on one machine, nothing lost when a worker or the driver dies.

A real ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1 (separate processes,
stopped by pid at the end); the driver is ``python -m autograde.grade --scheduler``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.grade import grade_class
from tests.conftest import make_course
from tests.corpus import make_tiny_course, submission, write

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
STUDENTS = ["ann", "ben", "cat"]  # two workers: one student still waits when the first is merged


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A scheduler and worker processes on loopback, each started here and stopped by its pid."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        self.scheduler = self._start("scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                                   "--port", str(self.port), "--no-dashboard"])
        self.workers = [self.start_worker() for _ in range(2)]
        self.wait_for(2)

    def _start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}-{len(self.processes)}.log", "wb")  # noqa: SIM115 - kept for the process
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", **(env or {})})
        self.processes.append(process)
        return process

    def start_worker(self, env: dict | None = None) -> subprocess.Popen:
        return self._start("worker", [str(BIN / "dask"), "worker", self.address, "--nworkers", "1",
                                      "--nthreads", "1", "--no-dashboard"], env)

    def client(self):  # noqa: ANN201
        from distributed import Client

        return Client(self.address, timeout="60s")

    def wait_for(self, workers: int) -> None:
        with self.client() as client:
            client.wait_for_workers(workers, timeout=120)

    def worker_pids(self) -> dict[str, int]:
        """The pid of each worker process (the child its nanny started), by address."""
        with self.client() as client:
            return client.run(os.getpid)

    def stop(self, process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def close(self) -> None:
        for process in reversed(self.processes):
            self.stop(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("dask-logs"))
    yield cluster
    cluster.close()


def _tiny_class(root: Path) -> Path:
    make_tiny_course(root)
    for i, student in enumerate(STUDENTS):
        write(submission(root, wrong=(i % 2 == 1)), root / "submitted", student)
    return root


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The tiny class graded on this machine, uninterrupted: the grades every other run must reproduce."""
    root = _tiny_class(tmp_path_factory.mktemp("local") / "course")
    grade_class(root / "submitted", root=root, jobs=2)
    return root


def _driver(root: Path, cluster: Cluster, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "autograde.grade", "--root", str(root),
                             "--scheduler", cluster.address, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _wait_for_results(root: Path, count: int, timeout: float = 300) -> list[str]:
    results = root / ".grading" / "results"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = sorted(p.stem for p in results.glob("*.json"))
        if len(done) >= count:
            return done
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} results after {timeout} s")


def _submissions_per_student(root: Path) -> dict[str, int]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {s.id: len(gb.find_student(s.id).submissions) for s in gb.students}


def _same_grades(root: Path, reference: Path) -> None:
    assert (root / "grades.csv").read_bytes() == (reference / "grades.csv").read_bytes()
    assert _submissions_per_student(root) == dict.fromkeys(STUDENTS, 1)


#: Two of the seven notebooks keep this test to a minute; `make bench-grade` compares all seven on a larger class.
DEMO_NOTEBOOKS = ["05_reproducibility", "06_diy_automl"]


def test_the_demo_class_graded_on_two_dask_workers_gets_the_grades_of_one_machine(cluster, tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "dask").mkdir()
    local = make_course(tmp_path / "local", DEMO_NOTEBOOKS)
    dask = make_course(tmp_path / "dask", DEMO_NOTEBOOKS)
    demo = COURSE_ROOT / "demo" / "submitted"
    grade_class(demo, root=local, jobs=2)
    run = subprocess.run([sys.executable, "-m", "autograde.grade", "--root", str(dask), "--submitted", str(demo),
                          "--scheduler", cluster.address], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "grading on 2 Dask workers" in run.stdout
    assert (dask / "grades.csv").read_bytes() == (local / "grades.csv").read_bytes()
    for student in ("alice", "bob", "carol"):  # the driver wrote every student's feedback
        assert (dask / "feedback" / student / ASSIGNMENT / "index.html").is_file()
        assert (dask / "autograded" / student / ASSIGNMENT).is_dir()


def test_a_worker_killed_mid_run_loses_nothing(cluster, local_run, tmp_path):
    root = _tiny_class(tmp_path / "course")
    driver = _driver(root, cluster)
    _wait_for_results(root, 1)
    victim = sorted(cluster.worker_pids().values())[0]
    os.kill(victim, signal.SIGKILL)  # its nanny starts a new worker process; Dask reschedules its task
    out, _ = driver.communicate(timeout=600)
    assert driver.returncode == 0, out
    _same_grades(root, local_run)
    cluster.wait_for(2)


def test_a_worker_that_disconnects_loses_nothing(cluster, local_run, tmp_path):
    root = _tiny_class(tmp_path / "course")
    driver = _driver(root, cluster)
    _wait_for_results(root, 1)
    gone = cluster.workers.pop(0)
    cluster.stop(gone)  # the whole `dask worker` (nanny and process): the scheduler loses it
    out, _ = driver.communicate(timeout=600)
    assert driver.returncode == 0, out
    _same_grades(root, local_run)
    cluster.workers.append(cluster.start_worker())
    cluster.wait_for(2)


def test_a_driver_killed_mid_run_resumes_to_the_same_grades(cluster, local_run, tmp_path):
    root = _tiny_class(tmp_path / "course")
    driver = _driver(root, cluster)
    _wait_for_results(root, 1)
    os.killpg(driver.pid, signal.SIGKILL)  # no cleanup, no chance to finish
    driver.wait()
    done = sorted(p.stem for p in (root / ".grading" / "results").glob("*.json"))
    assert 1 <= len(done) < len(STUDENTS)
    again = _driver(root, cluster)
    out, _ = again.communicate(timeout=600)
    assert again.returncode == 0, out
    assert f"grading {len(STUDENTS) - len(done)} of {len(STUDENTS)} students" in out
    _same_grades(root, local_run)


def test_a_worker_without_bubblewrap_refuses_and_nothing_is_graded(cluster, tmp_path):
    root = _tiny_class(tmp_path / "course")
    weak = cluster.start_worker({"WEEK08_SANDBOX": "unshare"})  # isolation weaker than the driver asks for
    try:
        cluster.wait_for(3)
        run = subprocess.run([sys.executable, "-m", "autograde.grade", "--root", str(root),
                              "--scheduler", cluster.address], capture_output=True, text=True, timeout=300)
        assert run.returncode != 0
        assert "Dask workers that cannot grade (nothing was graded)" in run.stderr
        assert "no bubblewrap sandbox on this worker" in run.stderr
        assert not (root / "grades.csv").exists()
        assert not list((root / ".grading" / "results").glob("*.json"))
    finally:
        cluster.stop(weak)
