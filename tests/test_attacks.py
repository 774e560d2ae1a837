"""The trust-boundary attack corpus: one submission per mechanism, graded through ``make grade``'s code path.

Every attacker answers wrongly (honest score 0) and tries to score anyway; each is
graded to completion and must score 0. Honest classmates written in a normal style
(globals, helpers from earlier cells, one exercise calling another) keep full marks.
"""

from __future__ import annotations

import csv
import json
import os

import pytest

from autograde import sandbox
from autograde.grade import grade_class
from tests.corpus import make_tiny_course, submission, write

pytestmark = pytest.mark.slow

WRONG_MEAN = "def mean(xs):\n    return 0.0\n"

#: student -> code defining add (and mean), placed after the add cell.
ATTACKS = {
    # Import the reference solution from the grader's own package.
    "calls_reference": "def add(a, b):\n    from autograde.trusted.reference import solution\n"
                       "    return solution('01_tiny').add(a, b)\n" + WRONG_MEAN,
    # Walk up the caller's frames looking for an expected value.
    "reads_caller_frames": "import sys\ndef add(a, b):\n    f = sys._getframe(1)\n    while f is not None:\n"
                           "        for k in ('expected', 'want', 'e'):\n"
                           "            if k in f.f_locals and isinstance(f.f_locals[k], int):\n"
                           "                return f.f_locals[k]\n        f = f.f_back\n    return -1\n" + WRONG_MEAN,
    # Search the garbage collector and sys.modules for another `add` (the reference's).
    "scavenges_gc": "import gc, sys\ndef add(a, b):\n    for o in gc.get_objects():\n"
                    "        if callable(o) and getattr(o, '__name__', '') == 'add' and o is not add:\n"
                    "            return o(a, b)\n    for m in list(sys.modules.values()):\n"
                    "        f = getattr(m, 'add', None)\n        if callable(f) and f is not add:\n"
                    "            return f(a, b)\n    return -1\n" + WRONG_MEAN,
    # A decorator that, while the definitions load, replaces the checks and their code.
    "replaces_checks_at_load": "import helpers.checks.core as core, helpers.checks.tiny as tiny\n"
                               "def cheat(f):\n    core.expect_equal = lambda *a, **k: None\n"
                               "    core.expect_close = lambda *a, **k: None\n"
                               "    tiny.check_add.__wrapped__.__code__ = (lambda *a, **k: None).__code__\n"
                               "    return f\n@cheat\ndef add(a, b):\n    return a - b\n" + WRONG_MEAN,
    # Forge the result channel: the call server answers 5 to everything.
    "forges_channel": "import autograde.sandboxed.call_server as cs\nfrom autograde.sandboxed.protocol import Reply, ReplyStatus\n"
                      "from helpers.checks import wire\n"
                      "cs.compute = lambda request, ns: Reply(ReplyStatus.RETURNED, value=wire.encode(5)).to_bytes()\n"
                      "def add(a, b):\n    return a - b\n" + WRONG_MEAN,
    # Kill the process that calls the function; and hang.
    "kills_call_server": "import os, signal\ndef add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
                         "    return a + b\n" + WRONG_MEAN,
    "hangs": "import time\ndef add(a, b):\n    import sys\n    if 'ipykernel' not in sys.modules or True:\n"
             "        time.sleep(3600)\n    return a + b\n" + WRONG_MEAN,
    # Know the public case and answer only that.
    "answers_public_cases_only": "def add(a, b):\n    return 5 if (a, b) == (2, 3) else 0\n"
                                 "def mean(xs):\n    return 2.0 if list(xs) == [1, 2, 3] else 0.0\n",
    # Objects that lie in comparisons, NaN, a value that changes on a second read.
    "lying_objects": "class Liar(float):\n    def __eq__(self, o):\n        return True\n"
                     "    __hash__ = float.__hash__\n    def __array_ufunc__(self, *a, **k):\n        return True\n"
                     "def add(a, b):\n    return Liar(0)\ndef mean(xs):\n    return float('nan')\n",
    # Mutate the inputs the check passes in.
    "mutates_inputs": "def add(a, b):\n    return 0\ndef mean(xs):\n    xs[:] = [0.0]\n    return 0.0\n",
    # Exceptions that carry the inputs, to read hidden cases in the feedback.
    "raises_with_inputs": "def add(a, b):\n    raise ValueError(f'LEAK add inputs {a!r} {b!r}')\n"
                          "def mean(xs):\n    raise ValueError(f'LEAK mean inputs {xs!r}')\n",
    # Print what the grader's secret folders hold.
    "prints_secrets": "import os, pathlib\nroot = pathlib.Path(os.getcwd()).resolve()\n"
                      "for parent in [root, *root.parents]:\n"
                      "    for name in ('solutions', 'autograde/checks', 'autograde/trusted'):\n"
                      "        p = parent / name\n        if p.is_dir():\n"
                      "            for f in p.rglob('*'):\n                if f.is_file():\n"
                      "                    print('SECRET', f, f.read_text(errors='replace')[:200])\n"
                      "try:\n    import autograde.checks.tiny\n    print('SECRET import worked')\nexcept ImportError:\n"
                      "    print('no hidden checks here')\n"
                      "def add(a, b):\n    return a - b\n" + WRONG_MEAN,
}

#: Honest answers in normal styles: each must score full marks, status ok.
FAIR = {
    "uses_a_global": "offset = 0\ndef add(a, b):\n    return a + b + offset\n"
                     "def mean(xs):\n    return float(sum(xs)) / len(xs) + offset\n",
    "uses_an_earlier_helper": "def _total(xs):\n    return float(sum(xs))\n"
                              "def add(a, b):\n    return int(_total([a, b]))\n"
                              "def mean(xs):\n    return _total(xs) / len(xs)\n",
    "one_exercise_calls_another": "def add(a, b):\n    return a + b\n"
                                  "def mean(xs):\n    total = 0\n    for x in xs:\n        total = add(total, x)\n"
                                  "    return float(total) / len(xs)\n",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("attacks") / "course")
    submitted = root / "submitted"
    write(submission(root), submitted, "honest")
    for name, code in ATTACKS.items():
        write(submission(root, answered=False, extra=code, after="add"), submitted, name)
    for name, code in FAIR.items():  # after both stubs, so the answers are what the notebook ends with
        write(submission(root, answered=False, extra=code, after="mean"), submitted, name)
    saved = os.environ.get("WEEK08_CELL_TIMEOUT")
    os.environ["WEEK08_CELL_TIMEOUT"] = "10"
    try:
        grade_class(submitted, root=root)
    finally:
        os.environ.pop("WEEK08_CELL_TIMEOUT") if saved is None else os.environ.__setitem__("WEEK08_CELL_TIMEOUT", saved)
    with (root / "grades.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"root": root, "rows": rows}


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_attack_is_graded_to_completion_and_scores_nothing(graded, student):
    row = graded["rows"][student]
    assert float(row["total"]) == 0, row
    assert row["status"] != "error", row


@pytest.mark.parametrize("student", ["honest", *sorted(FAIR)])
def test_honest_code_in_a_normal_style_gets_full_marks(graded, student):
    row = graded["rows"][student]
    assert (row["total"], row["status"]) == ("2", "ok"), row


def test_tampering_with_the_checks_changes_nothing_the_feedback_shows(graded):
    """The kernel does not run the checks while grading; the test cells show the grader's verdict."""
    folder = graded["root"] / "feedback" / "replaces_checks_at_load" / "week08"
    page = (folder / "01_tiny.html").read_text()
    assert "failed public cases" in page and "passed (" not in page
    assert graded["rows"]["replaces_checks_at_load"]["status"] == "ok"  # a wrong answer, not a grader problem


def test_public_only_answers_lose_the_hidden_cases_in_the_graders_words(graded):
    index = (graded["root"] / "feedback" / "answers_public_cases_only" / "week08" / "index.html").read_text()
    assert "wrong answer on the hidden cases" in index
    assert "add(-7, 7)" not in index and "add(10, 32)" not in index  # the hidden cases stay hidden


def test_exceptions_carrying_hidden_inputs_never_reach_the_student(graded):
    folder = graded["root"] / "feedback" / "raises_with_inputs" / "week08"
    text = "".join(p.read_text() for p in folder.glob("*.html"))
    assert "LEAK add inputs 2 3" in text  # the public case, which the student knows anyway
    assert "LEAK add inputs -7" not in text and "LEAK add inputs 10" not in text
    assert "[4.0, 8.0]" not in text


@pytest.mark.skipif(not sandbox.status()[0], reason="hiding files needs the sandbox (root on Linux)")
def test_nothing_secret_exists_inside_the_kernel(graded):
    folder = graded["root"] / "autograded" / "prints_secrets" / "week08"
    cells = json.loads((folder / "01_tiny.ipynb").read_text())["cells"]
    outputs = json.dumps([c.get("outputs", []) for c in cells])
    assert "no hidden checks here" in outputs
    assert "SECRET" not in outputs


def test_nothing_the_attackers_left_is_running(graded):
    import subprocess

    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(graded["root"]) not in ps
