"""Hostile submissions: each is graded to completion and never scores above its honest score.

Every hostile student answers both exercises wrongly (honest score 0) and tries to
get points anyway, or to harm the grading of others. An honest classmate,
``victim``, is graded in the same run and must keep full marks and intact files.
"""

from __future__ import annotations

import csv
import os
import subprocess

import pytest

from autograde import sandbox
from autograde.grade import grade_class
from tests.corpus import HOSTILE_PATCH, make_tiny_course, submission, write

pytestmark = pytest.mark.slow

COURSE = "import os\nfrom pathlib import Path\nCOURSE = Path(os.getcwd()).resolve()\n"

HOSTILE = {
    # Replace the check helpers the test cells use, so every comparison passes.
    "redefines_checks": HOSTILE_PATCH,
    # Make NumPy's comparison always succeed.
    "patches_numpy": "import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.isclose = lambda a, b, **k: numpy.ones(numpy.shape(a), bool)",
    # Patch scikit-learn, as a student might to fake a model's score.
    "patches_sklearn": "import sklearn.base\nsklearn.base.clone = lambda est, **k: est\n"
                       "import helpers.checks.core as core\ncore.CheckFailed = type('CheckFailed', (Exception,), {})\n"
                       "core.expect_equal = lambda *a, **k: None\ncore.expect_close = lambda *a, **k: None",
    # Hide every error of the test cells (nbgrader issue #1324).
    "overrides_showtraceback": "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
                               "ip._showtraceback = lambda *a, **k: None",
    "sys_exit": "import sys\nsys.exit(0)",
    "os_exit": "import os\nos._exit(0)",
    "kills_kernel": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    # Kill the process that started the kernel (the warm-kernel zygote while grading).
    "kills_kernel_parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    # Try to overwrite the class's outputs and other students' work.
    "writes_grader_files": COURSE + "for target in [COURSE / 'grades.csv', COURSE / 'gradebook.db',\n"
                           "               COURSE.parents[3] / 'grades.csv', COURSE.parents[3] / 'gradebook.db']:\n"
                           "    try:\n        target.write_text('victim,0')\n    except OSError as error:\n"
                           "        print('blocked', target, error)\n"
                           "for other in COURSE.parents[3].glob('**/victim/**/*.ipynb'):\n"
                           "    try:\n        other.write_text('{}')\n    except OSError as error:\n"
                           "        print('blocked', other, error)",
    # Print what a passing check prints.
    "prints_passed": "print('check_add: passed')\nprint('check_mean: passed')",
    # A fork bomb and a 10 GB allocation, bounded by the limits.
    "fork_bomb": "import os\nfor _ in range(100000):\n    try:\n        os.fork()\n    except OSError:\n        break",
    "allocates_10gb": "import numpy as np\nhog = np.ones(10 * 1024**3 // 8)",
    # Claim a timeout in text, hoping for a gentler status.
    "prints_timeout": "import sys\nprint('Cell execution timed out')\n"
                      "print('CellTimeoutError: A cell timed out while it was being executed', file=sys.stderr)",
    # A daemon that outlives grading.
    "leaves_daemon": "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                     "        import sys\n        sys.argv[0] = 'week08-hostile-daemon'\n        time.sleep(600)\n"
                     "    os._exit(0)",
    # Replace its own output folder (the kernel's working directory, autograded/<id>/week08 in its scratch
    # folder) by a link to the course's solutions: nbgrader then writes the graded notebook through the
    # link (into the sandbox's empty mount), and a grader that follows links copies the REFERENCE back.
    "links_output_to_solutions": "import os\nfrom pathlib import Path\nhere = Path(os.getcwd())\n"
                                 "os.rename(here, here.with_name('week08-moved'))\n"
                                 "os.symlink(here.parents[5] / 'solutions' / 'week08', here)",
}
if sandbox.engine() == "bwrap":  # without a process namespace this would kill the test run itself
    # Signal every process it can see: classmates' kernels, the grader, this test run.
    HOSTILE["kills_everything"] = "import os, signal\nos.kill(-1, signal.SIGKILL)"
    # Leave a file in /dev/shm for a classmate (or the TA's machine) to find (shared without bubblewrap).
    HOSTILE["writes_dev_shm"] = "open('/dev/shm/week08-hostile-shm', 'w').write('hello classmate')"

# Functions that cheat when they are called, rather than at load time.
HOSTILE_FUNCTIONS = {
    # Read the reference solution from disk and run it.
    "reads_solutions": "def add(a, b):\n"
                       "    import json\n    from pathlib import Path\n"
                       "    root = next(p for p in Path.cwd().parents if (p / 'solutions').is_dir())\n"
                       "    nb = json.loads((root / 'solutions/week08/01_tiny.ipynb').read_text())\n"
                       "    return a + b if nb else a - b\n"
                       "def mean(xs):\n    return 0.0",
    # Return an object that claims to equal anything.
    "always_equal": "class Anything(float):\n    def __eq__(self, other):\n        return True\n"
                    "    def __ne__(self, other):\n        return False\n"
                    "def add(a, b):\n    return Anything(0)\ndef mean(xs):\n    return Anything(0)",
    # Patch the checks from inside the function, at call time.
    "patches_at_call_time": "def add(a, b):\n    import helpers.checks.core as core\n"
                            "    core.expect_equal = lambda *x, **k: None\n    return 0\n"
                            "def mean(xs):\n    import numpy\n    numpy.allclose = lambda *x, **k: True\n    return 0.0",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("hostile") / "course")
    submitted = root / "submitted"
    write(submission(root), submitted, "victim")
    for name, extra in HOSTILE.items():
        write(submission(root, wrong=True, extra=extra), submitted, name)
    for name, code in HOSTILE_FUNCTIONS.items():
        nb = submission(root, answered=False, extra=code, after="add")
        write(nb, submitted, name)
    victim_files = {p: p.read_bytes() for p in (submitted / "victim").rglob("*") if p.is_file()}
    env = {"WEEK08_CELL_TIMEOUT": "10", "WEEK08_MEMORY_MB": "3072"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        grade_class(submitted, root=root)
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    with (root / "grades.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"root": root, "rows": rows, "victim_files": victim_files, "submitted": submitted}


def test_every_hostile_submission_is_graded(graded):
    assert set(HOSTILE) | set(HOSTILE_FUNCTIONS) | {"victim", "max_points"} == set(graded["rows"])


@pytest.mark.parametrize("student", sorted(HOSTILE) + sorted(HOSTILE_FUNCTIONS))
def test_hostile_submission_never_scores_above_its_honest_score(graded, student):
    assert float(graded["rows"][student]["total"]) == 0, graded["rows"][student]


@pytest.mark.parametrize("student", ["redefines_checks", "patches_numpy", "patches_sklearn"])
def test_cheating_inside_the_kernel_shows_the_graders_failing_verdict(graded, student):
    page = (graded["root"] / "feedback" / student / "week08" / "01_tiny.html").read_text()
    assert "failed public cases" in page and "passed (" not in page


def test_a_timeout_claimed_in_text_does_not_change_the_status(graded):
    assert graded["rows"]["prints_timeout"]["status"] == "ok"


def test_nothing_is_left_behind_after_the_run(graded):
    assert not os.path.exists("/dev/shm/week08-hostile-shm")
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "week08-hostile-daemon" not in ps and str(graded["root"]) not in ps
    feedback = list((graded["root"] / "feedback").rglob("*"))
    assert feedback and not [p for p in feedback if p.is_symlink()]
    assert {p.suffix for p in feedback if p.is_file()} <= {".html"}


def test_an_output_folder_linked_to_the_solutions_brings_back_nothing_of_them(graded):
    student = "links_output_to_solutions"
    assert not (graded["root"] / "autograded" / student / "week08" / "01_tiny.ipynb").exists()
    pages = [p.read_text() for p in (graded["root"] / "feedback" / student).rglob("*.html")]
    assert pages and not any("BEGIN SOLUTION" in page or "return a + b" in page for page in pages)
    assert any("was not copied back from grading: reached through a symbolic link" in page for page in pages)


def test_honest_classmate_keeps_full_marks_and_files(graded):
    row = graded["rows"]["victim"]
    assert (row["status"], row["total"]) == ("ok", "2")
    now = {p: p.read_bytes() for p in (graded["submitted"] / "victim").rglob("*") if p.is_file()}
    assert now == graded["victim_files"]


def test_grader_files_are_not_overwritten(graded):
    assert (graded["root"] / "grades.csv").read_text().startswith("student,status,total")
    assert (graded["root"] / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"


