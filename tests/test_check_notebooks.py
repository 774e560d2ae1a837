"""``make check``: public checks over a student's own notebooks, as a table."""

import shutil

import pytest

from autograde import ASSIGNMENT, COURSE_ROOT
from autograde.simulate import student_copy, write_submission
from helpers.check_notebooks import check_notebook, main
from tests.conftest import FIRST

SOLUTION = COURSE_ROOT / "solutions" / ASSIGNMENT / f"{FIRST}.ipynb"
RELEASED = COURSE_ROOT / "notebooks" / ASSIGNMENT / f"{FIRST}.ipynb"


def test_all_public_checks_pass_on_the_solution():
    rows = check_notebook(SOLUTION)
    assert rows and all(r["passed"] for r in rows), [r for r in rows if not r["passed"]]


def test_all_fail_on_the_release_with_readable_messages():
    rows = check_notebook(RELEASED)
    assert rows and not any(r["passed"] for r in rows)
    assert all("not implemented yet" in r["message"] for r in rows)


def test_half_done_notebook_passes_exactly_the_done_ones(tmp_path):
    path = write_submission(student_copy(FIRST, 0.5), tmp_path, "bob", FIRST)
    rows = check_notebook(path)
    half = len(rows) // 2
    assert [r["passed"] for r in rows] == [True] * half + [False] * (len(rows) - half)


def test_hidden_tests_never_run(tmp_path):
    path = tmp_path / SOLUTION.name
    text = SOLUTION.read_text().replace("### BEGIN HIDDEN TESTS\\n", "### BEGIN HIDDEN TESTS\\nraise SystemExit(3)\\n")
    path.write_text(text)
    assert all(r["passed"] for r in check_notebook(path))


@pytest.mark.slow
def test_make_check_prints_a_table_and_never_writes(tmp_path, capsys):
    folder = tmp_path / "week08"
    folder.mkdir()
    shutil.copyfile(RELEASED, folder / RELEASED.name)
    before = (folder / RELEASED.name).read_bytes()
    assert main([str(folder)]) == 0
    out = capsys.readouterr().out
    n_questions = len(check_notebook(RELEASED))
    assert "test_count_fits" in out and f"0 of {n_questions} public checks pass" in out
    assert (folder / RELEASED.name).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [RELEASED.name]
