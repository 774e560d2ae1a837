"""``make bench``: how long each solution notebook takes, in full and in grading mode.

Each notebook is executed top to bottom with nbclient (a fresh kernel each time)
``--repeat`` times in full mode and in nbgrader's autograde mode
(``NBGRADER_EXECUTION=autograde``, the helpers' small budgets). The machine is
noisy, so the table reports medians (and min/max), compares them with the time
budgets of the issues, and saves everything to ``bench/results/notebooks.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograde import COURSE_ROOT
from autograde.catalog import solution_notebooks

#: Seconds allowed per notebook: (full mode, autograde mode), by notebook number.
BUDGETS = {"01": (30, 10), "02": (40, 10), "03": (60, 15), "04": (40, 10),
           "05": (40, 10), "06": (60, 15), "07": (60, 15)}
#: All seven notebooks together in full mode.
TOTAL_FULL_BUDGET = 300
MODES = {"full": {}, "autograde": {"NBGRADER_EXECUTION": "autograde"}}


def run_once(path: Path, env: dict[str, str]) -> float:
    """Execute a notebook in a fresh kernel with ``env`` added; return wall-clock seconds."""
    saved = dict(os.environ)
    os.environ.pop("WEEK08_FAST", None)
    os.environ.pop("MPLBACKEND", None)
    os.environ.update(env)
    try:
        (COURSE_ROOT / ".trackio").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bench-", dir=COURSE_ROOT / ".trackio") as scratch:
            os.environ["WEEK08_TRACKIO_DIR"] = scratch
            nb = nbformat.read(path, as_version=4)
            start = time.perf_counter()
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": scratch}}).execute()
            return time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook and mode (default 3)")
    parser.add_argument("--only", default="", help="run only notebooks whose name contains this")
    args = parser.parse_args(argv)
    results = {}
    print(f"{'notebook':32} {'mode':10} {'median':>7} {'min':>6} {'max':>6} {'budget':>7}  verdict")
    for path in solution_notebooks():
        if args.only not in path.stem:
            continue
        budgets = dict(zip(MODES, BUDGETS.get(path.stem[:2], (60, 15))))
        for mode, env in MODES.items():
            times = [run_once(path, env) for _ in range(args.repeat)]
            median = statistics.median(times)
            results.setdefault(path.stem, {})[mode] = {"times": times, "median": median,
                                                       "budget": budgets[mode]}
            verdict = "ok" if median <= budgets[mode] else "OVER BUDGET"
            print(f"{path.stem:32} {mode:10} {median:7.1f} {min(times):6.1f} {max(times):6.1f} "
                  f"{budgets[mode]:7d}  {verdict}", flush=True)
    total = sum(r["full"]["median"] for r in results.values())
    print(f"all notebooks, full mode: {total:.1f} s (budget {TOTAL_FULL_BUDGET} s)")
    out = COURSE_ROOT / "bench" / "results" / "notebooks.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"repeat": args.repeat, "cpus": os.cpu_count(),
                               "python": sys.version.split()[0], "notebooks": results,
                               "total_full_median": total}, indent=1))
    print(f"saved {out.relative_to(COURSE_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
