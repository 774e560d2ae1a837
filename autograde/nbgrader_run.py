"""Inside the sandbox: ``nbgrader autograde`` and ``generate_feedback`` for one student, with warm kernels.

:mod:`autograde.grade` starts this in a student's scratch course (the working
directory, with its ``nbgrader_config.py``), inside the sandbox. It

1. starts the kernel zygote (:mod:`autograde.kernel_zygote`) and points the
   ``python3`` kernel spec at :mod:`autograde.kernel_launcher`, so each
   notebook's kernel is forked with the libraries already imported;
2. runs nbgrader's own autograde and feedback steps through
   :class:`nbgrader.apps.NbGraderAPI` (the API the formgrader uses), one after
   the other in this process, so nbgrader is imported once, not twice;
3. prints the seconds each step took as the last line of standard output
   (``WEEK08-STAGES {...}``) and exits non-zero when autograding failed, with
   nbgrader's log on standard error.

    python -m autograde.nbgrader_run STUDENT [--cold]

``--cold`` skips the zygote (ordinary kernels), e.g. to compare times.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from autograde import ASSIGNMENT

#: Seconds the zygote may take to import the libraries before grading goes on without it.
ZYGOTE_STARTUP = 60
STAGES_MARKER = "WEEK08-STAGES "


def kernel_spec(folder: Path) -> Path:
    """Write a ``python3`` kernel spec under ``folder/kernels`` whose command is the launcher."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "autograde.kernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (week08 grading)", "language": "python",
        "metadata": {"debugger": False},
    }))
    return folder


def start_zygote(scratch: Path) -> subprocess.Popen:
    """Start the zygote (it imports the libraries while nbgrader is being imported here)."""
    socket_path = scratch / "runtime" / "zygote.sock"
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    return subprocess.Popen([sys.executable, "-m", "autograde.kernel_zygote", str(socket_path)],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)


def use_zygote(process: subprocess.Popen, scratch: Path) -> bool:
    """Wait until the zygote is ready and point the kernel spec at it; False (ordinary kernels) if it failed."""
    assert process.stdout is not None
    ready = select.select([process.stdout], [], [], ZYGOTE_STARTUP)[0] and process.stdout.readline().strip()
    if ready != "ready":
        process.kill()
        process.wait()
        print("kernel zygote did not start: ordinary kernels are used", file=sys.stderr)
        return False
    os.environ["JUPYTER_PATH"] = str(kernel_spec(scratch / "jupyter"))
    os.environ["WEEK08_KERNEL_ZYGOTE"] = str(scratch / "runtime" / "zygote.sock")
    return True


def run(student: str, warm: bool = True) -> int:
    """Autograde and generate feedback for ``student`` in the course at the working directory."""
    scratch = Path.cwd()
    # The zygote needs Linux's pidfd_open (Python 3.9+, Linux 5.3+); elsewhere kernels start as usual.
    zygote = start_zygote(scratch) if warm and hasattr(os, "pidfd_open") else None
    try:
        from nbgrader.apps import NbGraderAPI
        from traitlets.config.loader import PyFileConfigLoader

        if zygote is not None:
            use_zygote(zygote, scratch)

        config = PyFileConfigLoader("nbgrader_config.py", path=str(scratch)).load_config()
        config.CourseDirectory.root = str(scratch)
        api = NbGraderAPI(config=config)
        stages = {}
        clock = time.perf_counter()
        graded = api.autograde(ASSIGNMENT, student, force=True, create=True)
        stages["autograde"] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()
        feedback = api.generate_feedback(ASSIGNMENT, student, force=True)
        stages["feedback"] = round(time.perf_counter() - clock, 2)
    finally:
        if zygote is not None:
            zygote.kill()
            zygote.wait()
    for name, outcome in (("autograde", graded), ("generate_feedback", feedback)):
        if not outcome.get("success"):
            print(f"nbgrader {name} failed", file=sys.stderr)
            print(outcome.get("log", ""), outcome.get("error", ""), sep="\n", file=sys.stderr)
    print(STAGES_MARKER + json.dumps(stages), flush=True)
    return 0 if graded.get("success") else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("student")
    parser.add_argument("--cold", action="store_true", help="ordinary kernels, no zygote")
    args = parser.parse_args(argv)
    return run(args.student, warm=not args.cold)


if __name__ == "__main__":
    sys.exit(main())
