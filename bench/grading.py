"""``make bench-grade``: how fast ``make grade`` is, against plain nbgrader and plain execution.

On a generated class (``--students``, default 20; every student submits all
notebooks, a mix of complete, half-done and unanswered answers) this measures:

1. plain sequential ``nbgrader autograde week08`` over the whole class, set up the
   way nbgrader is usually used: the same checks, public and hidden, in the test
   cells (the hidden part in ``### BEGIN HIDDEN TESTS`` blocks, run in the
   student's kernel), so both graders grade the same questions the same way;
2. ``make grade`` (``autograde.grade``, ``--jobs`` workers, default one per core):
   the sandbox, the trusted decision, feedback and the class report;
3. ``make grade SCHEDULER=...`` through a local Dask cluster (a scheduler and ``--jobs``
   worker processes on 127.0.0.1) on a copy of the same class: the ratio to (2), the
   Dask overhead per student, CPU seconds and peak memory (cgroups around the cluster)
   and the bytes shipped each way per student (docs/scaling.md);
4. executing every submitted notebook once with nbclient in grading mode
   (``NBGRADER_EXECUTION=autograde``, the environment student code gets while
   grading: :func:`autograde.nbgrader_cli.grading_environment`), public checks
   included: the floor any grader pays;

and reports the speed-up of (2) over (1), whether both give the same score per
notebook, and the overhead per submission: (2) for one student graded alone
(``make grade STUDENT=...``) against (4) for that student's notebooks, in
wall-clock time and in CPU time. CPU time is read from a ``cpuacct`` cgroup
around each command, so it counts every process the command started, also
those that outlived their parent (the sandbox's call servers); without
cgroups (not root) it falls back to ``getrusage``, which misses those.
Results are saved to ``bench/results/grading.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader.api import Gradebook

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import all_exercises, notebook_names
from autograde.grade import Paths, grading_key, prepare
from autograde.nbgrader_cli import environment, grading_environment
from autograde.release import generate
from autograde.simulate import student_copy, write_submission

MIX = [1.0, 1.0, 0.5, 0.0]  # fractions answered, cycled over the class
CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def make_course(root: Path, students: int) -> Path:
    """A scratch course root with the real solutions, release and a generated class."""
    root.mkdir(parents=True)
    shutil.copyfile(COURSE_ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(COURSE_ROOT / "solutions", root / "solutions")
    shutil.copytree(COURSE_ROOT / "notebooks", root / "notebooks")
    for i in range(students):
        for name in notebook_names():
            write_submission(student_copy(name, MIX[i % len(MIX)]), root / "submitted", f"s{i:03d}", name)
    return root


HIDDEN_BLOCK = """
### BEGIN HIDDEN TESTS
from autograde.checks.{module} import {check} as _hidden_{check}
_hidden_{check}({function})
### END HIDDEN TESTS"""


def with_hidden_tests(root: Path) -> int:
    """Put every question's hidden check into its test cell, as a plain nbgrader course would have it."""
    added = 0
    by_cell = {(ex.notebook, ex.grade_id): ex for ex in all_exercises(root) if ex.check}
    for path in sorted((root / "solutions" / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            ex = by_cell.get((path.stem, cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")))
            if ex and cell.cell_type == "code" and not cell.metadata["nbgrader"].get("solution"):
                cell.source = cell.source.rstrip() + "\n" + HIDDEN_BLOCK.format(
                    module=ex.module, check=ex.check, function=ex.function)
                added += 1
        nbformat.write(nb, path)
    return added


def measured(command: list[str], name: str, env: dict | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``command`` and of every process it started."""
    group = CPUACCT / "week08-bench" / f"{name}-{os.getpid()}"
    try:
        group.mkdir(parents=True)
    except OSError:
        group = None
    before = cpu_seconds()

    def join() -> None:
        if group is not None:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, preexec_fn=join)  # noqa: PLW1509
    wall = time.perf_counter() - start
    if group is None:
        return wall, cpu_seconds() - before
    # Processes the command killed may still be exiting (a sandbox's last processes): wait for
    # the group to empty before reading it, then remove it.
    for _ in range(300):
        if not (group / "cgroup.procs").read_text().split():
            break
        time.sleep(0.1)
    cpu = int((group / "cpuacct.usage").read_text()) / 1e9
    try:
        group.rmdir()
    except OSError as error:
        print(f"note: {group} still holds processes after 30 s ({error}); its CPU time so far is counted",
              file=sys.stderr)
    return wall, cpu


def plain_nbgrader(root: Path) -> tuple[float, float]:
    with_hidden_tests(root)
    generate(Path(tempfile.mkdtemp()), course_root=root)
    return measured([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, f"--CourseDirectory.root={root}",
                     "--log-level=ERROR"], "plain", env=environment(), cwd=root)


def ours(root: Path, jobs: int, student: str | None = None) -> tuple[float, float]:
    command = [sys.executable, "-m", "autograde.grade", "--root", str(root), "--submitted", str(root / "submitted"),
               "--jobs", str(jobs)] + (["--student", student] if student else [])
    return measured(command, "ours", cwd=COURSE_ROOT)


MEMORY = Path("/sys/fs/cgroup/memory")


@contextlib.contextmanager
def dask_cluster(jobs: int) -> Iterator[dict]:
    """A Dask scheduler and ``jobs`` worker processes on 127.0.0.1, in cgroups of their own (CPU, memory)."""
    from distributed import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    groups = {}
    for kind, root in (("cpu", CPUACCT), ("memory", MEMORY)):
        group = root / "week08-bench" / f"dask-{os.getpid()}"
        try:
            group.mkdir(parents=True, exist_ok=True)
            groups[kind] = group
        except OSError:
            pass

    def join() -> None:
        for group in groups.values():
            (group / "cgroup.procs").write_text(str(os.getpid()))

    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    dask = str(Path(sys.executable).parent / "dask")
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=join,
                                start_new_session=True)]  # noqa: PLW1509
    address = f"tcp://127.0.0.1:{port}"
    started.append(subprocess.Popen([dask, "worker", address, "--nworkers", str(jobs), "--nthreads", "1",
                                     "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, preexec_fn=join, start_new_session=True))  # noqa: PLW1509
    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(jobs, timeout=120)
        yield {"address": address, "groups": groups}
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
            process.wait()
        for group in groups.values():
            for _ in range(100):
                with contextlib.suppress(OSError):
                    group.rmdir()
                    break
                time.sleep(0.1)


def through_dask(root: Path, jobs: int) -> dict:
    """``make grade SCHEDULER=...`` on a local cluster of ``jobs`` workers: wall, CPU (driver and workers), peak memory."""
    with dask_cluster(jobs) as cluster:
        cpu_group, memory_group = cluster["groups"].get("cpu"), cluster["groups"].get("memory")
        before = int((cpu_group / "cpuacct.usage").read_text()) if cpu_group else 0
        if memory_group:
            (memory_group / "memory.max_usage_in_bytes").write_text("0")
        command = [sys.executable, "-m", "autograde.grade", "--root", str(root), "--submitted",
                   str(root / "submitted"), "--scheduler", cluster["address"]]
        wall, driver_cpu = measured(command, "dask-driver", cwd=COURSE_ROOT)
        workers_cpu = (int((cpu_group / "cpuacct.usage").read_text()) - before) / 1e9 if cpu_group else float("nan")
        peak = int((memory_group / "memory.max_usage_in_bytes").read_text()) if memory_group else 0
    shipped = json.loads((root / ".grading" / "cluster.json").read_text())
    return {"wall_s": wall, "driver_cpu_s": driver_cpu, "workers_cpu_s": workers_cpu, "workers_peak_bytes": peak,
            **{k: shipped[k] for k in ("students", "sent_bytes", "received_bytes")}}


def nbgrader_scores(root: Path) -> dict[tuple[str, str], float]:
    out = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                out[(submission.student_id, notebook.name)] = round(float(notebook.score), 2)
    return out


def our_scores(root: Path) -> dict[tuple[str, str], float]:
    with (root / "grades.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["student"] != "max_points"]
    return {(r["student"], name): round(float(r[name]), 2) for r in rows for name in notebook_names()}


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and the children it has waited for (kernels included)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def execute(folder: Path) -> float:
    """Seconds to execute every notebook of one submission with nbclient, grading mode (``bench.grading execute``)."""
    saved = dict(os.environ)
    os.environ.update(grading_environment({"NBGRADER_EXECUTION": "autograde"}))
    try:
        total = 0.0
        for path in sorted(folder.glob("*.ipynb")):
            (COURSE_ROOT / ".trackio").mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory(prefix="bench-", dir=COURSE_ROOT / ".trackio") as scratch:
                os.environ["WEEK08_TRACKIO_DIR"] = scratch
                nb = nbformat.read(path, as_version=4)
                start = time.perf_counter()
                NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                               resources={"metadata": {"path": scratch}}).execute()
                total += time.perf_counter() - start
        return total
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["execute"]:  # one submission's notebooks, in a process of its own (measured from outside)
        print(execute(Path(argv[1])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--overhead-sample", type=int, default=4,
                        help="students graded one at a time to measure the overhead (default 4)")
    parser.add_argument("--no-plain", action="store_true",
                        help="skip plain nbgrader (the speed-up is then not measured): local vs Dask and overhead only")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="week08-bench-grade-"))
    print(f"class of {args.students} students x {len(notebook_names())} notebooks in {base}", flush=True)
    plain_root = make_course(base / "plain", args.students)
    ours_root = make_course(base / "ours", args.students)

    t_plain, c_plain = plain_nbgrader(plain_root) if not args.no_plain else (float("nan"), float("nan"))
    print(f"plain sequential nbgrader autograde (public and hidden tests in the kernel): {t_plain:.0f} s "
          f"({c_plain:.0f} s CPU)", flush=True)
    t_ours, c_ours = ours(ours_root, args.jobs)
    print(f"make grade ({args.jobs} workers, sandbox, trusted decision, feedback, report): {t_ours:.0f} s "
          f"({c_ours:.0f} s CPU)", flush=True)
    dask_root = make_course(base / "dask", args.students)
    dask = through_dask(dask_root, args.jobs)
    same_csv = (dask_root / "grades.csv").read_bytes() == (ours_root / "grades.csv").read_bytes()
    n = args.students
    dask.update({"ratio_vs_local": dask["wall_s"] / t_ours, "same_grades_csv": same_csv,
                 "overhead_per_student_s": (dask["wall_s"] - t_ours) * args.jobs / n,
                 "cpu_per_student_s": (dask["driver_cpu_s"] + dask["workers_cpu_s"]) / n,
                 "peak_memory_per_worker_mb": dask["workers_peak_bytes"] / args.jobs / 2**20,
                 "sent_per_student_kb": dask["sent_bytes"] / n / 1024,
                 "received_per_student_kb": dask["received_bytes"] / n / 1024})
    print(f"make grade SCHEDULER= (local Dask cluster, {args.jobs} worker processes): {dask['wall_s']:.0f} s, "
          f"{dask['ratio_vs_local']:.2f}x the local default; Dask overhead {dask['overhead_per_student_s']:+.1f} s "
          f"per student; {dask['cpu_per_student_s']:.1f} s CPU per student (driver and workers); peak memory "
          f"{dask['peak_memory_per_worker_mb']:.0f} MB per worker; shipped {dask['sent_per_student_kb']:.0f} kB to "
          f"and {dask['received_per_student_kb']:.0f} kB from a worker per student; grades.csv identical: {same_csv}",
          flush=True)
    theirs, mine = (nbgrader_scores(plain_root) if not args.no_plain else {}), our_scores(ours_root)
    same = theirs == mine
    differ = sorted(f"{k}: nbgrader {theirs.get(k)}, ours {v}" for k, v in mine.items() if theirs.get(k) != v)

    sample = [f"s{i:03d}" for i in range(min(args.overhead_sample, args.students))]
    one_root = make_course(base / "one", 0)
    # Recording the assignment is done once per course (and again only when the solutions
    # change), not per submission: do it before timing students one by one.
    t0 = time.perf_counter()
    prepare(Paths(one_root), grading_key(one_root))
    t_prepare = time.perf_counter() - t0
    print(f"recording the assignment (once per course): {t_prepare:.1f} s", flush=True)
    singles = []
    for student in sample:
        shutil.copytree(ours_root / "submitted" / student, one_root / "submitted" / student)
        t_grade, c_grade = ours(one_root, 1, student)
        t_exec, c_exec = measured([sys.executable, "-m", "bench.grading", "execute",
                                   str(one_root / "submitted" / student / ASSIGNMENT)], "execute", cwd=COURSE_ROOT)
        singles.append({"student": student, "grade_s": t_grade, "grade_cpu_s": c_grade,
                        "execute_s": t_exec, "execute_cpu_s": c_exec})
        print(f"{student}: grading {t_grade:.1f} s ({c_grade:.1f} s CPU), executing its notebooks {t_exec:.1f} s "
              f"({c_exec:.1f} s CPU): overhead {100 * (t_grade / t_exec - 1):.0f}% "
              f"({100 * (c_grade / c_exec - 1):.0f}% in CPU time)", flush=True)
    ratios = [r["grade_s"] / r["execute_s"] for r in singles]
    cpu_ratios = [r["grade_cpu_s"] / r["execute_cpu_s"] for r in singles]
    result = {"students": args.students, "jobs": args.jobs, "cpus": os.cpu_count(),
              "plain_nbgrader_s": t_plain, "plain_nbgrader_cpu_s": c_plain, "ours_s": t_ours, "ours_cpu_s": c_ours,
              "speedup": t_plain / t_ours, "cpu_ratio_vs_plain": c_ours / c_plain, "prepare_once_s": t_prepare,
              "same_scores_per_notebook": same, "differences": differ[:20], "single_students": singles,
              "overhead_ratios": ratios, "overhead_median": statistics.median(ratios) - 1,
              "cpu_overhead_ratios": cpu_ratios, "cpu_overhead_median": statistics.median(cpu_ratios) - 1,
              "dask": dask}
    print(f"speed-up over plain nbgrader: {t_plain / t_ours:.2f}x (target >= 2.5x); CPU {c_ours / c_plain:.2f}x "
          f"of plain nbgrader's; same per-notebook scores: {same}")
    for line in differ[:10]:
        print("  differs:", line)
    print(f"grading overhead per submission (median of {len(ratios)}): "
          f"{100 * result['overhead_median']:.0f}% above plain execution in wall-clock time; "
          f"in CPU time {100 * result['cpu_overhead_median']:.0f}% (target <= 15%)")
    out = COURSE_ROOT / "bench" / "results" / "grading.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
