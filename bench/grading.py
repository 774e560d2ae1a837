"""``make bench-grade``: how fast ``make grade`` is, against plain nbgrader and plain execution.

On a generated class (``--students``, default 20; every student submits all
notebooks, a mix of complete, half-done and unanswered answers) this measures:

1. plain sequential ``nbgrader autograde week08`` over the whole class;
2. ``make grade`` (``autograde.grade``, ``--jobs`` workers, default one per core),
   which also generates feedback and runs the independent verifier;
3. executing every submitted notebook once with nbclient in grading mode
   (``NBGRADER_EXECUTION=autograde``, the environment student code gets while
   grading: :func:`autograde.nbgrader_cli.grading_environment`), the floor any
   grader has to pay;

and reports the speed-up of (2) over (1), whether both give the same score per
notebook, and the grading overhead per submission: (2)'s time for one student
graded alone (``make grade STUDENT=...``; the verifier then runs alongside
nbgrader on the spare core) against (3)'s time for that student's notebooks,
in wall-clock time and in CPU time (which no spare core can hide). Results are saved to
``bench/results/grading.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader.api import Gradebook

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.catalog import notebook_names
from autograde.grade import Paths, grade_class, grading_key, prepare
from autograde.nbgrader_cli import environment, grading_environment
from autograde.release import generate
from autograde.simulate import student_copy, write_submission

MIX = [1.0, 1.0, 0.5, 0.0]  # fractions answered, cycled over the class


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


def plain_nbgrader(root: Path) -> float:
    generate(Path(tempfile.mkdtemp()), course_root=root)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, f"--CourseDirectory.root={root}",
                    "--log-level=ERROR"], cwd=root, env=environment(), check=True, capture_output=True)
    return time.perf_counter() - start


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
    """Seconds to execute every notebook of one submission with nbclient, grading mode."""
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--overhead-sample", type=int, default=4,
                        help="students graded one at a time to measure the overhead (default 4)")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="week08-bench-grade-"))
    print(f"class of {args.students} students x {len(notebook_names())} notebooks in {base}", flush=True)
    plain_root = make_course(base / "plain", args.students)
    ours_root = make_course(base / "ours", args.students)

    t_plain = plain_nbgrader(plain_root)
    print(f"plain sequential nbgrader autograde: {t_plain:.0f} s", flush=True)
    start = time.perf_counter()
    grade_class(ours_root / "submitted", root=ours_root, jobs=args.jobs)
    t_ours = time.perf_counter() - start
    print(f"make grade ({args.jobs} workers, with feedback and verification): {t_ours:.0f} s", flush=True)
    same = nbgrader_scores(plain_root) == our_scores(ours_root)
    differ = sorted(k for k, v in our_scores(ours_root).items() if nbgrader_scores(plain_root).get(k) != v)

    sample = [f"s{i:03d}" for i in range(min(args.overhead_sample, args.students))]
    one_root = make_course(base / "one", 0)
    # Recording the assignment is done once per course (and again only when the solutions
    # change), not per submission: do it before timing students one by one.
    t0 = time.perf_counter()
    prepare(Paths(one_root), grading_key(one_root))
    t_prepare = time.perf_counter() - t0
    print(f"recording the assignment (once per course): {t_prepare:.1f} s", flush=True)
    ratios, cpu_ratios = [], []
    for student in sample:
        shutil.copytree(ours_root / "submitted" / student, one_root / "submitted" / student)
        t0, c0 = time.perf_counter(), cpu_seconds()
        grade_class(one_root / "submitted", root=one_root, student=student, jobs=1)
        t_grade, c_grade = time.perf_counter() - t0, cpu_seconds() - c0
        c0 = cpu_seconds()
        t_exec = execute(one_root / "submitted" / student / ASSIGNMENT)
        c_exec = cpu_seconds() - c0
        ratios.append(t_grade / t_exec)
        cpu_ratios.append(c_grade / c_exec)
        print(f"{student}: grading {t_grade:.1f} s ({c_grade:.1f} s CPU), executing its notebooks {t_exec:.1f} s "
              f"({c_exec:.1f} s CPU): overhead {100 * (t_grade / t_exec - 1):.0f}% "
              f"({100 * (c_grade / c_exec - 1):.0f}% in CPU time)", flush=True)

    result = {"students": args.students, "jobs": args.jobs, "cpus": os.cpu_count(),
              "plain_nbgrader_s": t_plain, "ours_s": t_ours, "speedup": t_plain / t_ours,
              "prepare_once_s": t_prepare,
              "same_scores_per_notebook": same, "differences": differ[:20],
              "overhead_ratios": ratios, "overhead_median": statistics.median(ratios) - 1,
              "cpu_overhead_ratios": cpu_ratios, "cpu_overhead_median": statistics.median(cpu_ratios) - 1}
    print(f"speed-up over plain nbgrader: {t_plain / t_ours:.2f}x (target >= 1.7x); "
          f"same per-notebook scores: {same}")
    print(f"grading overhead per submission (median of {len(ratios)}): "
          f"{100 * result['overhead_median']:.0f}% above plain execution (target <= 15%); "
          f"in CPU time {100 * result['cpu_overhead_median']:.0f}%")
    out = COURSE_ROOT / "bench" / "results" / "grading.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
