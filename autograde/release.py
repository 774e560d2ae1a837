"""``make release``: regenerate the student notebooks from the solutions.

Runs ``nbgrader generate_assignment week08`` (which also records every graded
cell in the gradebook, as autograding needs) into a scratch folder, then copies
the result into ``notebooks/week08/``, writing only files whose bytes changed and
removing notebooks whose solution is gone. A second release changes nothing.

The release records the assignment in a throwaway gradebook: students' notebooks never depend on
the class's ``gradebook.db``, so adding or removing an exercise after grading never blocks a
release (``make grade`` records the new assignment, and ``make migrate`` carries manual grades over).
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import tempfile
from pathlib import Path

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.nbgrader_cli import run_nbgrader


def generate(release_dir: Path, course_root: Path = COURSE_ROOT, db_url: str | None = None,
             capture: bool = False) -> Path:
    """Run ``nbgrader generate_assignment`` with its release folder set to ``release_dir``.

    Parameters
    ----------
    release_dir:
        Folder that receives ``<assignment>/*.ipynb`` (and nothing else is touched).
    course_root:
        The course root holding ``nbgrader_config.py`` and ``solutions/``.
    db_url:
        Gradebook to record the assignment in (default: ``gradebook.db`` at the root).
    capture:
        Keep nbgrader's output (in the :class:`subprocess.CalledProcessError` on failure).

    Returns
    -------
    The folder holding the generated notebooks.
    """
    args = ["generate_assignment", ASSIGNMENT, "--force", "--log-level=WARN",
            f"--CourseDirectory.release_directory={release_dir}"]
    if db_url:
        args.append(f"--CourseDirectory.db_url={db_url}")
    run_nbgrader(args, course_root=course_root, capture=capture)
    return release_dir / ASSIGNMENT


def sync(generated: Path, target: Path) -> list[str]:
    """Make ``target`` hold exactly the notebooks of ``generated``; return what changed."""
    target.mkdir(parents=True, exist_ok=True)
    changed = []
    fresh = {p.name for p in generated.glob("*.ipynb")}
    for old in sorted(target.glob("*.ipynb")):
        if old.name not in fresh:
            old.unlink()
            changed.append(f"removed {old.name}")
    for name in sorted(fresh):
        src, dst = generated / name, target / name
        if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
            shutil.copyfile(src, dst)
            changed.append(f"wrote {name}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=COURSE_ROOT / "notebooks" / ASSIGNMENT,
                        help="where the student notebooks go (default: notebooks/week08)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="week08-release-") as scratch:
        generated = generate(Path(scratch), db_url=f"sqlite:///{Path(scratch) / 'release.db'}")
        changed = sync(generated, args.target)
    print("\n".join(changed) if changed else "notebooks/ already up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
